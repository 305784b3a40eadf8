// ktable: keyed aggregates with changelog-backed state; `ktable get|dump` read a table.
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "kt/app/fail.hpp"
#include "kt/app/run_stateful.hpp"
#include "kt/stream/grouping.hpp"
#include "table_transform.hpp"

namespace kt::ktable {

// The tool's entry point: tools/tool_main.cpp's main() calls it.
int Main(int argc, char** argv) {
  CLI::App app{
      "Keyed aggregates (count, sum, min, max, avg, first, last) kept in a state store "
      "backed by a changelog topic; emits every update.",
      "ktable"};
  kt::CommonOptions common;
  kt::StateCliOptions state_opts{.name = "table"};
  std::string by, emit = "update";
  std::vector<std::string> aggs;
  app.add_option("--agg", aggs,
                 "Aggregate: count, sum(x), min(x), max(x), avg(x), first(x), last(x), "
                 "optionally NAME=... (required unless get/dump)")
      ->allow_extra_args(false);
  app.add_option("--by", by, "Group by this expression instead of the record key");
  app.add_option("--emit", emit, "update: write every new aggregate to the output; none: only keep state")
      ->check(CLI::IsMember({"update", "none"}))
      ->capture_default_str();
  kt::AddStateOptions(app, state_opts);
  kt::AddNoRepartitionOption(app, state_opts);
  kt::AddRenamedOption(app, "--table", "--name", state_opts.name);
  kt::AddCommonOptions(app, common, kt::kOptAll);
  auto get = kt::ktable::MakeGetCommand(&common), dump = kt::ktable::MakeDumpCommand(&common);
  CLI::App* get_sub = kt::AddCommand(app, *get);
  CLI::App* dump_sub = kt::AddCommand(app, *dump);
  app.require_subcommand(0, 1);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;
  if (get_sub->parsed()) return kt::RunCommand("ktable", common, *get);
  if (dump_sub->parsed()) return kt::RunCommand("ktable", common, *dump);

  auto grouping = kt::ParseGrouping(aggs, by);
  if (!grouping.ok()) return kt::FailWith("ktable", grouping.status());
  kt::Aggregator agg(std::move(grouping->aggs));
  bool updates = emit == "update";
  auto plan = kt::PlanRun("ktable", common);
  if (!plan.ok()) return kt::FailWith("ktable", plan.status());
  return kt::RunStateful(*plan, kt::KeyedIntent(common.input, by, state_opts),
                         [&](std::unique_ptr<kt::PartitionedState> state, kt::SideKeys by_key) {
                           return std::make_unique<kt::ktable::TableTransform>(std::move(state), agg,
                                                                               std::move(by_key[0]), updates);
                         });
}

}  // namespace kt::ktable
