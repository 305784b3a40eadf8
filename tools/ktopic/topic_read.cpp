#include "topic_read.hpp"

#include <algorithm>

#include "kt/state/changelog.hpp"

namespace kt::ktopic {

namespace {

// Reads each partition p with from[p] < marks[p].high from from[p] until `each` returns false
// for one of its records, it reaches marks[p].high or its end.
Status ReadFrom(const KafkaConfig& cfg, const std::string& topic, const std::vector<PartitionOffsets>& marks,
                const std::vector<int64_t>& from, bool verbose,
                const std::function<bool(const TopicRecord&)>& each) {
  Changelog reader(cfg, topic, "ktopic", verbose);
  std::vector<bool> open(marks.size(), false);
  size_t left = 0;
  for (size_t p = 0; p < marks.size(); ++p) {
    if (from[p] >= marks[p].high) continue;
    if (Status s = reader.Start(static_cast<int32_t>(p), from[p]); !s.ok()) return s;
    open[p] = true;
    ++left;
  }
  auto close = [&](int32_t p) {
    if (!open[p]) return;
    open[p] = false;
    --left;
    reader.Stop(p);
  };
  Changelog::Events ev;
  ev.record = [&](int32_t p, int64_t offset, int64_t ts, std::string_view key,
                  std::optional<std::string_view> value) {
    if (!open[p]) return Status::Ok();
    TopicRecord r{p, offset, ts, std::nullopt, value};
    if (key.data()) r.key = key;
    if (!each(r) || offset + 1 >= marks[p].high) close(p);
    return Status::Ok();
  };
  // At its end for now: past the high watermark read before, or at the last stable offset
  // below it (an open transaction), which read_committed does not pass.
  ev.end = [&](int32_t p, int64_t) { close(p); };
  ev.out_of_range = [&](int32_t p) { close(p); };  // deleted by retention meanwhile
  while (left > 0)
    if (Status s = reader.Poll(500, ev); !s.ok()) return s;
  return Status::Ok();
}

}  // namespace

Result<std::vector<PartitionEdges>> ReadEdges(const KafkaConfig& cfg, const std::string& topic,
                                              const std::vector<PartitionOffsets>& marks, bool verbose) {
  std::vector<PartitionEdges> out(marks.size());
  std::vector<int64_t> from;
  for (auto& m : marks) from.push_back(m.low);
  Status s = ReadFrom(cfg, topic, marks, from, verbose, [&](const TopicRecord& r) {
    out[r.partition].first_ts = r.timestamp;
    return false;  // one is enough
  });
  if (!s.ok()) return s;
  from.clear();
  for (auto& m : marks) from.push_back(std::max(m.low, m.high - 16));
  s = ReadFrom(cfg, topic, marks, from, verbose, [&](const TopicRecord& r) {
    out[r.partition].last_ts = r.timestamp;
    return true;
  });
  if (!s.ok()) return s;
  return out;
}

Status ReadRange(const KafkaConfig& cfg, const std::string& topic, const std::vector<PartitionOffsets>& marks,
                 bool verbose, const std::function<void(const TopicRecord&)>& each) {
  std::vector<int64_t> from;
  for (auto& m : marks) from.push_back(m.low);
  return ReadFrom(cfg, topic, marks, from, verbose, [&](const TopicRecord& r) {
    each(r);
    return true;
  });
}

}  // namespace kt::ktopic
