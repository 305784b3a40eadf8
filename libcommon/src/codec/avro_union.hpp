#pragma once
// Which branch of an Avro union a JSON value is, both ways: the names that select a branch (Avro
// JSON's {"Name": value}) and the kinds of JSON each type is written as. The decoder reads them to
// see which branches another could shadow, the encoder to choose a value's branch. Private to
// codec/.

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "kt/codec/avro_schema.hpp"

namespace kt::avro::unions {

// A union branch's name in JSON: a named type's full name, else its type's.
std::string BranchName(const Node& b);

// The branch of union `u` that `key`, a one-member object's only name, names: the branch of that
// full name, else the first of that short name; npos for none.
size_t NamedBranch(const Node& u, std::string_view key);

// The kinds of JSON, one bit each.
inline constexpr unsigned kNullJ = 1, kBoolJ = 2, kNumJ = 4, kStrJ = 8, kObjJ = 16, kArrJ = 32;

// The kinds of JSON writing takes for a datum of `b` (none for a union: its branches say):
// reading writes one of them, and another branch that takes the same kind may be given it.
// Inline, as JsonKindOf: both are asked for every union value read or written.
inline unsigned JsonKinds(const Node& b) {
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

// The kind of the JSON value `v`, as JsonKinds counts them.
inline unsigned JsonKindOf(const rapidjson::Value& v) {
  if (v.IsNull()) return kNullJ;
  if (v.IsBool()) return kBoolJ;
  if (v.IsNumber()) return kNumJ;
  if (v.IsString()) return kStrJ;
  return v.IsObject() ? kObjJ : kArrJ;
}

}  // namespace kt::avro::unions
