// kscore: add a score field computed by an expression (or a random score, or a per-key statistic).
#include <CLI/CLI.hpp>

#include "kt/app/fail.hpp"
#include "kt/app/run_stateful.hpp"
#include "kt/app/run_tool.hpp"
#include "score_options.hpp"

namespace kt::kscore {

// The tool's entry point: tools/tool_main.cpp's main() calls it.
int Main(int argc, char** argv) {
  CLI::App app{"Set a score field on each record: the value of EXPR, or a random number.", "kscore"};
  kt::CommonOptions common;
  kt::kscore::ScoreFlags flags;
  kt::kscore::AddScoreFlags(app, flags);
  kt::StateCliOptions state_opts;
  kt::AddStateOptions(app, state_opts);
  kt::AddNoRepartitionOption(app, state_opts);
  app.get_option("--name")->default_str("zscore|ewma");  // set after parsing, by the scorer
  kt::AddCommonOptions(app, common, kt::kOptAll);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  auto setup = kt::kscore::ResolveScoreFlags(flags);
  if (!setup.ok()) return kt::FailWith("kscore", setup.status());
  auto plan = kt::PlanRun("kscore", common);
  if (!plan.ok()) return kt::FailWith("kscore", plan.status());
  if (setup->stateless) {
    auto transform = kt::kscore::ScoreTransform::Create(*setup->stateless);
    if (!transform.ok()) return kt::FailWith("kscore", transform.status());
    return kt::RunTool(*plan, **transform);
  }
  const kt::kscore::StatScoreOptions& sso = *setup->stateful;
  if (state_opts.name.empty()) state_opts.name = setup->store_name;
  return kt::RunStateful(*plan, kt::KeyedIntent(common.input, sso.by, state_opts),
                         [&](std::unique_ptr<kt::PartitionedState> state, kt::SideKeys by_key) {
                           auto input = kt::expr::Expr::Parse(sso.input);  // checked by ResolveScoreFlags
                           return std::make_unique<kt::kscore::StatScoreTransform>(
                               std::move(state), sso, std::move(*input), std::move(by_key[0]));
                         });
}

}  // namespace kt::kscore
