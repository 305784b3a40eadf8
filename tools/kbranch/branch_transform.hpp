// kbranch's Transform: sends each record to the first route whose expression is truthy
// (--all: to every matching route), else to --default, else drops it (counted). Every copy is
// an output of the input record, so its offset is committed only when all copies are
// acknowledged.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kt/expr/expr.hpp"
#include "kt/run/transform.hpp"

namespace kt::kbranch {

class BranchTransform : public Transform {
 public:
  // routes: "TOPIC=EXPR"
  static Result<std::unique_ptr<BranchTransform>> Create(const std::vector<std::string>& routes,
                                                         const std::string& default_topic, bool all,
                                                         uint64_t seed);
  bool WantsValue() const override { return wants_value_; }
  bool ReadsFields() const override { return reads_fields_; }  // a route's expression names fields
  Status Process(Input& in, Emitter& out) override;
  std::string SummaryExtra() const override;
  // Every topic a record may go to: the routes' in order, then --default; each once.
  std::vector<std::string> Topics() const;
  RecordNames Names() const override {
    RecordNames n;
    for (const Route& r : routes_) n.Add(*r.expr);
    return n;
  }

 private:
  struct Route {
    std::string topic;
    std::unique_ptr<expr::Expr> expr;
    int64_t count = 0;
  };
  explicit BranchTransform(uint64_t seed) : ctx_(seed) {}
  std::vector<Route> routes_;
  std::string default_topic_;
  int64_t default_count_ = 0, dropped_ = 0;
  bool all_ = false, wants_value_ = false, reads_fields_ = false;
  expr::EvalContext ctx_;
};

}  // namespace kt::kbranch
