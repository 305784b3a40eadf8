#include "score_options.hpp"

#include <CLI/CLI.hpp>

#include "kt/codec/json_path.hpp"
#include "kt/core/strings.hpp"

namespace kt::kscore {

void AddScoreFlags(CLI::App& app, ScoreFlags& f) {
  app.add_option("expr", f.score.expr, "The score expression, e.g. 'number * 0.5'");
  app.add_option("--field", f.score.field, "Field to set (dotted path)")->capture_default_str();
  app.add_flag("--random", f.score.random, "Score uniformly at random in [0,1)");
  app.add_option("--random-int", f.random_int, "Score with a random integer in [A,B]: A,B");
  app.add_option("--seed", f.score.seed, "Seed for --random, --random-int and random()")
      ->capture_default_str();
  app.add_option("--zscore", f.zscore,
                 "Score by the per-key z-score of this expression (Welford; state kept)");
  app.add_option("--ewma", f.ewma,
                 "Score by the per-key exponentially weighted moving average of this expression");
  app.add_option("--alpha", f.alpha, "Weight of the newest value for --ewma, in (0,1]")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--by", f.by, "Key for --zscore/--ewma state (default: the record key)");
}

Result<ScoreSetup> ResolveScoreFlags(const ScoreFlags& f) {
  ScoreSetup setup;
  bool random_int = !f.random_int.empty();
  if (!f.zscore.empty() || !f.ewma.empty()) {
    if (!f.zscore.empty() + !f.ewma.empty() + !f.score.expr.empty() + f.score.random + random_int != 1)
      return Status::InvalidArgument("give exactly one of EXPR, --random, --random-int, --zscore, --ewma");
    if (f.alpha <= 0) return Status::InvalidArgument("--alpha must be in (0,1]");
    StatScoreOptions sso;
    sso.kind = f.zscore.empty() ? StatScoreOptions::Kind::kEwma : StatScoreOptions::Kind::kZScore;
    sso.input = f.zscore.empty() ? f.ewma : f.zscore;
    sso.alpha = f.alpha;
    sso.by = f.by;
    auto path = ParseFieldPath(f.score.field);
    if (!path.ok()) return Status::InvalidArgument(path.status().message());
    auto input = expr::Expr::Parse(sso.input);
    if (!input.ok()) return Status::InvalidArgument(input.status().message());
    if (!f.by.empty()) {
      auto e = expr::Expr::Parse(f.by);
      if (!e.ok()) return Status::InvalidArgument("--by: " + e.status().message());
    }
    sso.field = *path;
    setup.store_name = sso.kind == StatScoreOptions::Kind::kZScore ? "zscore" : "ewma";
    setup.stateful = std::move(sso);
    return setup;
  }
  ScoreOptions so = f.score;
  if (random_int) {
    auto parts = Split(f.random_int, ',');
    int64_t a, b;
    if (parts.size() != 2 || !ParseInt64(Trim(parts[0]), &a) || !ParseInt64(Trim(parts[1]), &b))
      return Status::InvalidArgument("--random-int expects A,B (integers), got '" + f.random_int + "'");
    so.random_int = std::make_pair(a, b);
  }
  if (Status s = ScoreTransform::Create(so).status(); !s.ok()) return Status::InvalidArgument(s.message());
  setup.stateless = std::move(so);
  return setup;
}

}  // namespace kt::kscore
