// Consumer groups as an operator sees them (kgroup): list, describe with lag, move committed
// offsets, delete. Admin requests through librdkafka; every call makes its own short-lived
// client, so none of them joins a group.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kt/core/status.hpp"
#include "kt/io/source.hpp"
#include "kt/kafka/config.hpp"

namespace kt {

struct GroupListing {
  std::string group;
  std::string state;    // Stable, Empty, PreparingRebalance, CompletingRebalance, Dead, Unknown
  bool simple = false;  // committed offsets only, never a member (kconsume-like readers)
};
Result<std::vector<GroupListing>> ListGroups(const KafkaConfig& cfg, const std::string& tool);

struct GroupMember {
  std::string member_id, client_id, instance_id, host;      // instance_id: "" without static membership
  std::vector<std::pair<std::string, int32_t>> assignment;  // topic, partition
};
struct GroupDescription {
  std::string group;
  std::string state;
  int members = 0;
  std::vector<GroupMember> member_list;
  // false on kbroker, which cannot describe groups: state "Unknown", members unknown (0).
  bool known = true;
};
// A group the broker does not know is described with state "Dead" (Kafka's answer). Brokers that
// cannot be reached (or refuse the login) are Unavailable, told apart from a refused request.
Result<GroupDescription> DescribeGroup(const KafkaConfig& cfg, const std::string& tool,
                                       const std::string& group);

// Every committed offset of `group` (the next offset to read).
Result<std::vector<TopicPartitionOffset>> CommittedOffsets(const KafkaConfig& cfg, const std::string& tool,
                                                           const std::string& group);

// Commits `offsets` for `group`; the broker refuses while the group has members.
Status AlterOffsets(const KafkaConfig& cfg, const std::string& tool, const std::string& group,
                    const std::vector<TopicPartitionOffset>& offsets);

Status DeleteGroup(const KafkaConfig& cfg, const std::string& tool, const std::string& group);

// The low and high watermarks of `partitions` of `topic` (one client for all), and the offset of
// each one's first record at or after `time_ms` (-1 when there is none).
struct PartitionOffsets {
  int64_t low = 0, high = 0;
};
Result<std::vector<PartitionOffsets>> Watermarks(const KafkaConfig& cfg, const std::string& tool,
                                                 const std::string& topic,
                                                 const std::vector<int32_t>& partitions);
// The same for many topics at once: two ListOffsets requests (earliest, latest) for all of their
// partitions, whatever their number (ktopic list). out[i] holds topics[i]'s, in its order.
using TopicPartitions = std::vector<std::pair<std::string, std::vector<int32_t>>>;
Result<std::vector<std::vector<PartitionOffsets>>> Watermarks(const KafkaConfig& cfg, const std::string& tool,
                                                              const TopicPartitions& topics);
Result<std::vector<int64_t>> OffsetsForTime(const KafkaConfig& cfg, const std::string& tool,
                                            const std::string& topic, const std::vector<int32_t>& partitions,
                                            int64_t time_ms);

}  // namespace kt
