// kjoin: joins the records of the input with those of another topic by key (kjoin(1)).
#include <CLI/CLI.hpp>

#include "join_options.hpp"
#include "join_run.hpp"
#include "kt/app/fail.hpp"

namespace kt::kjoin {

// The tool's entry point: tools/tool_main.cpp's main() calls it.
int Main(int argc, char** argv) {
  CLI::App app{
      "Join the records of the input (-i, the left side) with those of another topic by key: two "
      "streams within a time window (--stream), a stream with a table (--table), two tables "
      "(--left-table --table), or a stream with a full replica of a table (--global). Co-partitioned "
      "sides are read in timestamp order; windows and tables live in a state store backed by a "
      "changelog topic.",
      "kjoin"};
  kt::CommonOptions common;
  kt::StateCliOptions state_opts{.name = "join"};
  kt::kjoin::JoinFlags flags;
  kt::kjoin::AddJoinFlags(app, flags);
  kt::AddStateOptions(app, state_opts);
  kt::AddCommonOptions(app, common, kt::kOptAll);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  auto setup = kt::kjoin::ResolveJoinFlags(flags, common.input, common.value_format);
  if (!setup.ok()) return kt::FailWith("kjoin", setup.status());
  auto plan = kt::PlanRun("kjoin", common);
  if (!plan.ok()) return kt::FailWith("kjoin", plan.status());
  if (setup->replica)
    return kt::kjoin::RunGlobalJoin(*plan, state_opts, setup->right, std::move(*setup->replica));
  return kt::kjoin::RunCoPartitionedJoin(*plan, state_opts, *setup->copartitioned);
}

}  // namespace kt::kjoin
