// kscore: add a score field computed by an expression (or a random score).
#include "kt/app/fail.hpp"
#include "kt/app/run_plan.hpp"
#include "kt/app/run_stateful.hpp"
#include "kt/app/run_tool.hpp"
#include "kt/codec/json_path.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/core/strings.hpp"
#include "kt/run/options.hpp"
#include "score_transform.hpp"
#include "stat_score_transform.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Set a score field on each record: the value of EXPR, or a random number.", "kscore"};
  kt::CommonOptions common;
  kt::kscore::ScoreOptions so;
  std::string random_int;
  app.add_option("expr", so.expr, "The score expression, e.g. 'number * 0.5'");
  app.add_option("--field", so.field, "Field to set (dotted path)")->capture_default_str();
  app.add_flag("--random", so.random, "Score uniformly at random in [0,1)");
  app.add_option("--random-int", random_int, "Score with a random integer in [A,B]: A,B");
  app.add_option("--seed", so.seed, "Seed for --random, --random-int and random()")->capture_default_str();
  std::string zscore, ewma, by;
  double alpha = 0.5;
  app.add_option("--zscore", zscore, "Score by the per-key z-score of this expression (Welford; state kept)");
  app.add_option("--ewma", ewma,
                 "Score by the per-key exponentially weighted moving average of this expression");
  app.add_option("--alpha", alpha, "Weight of the newest value for --ewma, in (0,1]")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--by", by, "Key for --zscore/--ewma state (default: the record key)");
  kt::StateCliOptions state_opts;
  kt::AddStateOptions(app, state_opts);
  app.get_option("--name")->default_str("zscore|ewma");  // set after parsing, by the scorer
  kt::AddCommonOptions(app, common, kt::kOptAll | kt::kOptCreate);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  if (!zscore.empty() || !ewma.empty()) {
    if (!zscore.empty() + !ewma.empty() + !so.expr.empty() + so.random + app.count("--random-int") != 1)
      return kt::LogError("kscore", "give exactly one of EXPR, --random, --random-int, --zscore, --ewma"),
             kt::kExitUsage;
    if (alpha <= 0) return kt::LogError("kscore", "--alpha must be in (0,1]"), kt::kExitUsage;
    kt::kscore::StatScoreOptions sso;
    sso.kind = zscore.empty() ? kt::kscore::StatScoreOptions::Kind::kEwma
                              : kt::kscore::StatScoreOptions::Kind::kZScore;
    sso.input = zscore.empty() ? ewma : zscore;
    sso.alpha = alpha;
    auto path = kt::ParseFieldPath(so.field);
    auto input = kt::expr::Expr::Parse(sso.input);
    if (!path.ok() || !input.ok())
      return kt::LogError("kscore", !path.ok() ? path.status().message() : input.status().message()),
             kt::kExitUsage;
    sso.field = *path;
    if (!by.empty()) {
      auto e = kt::expr::Expr::Parse(by);
      if (!e.ok()) return kt::LogError("kscore", "--by: " + e.status().message()), kt::kExitUsage;
    }
    if (state_opts.name.empty())
      state_opts.name = sso.kind == kt::kscore::StatScoreOptions::Kind::kZScore ? "zscore" : "ewma";
    auto plan = kt::PlanRun("kscore", common);
    if (!plan.ok()) return kt::FailWith("kscore", plan.status());
    return kt::RunStateful(
        *plan, kt::KeyedIntent(common.input, by, state_opts),
        [&](std::unique_ptr<kt::PartitionedState> state, std::optional<kt::expr::Expr> by_key) {
          return std::make_unique<kt::kscore::StatScoreTransform>(std::move(state), sso, std::move(*input),
                                                                  std::move(by_key));
        });
  }

  if (!random_int.empty()) {
    auto parts = kt::Split(random_int, ',');
    int64_t a, b;
    if (parts.size() != 2 || !kt::ParseInt64(kt::Trim(parts[0]), &a) ||
        !kt::ParseInt64(kt::Trim(parts[1]), &b)) {
      kt::LogError("kscore", "--random-int expects A,B (integers), got '" + random_int + "'");
      return kt::kExitUsage;
    }
    so.random_int = std::make_pair(a, b);
  }
  auto transform = kt::kscore::ScoreTransform::Create(so);
  if (!transform.ok()) {
    kt::LogError("kscore", transform.status().message());
    return kt::kExitUsage;
  }
  auto plan = kt::PlanRun("kscore", common);
  if (!plan.ok()) return kt::FailWith("kscore", plan.status());
  return kt::RunTool(*plan, **transform);
}
