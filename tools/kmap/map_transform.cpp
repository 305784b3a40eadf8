#include "map_transform.hpp"

#include "kt/codec/json_path.hpp"
#include "kt/core/json.hpp"
#include "kt/core/strings.hpp"

namespace kt::kmap {

RecordNames MapTransform::Names() const {
  RecordNames n;
  std::unordered_set<std::string> made;
  auto add = [&](const std::string& f) {
    if (!made.count(f)) n.Add(f);
  };
  for (const Step& s : steps_) {
    if (s.expr) {
      for (const std::string& f : s.expr->Fields()) add(f);
      n.headers = n.headers || s.expr->ReadsHeaders();
    }
    switch (s.kind) {
      case MapStep::Kind::kKeep:
      case MapStep::Kind::kDrop:
        for (const std::string& f : s.fields) add(f);
        break;
      case MapStep::Kind::kRename:
        add(s.from);
        made.insert(s.to);
        break;
      case MapStep::Kind::kSet:
        if (!s.path.empty()) made.insert(s.path[0]);
        break;
      case MapStep::Kind::kKey:
        break;
    }
  }
  return n;
}

Result<std::unique_ptr<MapTransform>> MapTransform::Create(const std::vector<MapStep>& steps, uint64_t seed) {
  std::unique_ptr<MapTransform> t(new MapTransform(seed));
  for (const MapStep& ms : steps) {
    Step s;
    s.kind = ms.kind;
    switch (ms.kind) {
      case MapStep::Kind::kKeep:
      case MapStep::Kind::kDrop:
        for (auto& f : Split(ms.arg, ','))
          if (!Trim(f).empty()) s.fields.insert(std::string(Trim(f)));
        t->wants_value_ = t->reads_fields_ = true;
        break;
      case MapStep::Kind::kRename: {
        size_t eq = ms.arg.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == ms.arg.size())
          return Status::InvalidArgument("--rename expects OLD=NEW, got '" + ms.arg + "'");
        if (std::string shown; !IsValidUtf8(ms.arg))  // NEW is written into JSON records
          return Status::InvalidArgument("--rename '" + std::string(Utf8Text(ms.arg, &shown)) +
                                         "': not UTF-8 text");
        s.from = ms.arg.substr(0, eq);
        s.to = ms.arg.substr(eq + 1);
        t->wants_value_ = t->reads_fields_ = true;
        break;
      }
      case MapStep::Kind::kSet: {
        size_t eq = ms.arg.find('=');
        if (eq == std::string::npos || eq == 0)
          return Status::InvalidArgument("--set expects FIELD=EXPR, got '" + ms.arg + "'");
        auto path = ParseFieldPath(ms.arg.substr(0, eq));
        if (!path.ok()) return Status::InvalidArgument("--set: " + path.status().message());
        s.path = std::move(*path);
        auto e = expr::Expr::Parse(ms.arg.substr(eq + 1));
        if (!e.ok())
          return Status::InvalidArgument("--set " + ms.arg.substr(0, eq) + ": " + e.status().message());
        s.expr = std::make_unique<expr::Expr>(std::move(*e));
        t->wants_value_ = t->reads_fields_ = true;
        break;
      }
      case MapStep::Kind::kKey: {
        auto e = expr::Expr::Parse(ms.arg);
        if (!e.ok()) return Status::InvalidArgument("--key: " + e.status().message());
        s.expr = std::make_unique<expr::Expr>(std::move(*e));
        t->wants_value_ = t->wants_value_ || s.expr->ReadsValue();
        t->reads_fields_ = t->reads_fields_ || s.expr->ReadsFields();
        break;
      }
    }
    t->steps_.push_back(std::move(s));
  }
  return t;
}

Status MapTransform::Apply(const Step& s, Input& in) {
  if (s.kind == MapStep::Kind::kKey) {
    ctx_.Reset(&in.record, in.value);
    key_set_ = true;
    key_null_ = !s.expr->Eval(ctx_).KeyText(&key_);
    return Status::Ok();
  }
  if (!in.value) return Status::Ok();  // tombstones pass through
  rapidjson::Document& v = *in.value;
  if (!v.IsObject()) return Status::DataError("value is not a JSON object");
  auto& alloc = v.GetAllocator();
  switch (s.kind) {
    case MapStep::Kind::kKeep:
    case MapStep::Kind::kDrop: {
      bool keep = s.kind == MapStep::Kind::kKeep;
      for (auto it = v.MemberBegin(); it != v.MemberEnd();) {
        bool listed = s.fields.count(std::string(it->name.GetString(), it->name.GetStringLength())) > 0;
        it = listed != keep ? v.EraseMember(it) : it + 1;
      }
      break;
    }
    case MapStep::Kind::kRename: {
      auto it = kt::FindName(v, s.from);
      if (it == v.MemberEnd()) break;
      auto existing = kt::FindName(v, s.to);
      if (existing != v.MemberEnd()) {
        v.EraseMember(existing);
        it = kt::FindName(v, s.from);
      }
      it->name.SetString(s.to.data(), static_cast<rapidjson::SizeType>(s.to.size()), alloc);
      break;
    }
    case MapStep::Kind::kSet: {
      ctx_.Reset(&in.record, &v);
      rapidjson::Value nv = s.expr->Eval(ctx_).ToJson(alloc);
      return SetField(&v, s.path, std::move(nv));
    }
    case MapStep::Kind::kKey:
      break;
  }
  return Status::Ok();
}

Status MapTransform::Process(Input& in, Emitter& out) {
  OutRecord o = OutRecord::From(in.record);
  key_set_ = false;
  bool value_changed = false;
  for (const Step& s : steps_) {
    if (Status st = Apply(s, in); !st.ok()) return st;
    value_changed = value_changed || s.kind != MapStep::Kind::kKey;
  }
  if (key_set_) o.key = key_null_ ? std::nullopt : std::optional<std::string_view>(key_);
  if (value_changed && in.value) {
    o.value_kind = OutRecord::ValueKind::kJson;
    o.value_json = in.value;
  }
  out.Emit(o);
  return Status::Ok();
}

}  // namespace kt::kmap
