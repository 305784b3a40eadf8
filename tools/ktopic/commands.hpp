// ktopic's subcommands, one file each: list, describe, create, delete, alter, stats, cluster.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kt/app/command.hpp"
#include "kt/kafka/admin.hpp"
#include "kt/kafka/groups.hpp"
#include "kt/kafka/topics.hpp"

namespace kt::ktopic {

std::unique_ptr<Command> MakeListCommand();
std::unique_ptr<Command> MakeDescribeCommand();
std::unique_ptr<Command> MakeCreateCommand();
std::unique_ptr<Command> MakeDeleteCommand();
std::unique_ptr<Command> MakeAlterCommand();
std::unique_ptr<Command> MakeStatsCommand();
std::unique_ptr<Command> MakeClusterCommand();

// Shared by the subcommands.
std::vector<int32_t> Ids(const TopicMetadata& t);
// NAME=VALUE pairs of --set.
Result<Properties> Pairs(const std::vector<std::string>& items, const std::string& flag);
// A topic's metadata and its partitions' watermarks (in partition order).
struct TopicOffsets {
  TopicMetadata meta;
  std::vector<PartitionOffsets> marks;
};
Result<TopicOffsets> DescribeWithOffsets(const KafkaConfig& cfg, const std::string& tool,
                                         const std::string& topic);
// Whether `topic` exists; a failure to tell goes to *error.
bool Exists(const KafkaConfig& cfg, const std::string& topic, Status* error);

}  // namespace kt::ktopic
