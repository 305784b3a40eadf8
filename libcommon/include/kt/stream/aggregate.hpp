// Aggregates for tables and windows: count, sum(x), min(x), max(x), avg(x), first(x), last(x),
// each optionally named ("total=sum(number)"); default names count, sum_x, min_x, ...
// The argument is an expression (usually a field). Numeric aggregates skip (and count) inputs
// that are missing or not numbers; first/last take any non-missing value.
//
// State is a JSON object holding every aggregate by name: what the changelog stores and get/dump
// show. What avg needs to keep going, {"avg_x":[sum,count]}, is kept apart in a second object,
// the sums (a state's aux: state/state_value.hpp), so replaying both restores aggregation
// exactly. The output value is the state with "key" (and "window") first.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kt/core/json.hpp"
#include "kt/core/status.hpp"
#include "kt/expr/expr.hpp"
#include "kt/run/transform.hpp"

namespace kt {

struct AggSpec {
  enum class Kind { kCount, kSum, kMin, kMax, kAvg, kFirst, kLast };
  Kind kind;
  std::string name;
  std::shared_ptr<expr::Expr> arg;  // null for count
};

// Parses "count", "sum(number)", "total=sum(price * qty)". Usage errors name the spec.
Result<AggSpec> ParseAggSpec(const std::string& spec);

class Aggregator {
 public:
  explicit Aggregator(std::vector<AggSpec> specs) : specs_(std::move(specs)), skipped_(specs_.size(), 0) {}

  // Evaluates the aggregates' arguments for the record in ctx, for the Folds that follow (one
  // record folded into several windows is evaluated once).
  void Evaluate(expr::EvalContext& ctx);
  // Whether folding the evaluated record into `state` and `sums` keeps every sum and avg a
  // finite number (a double that overflowed has no JSON): a DataError naming the aggregate and
  // the numbers otherwise. Also a DataError when a sum's field or an avg's running sum and count
  // are not what they keep there (a restored state written with other --agg specs).
  Status Check(const rapidjson::Value& state, const rapidjson::Value* sums) const;
  // Folds the evaluated record into `state` (a JSON object, or null for a new key) and `sums`
  // (avg's running sums: an object, or null for none yet). On an error of Check nothing changes.
  Status Fold(rapidjson::Document* state, rapidjson::Document* sums);
  // Evaluate, then Fold.
  Status Update(rapidjson::Document* state, rapidjson::Document* sums, expr::EvalContext& ctx);
  // Folds `later` and its sums (another state of the same specs, of records that came after)
  // into `state` and `sums`: counts, sums and avg add up, min/max compare, first keeps state's,
  // last takes later's. Session windows merge this way. A sum that would overflow, or a state
  // that Check would refuse, is a DataError, before anything changes.
  Status Merge(rapidjson::Document* state, rapidjson::Document* sums, const rapidjson::Value& later,
               const rapidjson::Value& later_sums) const;
  // Whether a sum or avg could overflow (there is one).
  bool MayOverflow() const {
    for (auto& s : specs_)
      if (s.kind == AggSpec::Kind::kAvg || s.kind == AggSpec::Kind::kSum) return true;
    return false;
  }
  // Whether any aggregate keeps sums (avg).
  bool KeepsSums() const {
    for (auto& s : specs_)
      if (s.kind == AggSpec::Kind::kAvg) return true;
    return false;
  }
  // Appends the output value: {"key": <key>, "window": <window>, <aggregates in spec order>}
  // ("window" only when given). The key is shown as text: bytes of a binary record key that are
  // not UTF-8 appear as U+FFFD (Utf8Text); the output record's Kafka key keeps the bytes.
  // `raw`: the texts of numbers in `state` to write as they were read (first/last/min/max keep
  // a record's number exactly; see RawNumbers).
  void Render(const rapidjson::Value& state, std::string_view key, std::string* out,
              const rapidjson::Value* window = nullptr, const RawNumbers* raw = nullptr) const;

  const std::vector<AggSpec>& specs() const { return specs_; }
  // Whether an aggregate's argument reads the record value (a field).
  bool ReadsValue() const {
    for (auto& s : specs_)
      if (s.arg && s.arg->ReadsValue()) return true;
    return false;
  }
  // Whether one names fields of the value (@value alone does not).
  bool ReadsFields() const {
    for (auto& s : specs_)
      if (s.arg && s.arg->ReadsFields()) return true;
    return false;
  }
  bool ReadsHeaders() const {
    for (auto& s : specs_)
      if (s.arg && s.arg->ReadsHeaders()) return true;
    return false;
  }
  // The fields the arguments name (RecordNames).
  void AddNames(RecordNames* names) const {
    for (auto& s : specs_)
      if (s.arg) names->Add(*s.arg);
  }
  // Inputs skipped per aggregate (not numeric / missing), for the summary line.
  std::string SkippedSummary() const;

 private:
  std::vector<AggSpec> specs_;
  std::vector<int64_t> skipped_;
  std::vector<expr::Value> values_;  // Evaluate's, for Check and Fold
};

}  // namespace kt
