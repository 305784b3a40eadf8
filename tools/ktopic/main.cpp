// ktopic: topics as an operator sees them: list, describe, create, delete, alter, stats.
#include <CLI/CLI.hpp>

#include "commands.hpp"

namespace kt::ktopic {

// The tool's entry point: tools/tool_main.cpp's main() calls it.
int Main(int argc, char** argv) {
  CLI::App app{
      "Topics: list them, describe one (partitions, replicas, watermarks, first and last timestamps, "
      "configs), create, delete, change their configs, and read one whole for statistics. A table on a "
      "terminal, NDJSON when piped or with --json.",
      "ktopic"};
  std::vector<std::unique_ptr<kt::Command>> commands;
  commands.push_back(kt::ktopic::MakeListCommand());
  commands.push_back(kt::ktopic::MakeDescribeCommand());
  commands.push_back(kt::ktopic::MakeCreateCommand());
  commands.push_back(kt::ktopic::MakeDeleteCommand());
  commands.push_back(kt::ktopic::MakeAlterCommand());
  commands.push_back(kt::ktopic::MakeStatsCommand());
  commands.push_back(kt::ktopic::MakeClusterCommand());
  return kt::RunCommandTool(app, commands, argc, argv);
}

}  // namespace kt::ktopic
