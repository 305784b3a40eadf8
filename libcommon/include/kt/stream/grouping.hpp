// What keyed tools (ktable, kwindow) group and aggregate by: --agg specs and --by.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kt/core/record.hpp"
#include "kt/expr/expr.hpp"
#include "kt/stream/aggregate.hpp"

namespace kt {

struct Grouping {
  std::vector<AggSpec> aggs;     // at least one
  std::optional<expr::Expr> by;  // nullopt: the record key
};
// Usage errors name the option.
Result<Grouping> ParseGrouping(const std::vector<std::string>& aggs, const std::string& by);

// A record's group key: the key text of --by (SEMANTICS.md key rules), else the record key.
// False when it has none (a null key): no event for grouping. `ctx` is Reset to the record.
bool GroupKeyOf(const std::optional<expr::Expr>& by, expr::EvalContext& ctx, const Record& rec,
                std::string* key);

}  // namespace kt
