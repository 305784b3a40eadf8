#include "stat_score_transform.hpp"

#include <cmath>

#include "kt/codec/json_path.hpp"

namespace kt::kscore {

expr::Value StatScoreTransform::Score(double x, const std::string* old, std::string* state_text) {
  rapidjson::Document* st = state_parser_.doc();
  bool have = old && state_parser_.ParseJson(*old).ok() && st->IsObject();
  auto num = [&](const char* k) { return have && st->HasMember(k) ? (*st)[k].GetDouble() : 0.0; };
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  expr::Value score = expr::Value::Null();
  if (opt_.kind == StatScoreOptions::Kind::kZScore) {
    double n = num("n"), mean = num("mean"), m2 = num("m2");
    if (n >= 2 && m2 > 0) score = expr::Value::Double((x - mean) / std::sqrt(m2 / (n - 1)));
    n += 1;  // Welford
    double delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
    w.StartObject();
    w.Key("n"), w.Double(n), w.Key("mean"), w.Double(mean), w.Key("m2"), w.Double(m2);
    w.EndObject();
  } else {
    double e = have ? opt_.alpha * x + (1 - opt_.alpha) * num("ewma") : x;
    score = expr::Value::Double(e);
    w.StartObject();
    w.Key("ewma"), w.Double(e);
    w.EndObject();
  }
  state_text->assign(sb.GetString(), sb.GetSize());
  return score;
}

Status StatScoreTransform::Process(Input& in, Emitter& out) {
  OutRecord o = OutRecord::From(in.record);
  if (!in.value) {  // tombstones pass through
    out.Emit(o);
    return Status::Ok();
  }
  ctx_.Reset(&in.record, in.value);
  bool has_key = by_ ? by_->Eval(ctx_).KeyText(&key_) : in.record.key.has_value();
  if (!by_ && has_key) key_.assign(*in.record.key);
  if (Status home = has_key ? CheckHome(in.record, key_) : Status::Ok(); !home.ok()) return home;
  expr::Value x = input_.Eval(ctx_);
  expr::Value score = expr::Value::Null();
  if (has_key && x.IsNumber()) {
    auto edit = EditState(in.record, key_);
    if (!edit.ok()) return edit.status();
    if (edit->replay) {  // scored before, and that output was acknowledged
      CountReplay();
      return Status::Ok();
    }
    score = Score(x.AsDouble(), edit->state, &buf_);
    ReplaceState(edit->slot, in.record, buf_);
  }
  auto& alloc = in.value->GetAllocator();
  if (Status s = SetField(in.value, opt_.field, score.ToJson(alloc)); !s.ok()) return s;
  o.value_kind = OutRecord::ValueKind::kJson;
  o.value_json = in.value;
  out.Emit(o);
  return Status::Ok();
}

}  // namespace kt::kscore
