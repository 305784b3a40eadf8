// Topics as an operator sees them (ktopic): metadata of every topic or one, their configs,
// creation, deletion and config changes. Every call makes its own short-lived client.
// librdkafka 2.0 has no DescribeLogDirs, so a topic's size on disk is not available here:
// ktopic stats measures what a reader gets instead.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kt/core/status.hpp"
#include "kt/kafka/admin.hpp"
#include "kt/kafka/config.hpp"

namespace kt {

struct PartitionMetadata {
  int32_t id = 0;
  int32_t leader = -1;
  std::vector<int32_t> replicas, isr;
  std::string error;  // the broker's error for this partition ("" when none), e.g. no leader
};
struct TopicMetadata {
  std::string name;
  std::vector<PartitionMetadata> partitions;  // by id
};

// Every topic (by name), or only `topic` (NotFound naming it when it does not exist).
Result<std::vector<TopicMetadata>> DescribeTopics(const KafkaConfig& cfg, const std::string& tool,
                                                  const std::string& topic = "");

// The cluster as its metadata tells it (kcat -L, rpk cluster info).
struct BrokerInfo {
  int32_t id = -1;
  std::string host;
  int port = 0;
};
struct ClusterInfo {
  std::string id;                   // "" when the broker does not say
  int32_t controller = -1;          // -1 when unknown
  std::vector<BrokerInfo> brokers;  // by id
  int topics = 0;                   // topics the user may see, internal ones included
  int partitions = 0;               // in those topics
};
Result<ClusterInfo> DescribeCluster(const KafkaConfig& cfg, const std::string& tool);

struct ConfigValue {
  std::string name, value;
  std::string source;  // dynamic_topic, dynamic_broker, static_broker, default, ...
  bool is_default = false;
  bool sensitive = false;  // value is not shown by the broker
};
// The configuration of `topic`, every entry the broker reports, by name.
Result<std::vector<ConfigValue>> TopicConfigs(const KafkaConfig& cfg, const std::string& tool,
                                              const std::string& topic);

Status DeleteTopic(const KafkaConfig& cfg, const std::string& tool, const std::string& topic);

// Sets `set` and returns `unset` to their defaults, keeping every other topic-level setting
// (librdkafka 2.0 has only the non-incremental AlterConfigs: the current topic-level
// settings are read and sent back with the change).
Status AlterTopicConfigs(const KafkaConfig& cfg, const std::string& tool, const std::string& topic,
                         const Properties& set, const std::vector<std::string>& unset);

// Grows `topic` to `partitions` partitions (Kafka cannot shrink one).
Status AddPartitions(const KafkaConfig& cfg, const std::string& tool, const std::string& topic,
                     int partitions);

}  // namespace kt
