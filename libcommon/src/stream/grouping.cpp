#include "kt/stream/grouping.hpp"

namespace kt {

Result<Grouping> ParseGrouping(const std::vector<std::string>& aggs, const std::string& by) {
  if (aggs.empty()) return Status::InvalidArgument("give at least one --agg (e.g. --agg count)");
  Grouping g;
  for (const std::string& a : aggs) {
    auto spec = ParseAggSpec(a);
    if (!spec.ok()) return spec.status();
    g.aggs.push_back(std::move(*spec));
  }
  if (!by.empty()) {
    auto e = expr::Expr::Parse(by);
    if (!e.ok()) return Status::InvalidArgument("--by: " + e.status().message());
    g.by = std::move(*e);
  }
  return g;
}

bool GroupKeyOf(const std::optional<expr::Expr>& by, expr::EvalContext& ctx, const Record& rec,
                std::string* key) {
  if (by) return by->Eval(ctx).KeyText(key);
  if (!rec.key) return false;
  key->assign(*rec.key);
  return true;
}

}  // namespace kt
