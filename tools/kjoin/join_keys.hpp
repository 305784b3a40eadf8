// The key a join's record joins on: its record key, or, in a one-store ad-hoc run, its side's
// --by / --right-by expression, applied by the join itself instead of by a re-keying stage
// (app/stateful_plan.hpp).
#pragma once

#include <string>
#include <utility>

#include "kt/app/run_stateful.hpp"
#include "kt/run/transform.hpp"
#include "kt/stream/grouping.hpp"

namespace kt::kjoin {

class JoinKeys {
 public:
  JoinKeys() = default;
  explicit JoinKeys(SideKeys by) : by_(std::move(by)) {}

  // Whether some side is keyed by an expression (its values must then be parsed objects).
  bool ByExpression() const {
    for (const auto& b : by_)
      if (b) return true;
    return false;
  }
  // `in`'s join key into `key`; false when it has none (a null key).
  bool Of(const Input& in, std::string* key) {
    const Record& rec = in.record;
    const std::optional<expr::Expr>* by =
        rec.input >= 0 && static_cast<size_t>(rec.input) < by_.size() ? &by_[rec.input] : &kNone;
    if (*by) ctx_.Reset(&rec, in.value);
    return GroupKeyOf(*by, ctx_, rec, key);
  }

 private:
  static inline const std::optional<expr::Expr> kNone;
  SideKeys by_;
  expr::EvalContext ctx_;
};

}  // namespace kt::kjoin
