#include "kt/codec/json_path.hpp"

#include "kt/core/json_reader.hpp"
#include "kt/core/strings.hpp"

namespace kt {

Result<std::vector<std::string>> ParseFieldPath(std::string_view path) {
  std::string shown;
  // A field's name is written into JSON records, which are UTF-8 (a byte 0xFF there made every
  // record one that no JSON reader takes).
  if (!IsValidUtf8(path))
    return Status::InvalidArgument("field path '" + std::string(Utf8Text(path, &shown)) +
                                   "' is not UTF-8 text");
  std::vector<std::string> parts = Split(path, '.');
  for (auto& p : parts)
    if (p.empty()) return Status::InvalidArgument("invalid field path '" + std::string(path) + "'");
  if (parts.size() > static_cast<size_t>(kMaxJsonDepth))
    return Status::InvalidArgument("field path of " + std::to_string(parts.size()) +
                                   " fields: its value would nest deeper than JSON readers (ktools, Jackson) "
                                   "take, " +
                                   std::to_string(kMaxJsonDepth) + " levels");
  return parts;
}

Status SetField(rapidjson::Document* doc, const std::vector<std::string>& path, rapidjson::Value value) {
  if (!doc->IsObject()) return Status::DataError("value is not a JSON object");
  // The path's objects, the document's own included, then what the value nests: a record deeper
  // than JSON readers take would be written, and then refused by every reader (ours, Jackson).
  int room = kMaxJsonDepth - static_cast<int>(path.size());
  if (int nests = JsonNesting(value, room); nests > room) {
    std::string at;
    for (const std::string& name : path) at += (at.empty() ? "" : ".") + name;
    return Status::DataError("the value for field '" + at + "' nests " + std::to_string(nests) +
                             " levels or more, at a depth of " + std::to_string(path.size()) +
                             ": deeper than JSON readers (ktools, Jackson) take, " +
                             std::to_string(kMaxJsonDepth) + " levels");
  }
  auto& alloc = doc->GetAllocator();
  rapidjson::Value* obj = doc;
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& name = path[i];
    bool last = i + 1 == path.size();
    auto it = kt::FindName(*obj, name);
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
