// Topic administration through librdkafka's admin API.
#pragma once

#include <string>
#include <vector>

#include "kt/core/status.hpp"
#include "kt/kafka/config.hpp"

namespace kt {

// A topic a tool makes for itself or for its output (changelogs, repartition topics, kgroupby's
// output, kproduce --partitions).
struct TopicSpec {
  std::string name;
  int partitions = -1;          // the count it must have; -1: the broker's default (new topics)
  int replication_factor = -1;  // for a new topic; -1: the broker's default.replication.factor
  Properties configs;           // for a new topic, e.g. cleanup.policy=compact
  // Configs an existing topic must have (a changelog must be compacted): a clear error
  // naming the topic, the setting and how to fix it when it has another value.
  Properties required;
};

// Creates the topic when it does not exist, or checks an existing one: a different partition
// count is InvalidArgument naming both counts; a `required` config with another value is
// InvalidArgument too. Never skipped silently: where the broker cannot create topics or
// describe configs (librdkafka's mock cluster, i.e. kbroker), a warning says that the topic is
// left to auto-creation on first use, with the broker's defaults. `*created` tells whether this
// call created it.
Status EnsureTopic(const KafkaConfig& cfg, const TopicSpec& spec, const std::string& tool, bool* created);

// Creates, in one CreateTopics request, those of `specs` that do not exist yet, when two or more
// are missing (a stateful start's changelog and repartition topics: a broker answers one
// connection's requests in order, so two requests cost two round trips of topic creation, 30-55
// ms each for 16 partitions). Returns the names it created; every other spec (there already, or
// not created here for any reason, errors included) is left to EnsureTopic, which reports.
std::vector<std::string> CreateMissingTogether(const KafkaConfig& cfg, const std::vector<TopicSpec>& specs,
                                               const std::string& tool);

// Where the broker creates topics on first use (auto.create.topics.enable=true) and `topic` does
// not exist, creates it now, as that first use would (the broker's default partitions,
// replication and configs), but at once: a producer waiting for auto-creation loses about a
// second to metadata retries. Does nothing where the broker would not auto-create it (the
// producer then reports the missing topic) or cannot be asked (kbroker).
Status CreateAsAutoCreated(const KafkaConfig& cfg, const std::string& topic, const std::string& tool,
                           bool* created, const Properties& configs = {});

// Creates `spec` (ktopic create); a KafkaError naming the topic when it exists already.
Status CreateTopic(const KafkaConfig& cfg, const TopicSpec& spec, const std::string& tool);

// The number of partitions of `topic`; 0 when it does not exist.
Result<int> PartitionCount(const KafkaConfig& cfg, const std::string& topic, const std::string& tool);

}  // namespace kt
