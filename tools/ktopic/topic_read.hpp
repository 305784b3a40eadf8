// Reading a topic's partitions between offsets for ktopic: the first and last record's
// timestamp of each partition (describe) and every record up to the end (stats). Both read by
// assignment (no group, nothing committed), read_committed, through the state layer's
// incremental reader (kt::Changelog), which reads any topic.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kt/core/status.hpp"
#include "kt/kafka/config.hpp"
#include "kt/kafka/groups.hpp"

namespace kt::ktopic {

struct PartitionEdges {
  std::optional<int64_t> first_ts, last_ts;  // none: the partition has no readable record
};

// The timestamps of the first and the last record of each partition 0..marks.size()-1.
// The last one is looked for among the partition's last 16 offsets (transaction markers and
// compaction leave gaps).
Result<std::vector<PartitionEdges>> ReadEdges(const KafkaConfig& cfg, const std::string& topic,
                                              const std::vector<PartitionOffsets>& marks, bool verbose);

struct TopicRecord {
  int32_t partition;
  int64_t offset, timestamp;
  std::optional<std::string_view> key, value;  // nullopt: null
};
// Every record of partitions 0..marks.size()-1 from low to high, partitions interleaved as
// they arrive (offset order within each).
Status ReadRange(const KafkaConfig& cfg, const std::string& topic, const std::vector<PartitionOffsets>& marks,
                 bool verbose, const std::function<void(const TopicRecord&)>& each);

}  // namespace kt::ktopic
