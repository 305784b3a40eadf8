// kscore's per-key statistical scorers, with state in the store/changelog machinery:
//   --zscore X   Welford's running mean and sample standard deviation of X per key; the score
//                is the record's z-score against the records before it (null until the key has
//                two values with a non-zero spread); then X joins the statistics.
//   --ewma X     exponentially weighted moving average per key, alpha = --alpha; the score is
//                the average including this record (the first record scores X itself).
// A record whose X is not a number scores null and leaves the state alone. The key is the record
// key or --by EXPR; a null key scores null.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kt/codec/value_parser.hpp"
#include "kt/expr/expr.hpp"
#include "kt/state/stateful_transform.hpp"

namespace kt::kscore {

struct StatScoreOptions {
  enum class Kind { kZScore, kEwma } kind;
  std::string input;  // the expression scored (usually a field)
  double alpha = 0.5;
  std::string by;                  // empty: the record key
  std::vector<std::string> field;  // where the score goes
};

class StatScoreTransform : public StatefulTransform {
 public:
  StatScoreTransform(std::unique_ptr<PartitionedState> state, StatScoreOptions o, expr::Expr input,
                     std::optional<expr::Expr> by)
      : StatefulTransform(std::move(state)),
        opt_(std::move(o)),
        input_(std::move(input)),
        by_(std::move(by)) {}

  bool ReadsFields() const override { return true; }  // sets the score field
  Status Process(Input& in, Emitter& out) override;
  std::string SummaryExtra() const override { return StateSummary(); }

 private:
  // Folds x into the key's state (`old`, null when the key has none), writes the new state to
  // *state_text and returns the score.
  expr::Value Score(double x, const std::string* old, std::string* state_text);

  StatScoreOptions opt_;
  expr::Expr input_;
  std::optional<expr::Expr> by_;

 public:
  RecordNames Names() const override {
    RecordNames n;
    n.Add(input_);
    n.Add(by_);
    return n;
  }

 private:
  expr::EvalContext ctx_;
  ValueParser state_parser_;
  std::string key_, buf_;
};

}  // namespace kt::kscore
