// kgroup's subcommands, one file each: list, describe, reset, delete, start-over.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kt/app/command.hpp"
#include "kt/io/source.hpp"
#include "kt/kafka/groups.hpp"

namespace kt::kgroup {

std::unique_ptr<Command> MakeListCommand();
std::unique_ptr<Command> MakeDescribeCommand();
std::unique_ptr<Command> MakeResetCommand();
std::unique_ptr<Command> MakeDeleteCommand();
std::unique_ptr<Command> MakeStartOverCommand();

// The group as Kafka describes it, and its committed offsets; a group that does not exist (Dead,
// nothing committed) is an error.
Result<GroupDescription> Existing(const KafkaConfig& cfg, const std::string& group,
                                  std::vector<TopicPartitionOffset>* committed);

}  // namespace kt::kgroup
