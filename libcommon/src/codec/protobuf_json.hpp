// Protobuf messages <-> canonical JSON, over the message's reflection (codec-private; the
// mapping is codec/protobuf_schema.hpp's). libprotobuf's own converter builds a tree of nodes
// per record, ~5x slower printing and ~4x parsing; it still does the well-known types
// (Timestamp, Duration, wrappers, Struct, Any, ...), whose JSON forms are special.
#pragma once

#include <string>

#include "kt/core/json.hpp"
#include "kt/core/status.hpp"

namespace google::protobuf {
class Message;
namespace util {
class TypeResolver;
}
}  // namespace google::protobuf

namespace kt::proto {

// The prefix of the type URLs the TypeResolver of a schema's pool answers.
inline constexpr const char* kTypeUrlPrefix = "type.googleapis.com";

// Appends `msg` as JSON to *out: field names as the .proto spells them, every field without
// presence (at its default too), fields with presence (message fields, oneof members, proto3
// optional, proto2) when set. `resolver` resolves the well-known types of msg's pool.
// DataError when a string field is not UTF-8 (proto2 strings are not checked by the parser).
Status AppendMessageJson(const google::protobuf::Message& msg, google::protobuf::util::TypeResolver* resolver,
                         std::string* out);

// Sets `msg`'s fields from the JSON object `value`: names as the .proto spells them or their
// JSON names; null leaves a field unset; 64-bit integers from numbers or strings; enums by name
// or number; bytes from base64. DataError naming the field path and why ("at geo.lat: expected
// a number, got a string"); a member the message does not declare is one.
Status MessageFromJson(const rapidjson::Value& value, google::protobuf::Message* msg,
                       google::protobuf::util::TypeResolver* resolver);

}  // namespace kt::proto
