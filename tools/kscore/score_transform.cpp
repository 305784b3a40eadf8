#include "score_transform.hpp"

#include "kt/codec/json_path.hpp"

namespace kt::kscore {

Result<std::unique_ptr<ScoreTransform>> ScoreTransform::Create(const ScoreOptions& o) {
  int sources = !o.expr.empty() + o.random + o.random_int.has_value();
  if (sources != 1) return Status::InvalidArgument("give exactly one of EXPR, --random, --random-int A,B");
  if (o.random_int && o.random_int->first > o.random_int->second)
    return Status::InvalidArgument("--random-int A,B needs A <= B");
  std::unique_ptr<ScoreTransform> t(new ScoreTransform(o));
  auto path = ParseFieldPath(o.field);
  if (!path.ok()) return Status::InvalidArgument("--field: " + path.status().message());
  t->path_ = std::move(*path);
  if (!o.expr.empty()) {
    auto e = expr::Expr::Parse(o.expr);
    if (!e.ok()) return e.status();
    t->expr_ = std::make_unique<expr::Expr>(std::move(*e));
  }
  return t;
}

Status ScoreTransform::Process(Input& in, Emitter& out) {
  OutRecord o = OutRecord::From(in.record);
  if (!in.value) {  // tombstones pass through
    out.Emit(o);
    return Status::Ok();
  }
  auto& alloc = in.value->GetAllocator();
  rapidjson::Value score;
  if (expr_) {
    ctx_.Reset(&in.record, in.value);
    score = expr_->Eval(ctx_).ToJson(alloc);
  } else if (opt_.random) {
    score.SetDouble(ctx_.rng().Unit());
  } else {
    auto [a, b] = *opt_.random_int;
    uint64_t span = static_cast<uint64_t>(b - a) + 1;  // 0 when the range is all of int64
    score.SetInt64(a + static_cast<int64_t>(span ? ctx_.rng().Below(span) : ctx_.rng().Next()));
  }
  if (Status s = SetField(in.value, path_, std::move(score)); !s.ok()) return s;
  o.value_kind = OutRecord::ValueKind::kJson;
  o.value_json = in.value;
  out.Emit(o);
  return Status::Ok();
}

}  // namespace kt::kscore
