// kwindow: windowed aggregates (tumbling, hopping, sliding, session) by event time;
// `kwindow get|dump` read the live windows.
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "kt/app/fail.hpp"
#include "kt/app/run_stateful.hpp"
#include "window_options.hpp"
#include "window_transform.hpp"

namespace kt::kwindow {

// The tool's entry point: tools/tool_main.cpp's main() calls it.
int Main(int argc, char** argv) {
  CLI::App app{
      "Windowed aggregates by event time: tumbling, hopping, sliding and session windows with "
      "grace, retention and final results (Kafka Streams' rules).",
      "kwindow"};
  kt::CommonOptions common;
  kt::StateCliOptions state_opts{.name = "window"};
  kt::kwindow::WindowFlags flags;
  kt::kwindow::AddWindowFlags(app, flags);
  kt::AddStateOptions(app, state_opts);
  kt::AddNoRepartitionOption(app, state_opts);
  kt::AddRenamedOption(app, "--window", "--name", state_opts.name);
  kt::AddCommonOptions(app, common, kt::kOptAll);
  auto get = kt::kwindow::MakeGetCommand(&common), dump = kt::kwindow::MakeDumpCommand(&common);
  CLI::App* get_sub = kt::AddCommand(app, *get);
  CLI::App* dump_sub = kt::AddCommand(app, *dump);
  app.require_subcommand(0, 1);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;
  if (get_sub->parsed()) return kt::RunCommand("kwindow", common, *get);
  if (dump_sub->parsed()) return kt::RunCommand("kwindow", common, *dump);

  auto setup = kt::kwindow::ResolveWindowFlags(flags);
  if (!setup.ok()) return kt::FailWith("kwindow", setup.status());
  kt::Aggregator agg(std::move(setup->grouping.aggs));
  auto plan = kt::PlanRun("kwindow", common);
  if (!plan.ok()) return kt::FailWith("kwindow", plan.status());
  return kt::RunStateful(*plan, kt::KeyedIntent(common.input, flags.by, state_opts),
                         [&](std::unique_ptr<kt::PartitionedState> state, kt::SideKeys by_key) {
                           return std::make_unique<kt::kwindow::WindowTransform>(
                               std::move(state), setup->spec, agg, std::move(by_key[0]),
                               std::move(setup->time), setup->emit_final, setup->close_at_end);
                         });
}

}  // namespace kt::kwindow
