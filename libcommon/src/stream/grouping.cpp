#include "kt/stream/grouping.hpp"

namespace kt {

Result<Grouping> ParseGrouping(const std::vector<std::string>& aggs, const std::string& by) {
  if (aggs.empty()) return Status::InvalidArgument("give at least one --agg (e.g. --agg count)");
  Grouping g;
  for (size_t i = 0; i < aggs.size(); ++i) {
    auto spec = ParseAggSpec(aggs[i]);
    if (!spec.ok()) return spec.status();
    // Each aggregate is a field of the state and the output: two of one name would fold into the
    // same field, and the output would name it twice.
    for (size_t j = 0; j < g.aggs.size(); ++j)
      if (g.aggs[j].name == spec->name)
        return Status::InvalidArgument("--agg '" + aggs[i] + "': the name '" + spec->name +
                                       "' is taken by --agg '" + aggs[j] +
                                       "' (give one of them another: NAME=...)");
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
