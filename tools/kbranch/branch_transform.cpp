#include "branch_transform.hpp"

#include <algorithm>

namespace kt::kbranch {

std::vector<std::string> BranchTransform::Topics() const {
  std::vector<std::string> out;
  auto add = [&](const std::string& t) {
    if (!t.empty() && std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  };
  for (const Route& r : routes_) add(r.topic);
  add(default_topic_);
  return out;
}

Result<std::unique_ptr<BranchTransform>> BranchTransform::Create(const std::vector<std::string>& routes,
                                                                 const std::string& default_topic, bool all,
                                                                 uint64_t seed) {
  std::unique_ptr<BranchTransform> t(new BranchTransform(seed));
  if (routes.empty()) return Status::InvalidArgument("give at least one --route TOPIC=EXPR");
  for (const std::string& r : routes) {
    size_t eq = r.find('=');
    if (eq == std::string::npos || eq == 0)
      return Status::InvalidArgument("--route expects TOPIC=EXPR, got '" + r + "'");
    auto e = expr::Expr::Parse(r.substr(eq + 1));
    if (!e.ok()) return Status::InvalidArgument("--route " + r.substr(0, eq) + ": " + e.status().message());
    Route route;
    route.topic = r.substr(0, eq);
    route.expr = std::make_unique<expr::Expr>(std::move(*e));
    t->wants_value_ = t->wants_value_ || route.expr->ReadsValue();
    t->reads_fields_ = t->reads_fields_ || route.expr->ReadsFields();
    t->routes_.push_back(std::move(route));
  }
  t->default_topic_ = default_topic;
  t->all_ = all;
  return t;
}

Status BranchTransform::Process(Input& in, Emitter& out) {
  ctx_.Reset(&in.record, in.value);
  OutRecord o = OutRecord::From(in.record);
  bool matched = false;
  for (Route& r : routes_) {
    if (!r.expr->Eval(ctx_).Truthy()) continue;
    o.topic = r.topic;
    out.Emit(o);
    ++r.count;
    matched = true;
    if (!all_) break;
  }
  if (!matched) {
    if (default_topic_.empty()) {
      ++dropped_;
    } else {
      o.topic = default_topic_;
      out.Emit(o);
      ++default_count_;
    }
  }
  return Status::Ok();
}

std::string BranchTransform::SummaryExtra() const {
  std::string s;
  for (const Route& r : routes_) s += r.topic + "=" + std::to_string(r.count) + " ";
  if (!default_topic_.empty()) s += default_topic_ + "(default)=" + std::to_string(default_count_) + " ";
  return s + "unrouted=" + std::to_string(dropped_);
}

}  // namespace kt::kbranch
