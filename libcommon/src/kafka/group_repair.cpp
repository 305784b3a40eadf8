#include "kt/kafka/group_repair.hpp"

#include <chrono>
#include <functional>
#include <set>

#include "kt/core/log.hpp"
#include "kt/kafka/group_hold.hpp"

namespace kt {

std::vector<TopicPartition> OwnerlessPartitions(const GroupDescription& group,
                                                const std::vector<std::string>& topics,
                                                const std::vector<int>& counts) {
  std::set<std::pair<std::string, int32_t>> owned;
  for (const GroupMember& m : group.member_list) owned.insert(m.assignment.begin(), m.assignment.end());
  std::vector<TopicPartition> out;
  for (size_t i = 0; i < topics.size() && i < counts.size(); ++i)
    for (int32_t p = 0; p < counts[i]; ++p)
      if (!owned.count({topics[i], p})) out.push_back({topics[i], p});
  return out;
}

std::string ListPartitions(const std::vector<TopicPartition>& tps) {
  std::string out;
  for (size_t i = 0; i < tps.size(); ++i) {
    if (i > 0 && tps[i - 1].topic == tps[i].topic)
      out += ", ";
    else
      out += (i > 0 ? "; " : "") + tps[i].topic + " partition ";
    out += std::to_string(tps[i].partition);
  }
  return out;
}

GroupRepair::GroupRepair(KafkaConfig cfg, std::string tool, std::string group,
                         std::vector<std::string> topics, std::vector<int> counts)
    : cfg_(std::move(cfg)),
      tool_(std::move(tool)),
      group_(std::move(group)),
      topics_(std::move(topics)),
      counts_(std::move(counts)),
      thread_([this](std::stop_token stop) { Run(stop); }) {}

bool GroupRepair::Stopped(const std::stop_token& stop, int ms) {
  std::unique_lock<std::mutex> lock(mu_);
  // Woken only by a stop request (the jthread's destructor): nothing else is awaited.
  cv_.wait_for(lock, stop, std::chrono::milliseconds(ms), [] { return false; });
  return stop.stop_requested();
}

void GroupRepair::Run(const std::stop_token& stop) {
  SetThreadLogGroup(group_);
  std::vector<TopicPartition> gap;
  for (int look = 0; look < 3; ++look) {
    if (look > 0 && Stopped(stop, kLookMs)) return;
    auto d = DescribeGroup(cfg_, tool_, group_);
    // Not Stable: a rebalance is under way, and its assignment is the whole topics'. Cannot
    // tell (kbroker, a broker that does not answer): nothing is done.
    if (!d.ok() || !d->known || d->state != "Stable") return;
    std::vector<TopicPartition> now = OwnerlessPartitions(*d, topics_, counts_);
    if (now.empty() || (look > 0 && now != gap)) return;
    gap = std::move(now);
  }
  LogInfo(tool_, "group " + group_ + " assigns " + ListPartitions(gap) +
                     " to no member (a rebalance was cut short): a member joins it and leaves, so that it "
                     "rebalances");
  // A dynamic member: with the copy's group.instance.id (-X, -F) it would take the copy's place.
  KafkaConfig dynamic = cfg_;
  std::erase_if(dynamic.properties, [](const auto& kv) { return kv.first == "group.instance.id"; });
  GroupHold nudge(dynamic, tool_, group_, topics_[0], counts_[0], /*instance_id=*/"", /*verbose=*/false);
  if (Status s = nudge.Open(); !s.ok()) {
    LogWarning(tool_, "group " + group_ + ": could not join it to make it rebalance: " + s.message());
    return;
  }
  const std::function<void(bool)> ignore = [](bool) {};
  while (!nudge.joined() && !Stopped(stop, 50)) nudge.Serve(ignore);
  nudge.Close();
}

}  // namespace kt
