// kscore's own flags and what they resolve to: a stateless scorer (an expression, --random,
// --random-int) or a stateful one (--zscore, --ewma, keyed by --by or the record key).
#pragma once

#include <optional>
#include <string>

#include "kt/run/cli_fwd.hpp"
#include "score_transform.hpp"
#include "stat_score_transform.hpp"

namespace kt::kscore {

struct ScoreFlags {
  ScoreOptions score;  // EXPR, --field, --random, --seed
  std::string random_int, zscore, ewma, by;
  double alpha = 0.5;
};

void AddScoreFlags(CLI::App& app, ScoreFlags& f);

struct ScoreSetup {
  std::optional<ScoreOptions> stateless;     // EXPR, --random, --random-int
  std::optional<StatScoreOptions> stateful;  // --zscore, --ewma (its `by` is --by)
  std::string store_name;                    // the stateful scorer's default store name
};

// Usage errors (InvalidArgument) name the flags.
Result<ScoreSetup> ResolveScoreFlags(const ScoreFlags& f);

}  // namespace kt::kscore
