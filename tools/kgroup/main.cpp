// kgroup: consumer groups as an operator sees them: list, describe (lag), reset offsets, delete,
// start over.
#include <CLI/CLI.hpp>

#include "commands.hpp"

namespace kt::kgroup {

// The tool's entry point: tools/tool_main.cpp's main() calls it.
int Main(int argc, char** argv) {
  CLI::App app{
      "Consumer groups: list them, describe one (committed offsets, end offsets, lag), move its "
      "offsets (a dry run unless --execute), delete it, or everything a stage must lose to recompute "
      "from its input (start-over). A table on a terminal, NDJSON when piped or with "
      "--json.",
      "kgroup"};
  std::vector<std::unique_ptr<kt::Command>> commands;
  commands.push_back(kt::kgroup::MakeListCommand());
  commands.push_back(kt::kgroup::MakeDescribeCommand());
  commands.push_back(kt::kgroup::MakeResetCommand());
  commands.push_back(kt::kgroup::MakeDeleteCommand());
  commands.push_back(kt::kgroup::MakeStartOverCommand());
  return kt::RunCommandTool(app, commands, argc, argv);
}

}  // namespace kt::kgroup
