#include "map_transform.hpp"

namespace kt {

Result<MapTransform> MapTransform::Create(const MapOptions& options) {
  MapTransform t;
  for (auto& f : options.keep) t.keep_.insert(f);
  t.has_keep_ = !options.keep.empty();
  for (auto& f : options.drop) t.drop_.insert(f);
  for (auto& r : options.rename) {
    size_t eq = r.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == r.size())
      return Status::InvalidArgument("--rename expects old=new, got '" + r + "'");
    t.rename_.emplace_back(r.substr(0, eq), r.substr(eq + 1));
  }
  t.passthrough_ = !t.has_keep_ && t.drop_.empty() && t.rename_.empty();
  return t;
}

Status MapTransform::Process(Input& in, Emitter& out) {
  OutRecord o = OutRecord::From(in.record);
  if (passthrough_ || !in.value) {
    out.Emit(o);
    return Status::Ok();
  }
  rapidjson::Document& v = *in.value;
  if (!v.IsObject()) return Status::DataError("value is not a JSON object");
  auto& alloc = v.GetAllocator();
  for (auto it = v.MemberBegin(); it != v.MemberEnd();) {
    std::string name(it->name.GetString(), it->name.GetStringLength());
    bool remove = (has_keep_ && !keep_.count(name)) || drop_.count(name);
    it = remove ? v.EraseMember(it) : it + 1;
  }
  for (auto& [from, to] : rename_) {
    auto it = v.FindMember(rapidjson::StringRef(from.data(), from.size()));
    if (it == v.MemberEnd()) continue;
    auto existing = v.FindMember(rapidjson::StringRef(to.data(), to.size()));
    if (existing != v.MemberEnd()) {
      v.EraseMember(existing);
      it = v.FindMember(rapidjson::StringRef(from.data(), from.size()));
    }
    it->name.SetString(to.data(), static_cast<rapidjson::SizeType>(to.size()), alloc);
  }
  o.value_kind = OutRecord::ValueKind::kJson;
  o.value_json = &v;
  out.Emit(o);
  return Status::Ok();
}

}  // namespace kt
