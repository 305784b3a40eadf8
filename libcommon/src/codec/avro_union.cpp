#include "avro_union.hpp"

namespace kt::avro::unions {

std::string BranchName(const Node& b) { return b.name.empty() ? TypeName(b.type) : b.name; }

size_t NamedBranch(const Node& u, std::string_view key) {
  size_t by_short = std::string::npos;
  for (size_t i = 0; i < u.branches.size(); ++i) {
    std::string name = BranchName(*u.branches[i]);
    if (key == name) return i;
    size_t dot = name.rfind('.');
    if (by_short == std::string::npos && dot != std::string::npos &&
        key == std::string_view(name).substr(dot + 1))
      by_short = i;
  }
  return by_short;
}

unsigned JsonKinds(const Node& b) {
  switch (b.type) {
    case Type::kNull:
      return kNullJ;
    case Type::kBoolean:
      return kBoolJ;
    case Type::kInt:
    case Type::kLong:
      return kNumJ | (b.logical == Logical::kDate ? kStrJ : 0);
    case Type::kFloat:
    case Type::kDouble:
      return kNumJ | kStrJ;  // "NaN", "Infinity", "-Infinity"
    case Type::kString:
    case Type::kEnum:
      return kStrJ;
    case Type::kBytes:
    case Type::kFixed:
      return kStrJ | (b.logical == Logical::kDecimal ? kNumJ : 0);
    case Type::kRecord:
    case Type::kMap:
      return kObjJ;
    case Type::kArray:
      return kArrJ;
    case Type::kUnion:
      break;
  }
  return 0;
}

unsigned JsonKindOf(const rapidjson::Value& v) {
  if (v.IsNull()) return kNullJ;
  if (v.IsBool()) return kBoolJ;
  if (v.IsNumber()) return kNumJ;
  if (v.IsString()) return kStrJ;
  return v.IsObject() ? kObjJ : kArrJ;
}

}  // namespace kt::avro::unions
