// Topic administration through librdkafka's admin API.
#pragma once

#include <string>

#include "kt/kafka/config.hpp"
#include "kt/core/status.hpp"

namespace kt {

// Creates `topic` with `partitions` partitions when it does not exist. When it exists with a
// different partition count, returns InvalidArgument naming both counts. Brokers without
// CreateTopics (librdkafka's mock cluster, i.e. kbroker) auto-create topics on first use: then
// this returns ok and leaves creation to the first produce.
// `*created` tells whether this call created it.
// `configs` are topic configs for creation (e.g. cleanup.policy=compact).
Status EnsureTopic(const KafkaConfig& cfg, const std::string& topic, int partitions,
                   int replication_factor, const std::string& tool, bool* created,
                   const Properties& configs = {});

// The number of partitions of `topic`; 0 when it does not exist.
Result<int> PartitionCount(const KafkaConfig& cfg, const std::string& topic, const std::string& tool);

}  // namespace kt
