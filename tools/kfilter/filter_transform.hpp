// kfilter's Transform: passes records whose expression is truthy (--not: falsy), byte for byte.
#pragma once

#include <string>

#include "kt/expr/expr.hpp"
#include "kt/run/transform.hpp"

namespace kt::kfilter {

class FilterTransform : public Transform {
 public:
  FilterTransform(expr::Expr e, bool negate, uint64_t seed)
      : expr_(std::move(e)), negate_(negate), ctx_(seed) {}

  bool WantsValue() const override { return expr_.ReadsValue(); }
  bool ReadsFields() const override { return expr_.ReadsFields(); }
  bool PassesValuesThrough() const override { return true; }
  bool KeepsKeys() const override { return true; }
  RecordNames Names() const override {
    RecordNames n;
    n.Add(expr_);
    return n;
  }
  Status Process(Input& in, Emitter& out) override {
    ctx_.Reset(&in.record, in.value);
    if (expr_.Eval(ctx_).Truthy() != negate_) {
      out.Emit(OutRecord::From(in.record));  // the original text: no re-serialization
    } else {
      ++filtered_;
    }
    return Status::Ok();
  }
  std::string SummaryExtra() const override { return std::to_string(filtered_) + " filtered out"; }
  void Counters(std::vector<std::pair<std::string, int64_t>>* out) const override {
    out->emplace_back("filtered", filtered_);
  }

 private:
  expr::Expr expr_;
  bool negate_;
  expr::EvalContext ctx_;
  int64_t filtered_ = 0;
};

}  // namespace kt::kfilter
