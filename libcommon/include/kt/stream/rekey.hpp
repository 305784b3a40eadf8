// Re-keying by an expression (kgroupby, and ktable's repartition stage): each record gets the
// key text of --by EXPR (SEMANTICS.md key rules) and is written to the output, where the
// producer's murmur2 partitioner puts equal keys in one partition, as the Java client would.
// A null group key is "no event" for grouping: the record is counted and dropped.
#pragma once

#include <string>

#include "kt/expr/expr.hpp"
#include "kt/run/transform.hpp"

namespace kt {

class RekeyTransform : public Transform {
 public:
  RekeyTransform(expr::Expr by, uint64_t seed = 0) : by_(std::move(by)), ctx_(seed) {}
  bool WantsValue() const override { return by_.ReadsValue(); }
  Status Process(Input& in, Emitter& out) override {
    ctx_.Reset(&in.record, in.value);
    if (!by_.Eval(ctx_).KeyText(&key_)) {
      ++null_keys_;
      return Status::Ok();
    }
    OutRecord o = OutRecord::From(in.record);
    o.key = key_;
    out.Emit(o);
    return Status::Ok();
  }
  std::string SummaryExtra() const override {
    return null_keys_ ? std::to_string(null_keys_) + " records with a null group key dropped" : "";
  }

 private:
  expr::Expr by_;
  expr::EvalContext ctx_;
  std::string key_;
  int64_t null_keys_ = 0;
};

}  // namespace kt
