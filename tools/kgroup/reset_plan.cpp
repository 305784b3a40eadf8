#include "reset_plan.hpp"

#include <algorithm>
#include <map>

#include "kt/kafka/admin.hpp"
#include "kt/kafka/groups.hpp"

namespace kt::kgroup {

Result<std::vector<ResetStep>> PlanReset(const KafkaConfig& cfg, const ResetSpec& spec) {
  auto committed = CommittedOffsets(cfg, "kgroup", spec.group);
  if (!committed.ok()) return committed.status();
  std::map<std::pair<std::string, int32_t>, int64_t> current;
  for (auto& o : *committed) current[{o.topic, o.partition}] = o.offset;

  // The partitions to move, per topic.
  std::map<std::string, std::vector<int32_t>> parts;
  if (!spec.topic.empty()) {
    auto n = PartitionCount(cfg, spec.topic, "kgroup");
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::KafkaError("topic '" + spec.topic + "' does not exist");
    for (int32_t p = 0; p < *n; ++p) parts[spec.topic].push_back(p);
  } else {
    if (current.empty())
      return Status::InvalidArgument("group '" + spec.group +
                                     "' has no committed offsets: name the topic (--topic)");
    for (auto& [tp, off] : current) parts[tp.first].push_back(tp.second);
  }
  if (spec.partition) {
    for (auto& [topic, ps] : parts) {
      if (std::find(ps.begin(), ps.end(), *spec.partition) == ps.end())
        return Status::InvalidArgument("topic '" + topic + "' has no partition " +
                                       std::to_string(*spec.partition) +
                                       (spec.topic.empty() ? " with a committed offset of the group" : ""));
      ps = {*spec.partition};
    }
  }

  std::vector<ResetStep> plan;
  for (auto& [topic, ps] : parts) {
    std::vector<int64_t> by_time;
    if (spec.target.kind == ResetTarget::Kind::kTime) {
      auto t = OffsetsForTime(cfg, "kgroup", topic, ps, spec.target.value);
      if (!t.ok()) return t.status();
      by_time = std::move(*t);
    }
    auto marks_all = Watermarks(cfg, "kgroup", topic, ps);
    if (!marks_all.ok()) return marks_all.status();
    for (size_t i = 0; i < ps.size(); ++i) {
      const PartitionOffsets* marks = &(*marks_all)[i];
      ResetStep step{topic, ps[i], std::nullopt, 0};
      if (auto it = current.find({topic, ps[i]}); it != current.end()) step.from = it->second;
      switch (spec.target.kind) {
        case ResetTarget::Kind::kEarliest:
          step.to = marks->low;
          break;
        case ResetTarget::Kind::kLatest:
          step.to = marks->high;
          break;
        case ResetTarget::Kind::kTime:
          step.to = by_time[i] < 0 ? marks->high : by_time[i];
          break;
        case ResetTarget::Kind::kOffset:
          step.to = spec.target.value;
          break;
        case ResetTarget::Kind::kShift:
          if (!step.from)
            return Status::InvalidArgument(
                topic + " [" + std::to_string(ps[i]) +
                "] has no committed offset to shift; use --to-earliest, --to-latest or --to-time");
          step.to = *step.from + spec.target.value;
          break;
      }
      step.to = std::clamp(step.to, marks->low, marks->high);
      plan.push_back(step);
    }
  }
  return plan;
}

}  // namespace kt::kgroup
