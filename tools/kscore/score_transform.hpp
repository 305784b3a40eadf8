// kscore's Transform: sets a field (default "score") to the value of an expression, or to a
// random number (--random: uniform [0,1); --random-int A,B: integer in [A,B]).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kt/expr/expr.hpp"
#include "kt/run/transform.hpp"

namespace kt::kscore {

struct ScoreOptions {
  std::string field = "score";
  std::string expr;  // empty with --random / --random-int
  bool random = false;
  std::optional<std::pair<int64_t, int64_t>> random_int;
  uint64_t seed = 0;
};

class ScoreTransform : public Transform {
 public:
  static Result<std::unique_ptr<ScoreTransform>> Create(const ScoreOptions& options);
  bool ReadsFields() const override { return true; }  // sets the score field
  Status Process(Input& in, Emitter& out) override;

 private:
  explicit ScoreTransform(const ScoreOptions& o) : opt_(o), ctx_(o.seed) {}
  ScoreOptions opt_;
  std::vector<std::string> path_;
  std::unique_ptr<expr::Expr> expr_;

 public:
  RecordNames Names() const override {
    RecordNames n;
    if (expr_) n.Add(*expr_);
    return n;
  }

 private:
  expr::EvalContext ctx_;
};

}  // namespace kt::kscore
