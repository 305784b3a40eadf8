// Re-keying by an expression (kgroupby, and ktable's repartition stage): each record gets the
// key text of --by EXPR (SEMANTICS.md key rules) and is written to the output, where the
// producer's murmur2 partitioner puts equal keys in one partition, as the Java client would.
// A null group key is "no event" for grouping: the record is counted and dropped.
// With `keep_origin` (a tool's own repartition stage) every output carries the record's key and
// position as origin headers (core/origin.hpp), so the next stage can give the original key back
// and tell a re-sent record from a new one. With `keep_fields` (the next stage's
// Transform::ValueFieldsRead) a JSON object value is written with only those members: what the
// next stage does not read does not cross the broker twice (other values go as they are).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kt/core/origin.hpp"
#include "kt/expr/expr.hpp"
#include "kt/run/transform.hpp"

namespace kt {

class RekeyTransform : public Transform {
 public:
  RekeyTransform(expr::Expr by, uint64_t seed = 0, bool keep_origin = false,
                 std::optional<std::vector<std::string>> keep_fields = std::nullopt)
      : by_(std::move(by)), ctx_(seed), keep_origin_(keep_origin), keep_fields_(std::move(keep_fields)) {}
  bool WantsValue() const override { return by_.ReadsValue() || keep_fields_.has_value(); }
  bool ReadsFields() const override { return by_.ReadsFields(); }
  RecordNames Names() const override {
    RecordNames n;
    n.Add(by_);
    return n;
  }
  Status Process(Input& in, Emitter& out) override {
    ctx_.Reset(&in.record, in.value);
    if (!by_.Eval(ctx_).KeyText(&key_)) {
      ++null_keys_;
      return Status::Ok();
    }
    OutRecord o = OutRecord::From(in.record);
    o.key = key_;
    if (keep_fields_ && in.value && in.value->IsObject()) {
      value_.clear();
      AppendJsonMembers(*in.value, *keep_fields_, &value_, in.raw_numbers);
      o.value_text = value_;
    }
    if (keep_origin_) {
      headers_.clear();
      if (in.record.headers) headers_ = *in.record.headers;
      origin_.Append(in.record, &headers_);
      o.headers = &headers_;
    }
    out.Emit(o);
    return Status::Ok();
  }
  void Counters(std::vector<std::pair<std::string, int64_t>>* out) const override {
    out->emplace_back("null_keys", null_keys_);
  }
  std::string SummaryExtra() const override {
    return null_keys_ ? std::to_string(null_keys_) + " records with a null group key dropped" : "";
  }

 private:
  expr::Expr by_;
  expr::EvalContext ctx_;
  bool keep_origin_;
  std::optional<std::vector<std::string>> keep_fields_;
  std::string key_, value_;
  OriginWriter origin_;
  Headers headers_;
  int64_t null_keys_ = 0;
};

}  // namespace kt
