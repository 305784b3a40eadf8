#include "kt/codec/json_path.hpp"

#include "kt/core/strings.hpp"

namespace kt {

Result<std::vector<std::string>> ParseFieldPath(std::string_view path) {
  std::vector<std::string> parts = Split(path, '.');
  for (auto& p : parts)
    if (p.empty()) return Status::InvalidArgument("invalid field path '" + std::string(path) + "'");
  return parts;
}

Status SetField(rapidjson::Document* doc, const std::vector<std::string>& path, rapidjson::Value value) {
  if (!doc->IsObject()) return Status::DataError("value is not a JSON object");
  auto& alloc = doc->GetAllocator();
  rapidjson::Value* obj = doc;
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& name = path[i];
    bool last = i + 1 == path.size();
    auto it = obj->FindMember(rapidjson::StringRef(name.data(), name.size()));
    if (it == obj->MemberEnd()) {
      rapidjson::Value key(name.data(), static_cast<rapidjson::SizeType>(name.size()), alloc);
      if (last) {
        obj->AddMember(key, value, alloc);  // moves value
        return Status::Ok();
      }
      rapidjson::Value child(rapidjson::kObjectType);
      obj->AddMember(key, child, alloc);
      it = obj->MemberEnd() - 1;
    } else if (last) {
      it->value = value;  // moves value
      return Status::Ok();
    } else if (!it->value.IsObject()) {
      it->value.SetObject();
    }
    obj = &it->value;
  }
  return Status::Ok();
}

}  // namespace kt
