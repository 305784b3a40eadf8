// ktable's read-back subcommands, one file each: get, dump. Their Kafka options go into `common`.
#pragma once

#include <memory>

#include "kt/app/command.hpp"

namespace kt::ktable {

std::unique_ptr<Command> MakeGetCommand(CommonOptions* common);
std::unique_ptr<Command> MakeDumpCommand(CommonOptions* common);

}  // namespace kt::ktable
