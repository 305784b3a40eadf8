// Protobuf message -> canonical JSON text, over the message's reflection (codec-private; the
// mapping is codec/protobuf_schema.hpp's). libprotobuf's own converter builds a tree of nodes
// per record to print fields at their defaults, ~5x slower; it still prints the well-known
// types (Timestamp, Duration, wrappers, Struct, Any, ...), whose JSON forms are special.
#pragma once

#include <string>

#include "kt/core/status.hpp"

namespace google::protobuf {
class Message;
namespace util {
class TypeResolver;
}
}  // namespace google::protobuf

namespace kt::proto {

// Appends `msg` as JSON to *out: field names as the .proto spells them, every field without
// presence (at its default too), fields with presence (message fields, oneof members, proto3
// optional, proto2) when set. `resolver` resolves the well-known types of msg's pool.
// DataError when a string field is not UTF-8 (proto2 strings are not checked by the parser).
Status AppendMessageJson(const google::protobuf::Message& msg, google::protobuf::util::TypeResolver* resolver,
                         std::string* out);

}  // namespace kt::proto
