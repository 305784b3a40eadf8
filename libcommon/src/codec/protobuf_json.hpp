// Protobuf messages <-> canonical JSON, over the message's reflection (codec-private; the
// mapping is codec/protobuf_schema.hpp's). libprotobuf's own converter builds a tree of nodes
// per record, ~5x slower printing and ~4x parsing; it still does the well-known types
// (Timestamp, Duration, wrappers, Struct, Any, ...), whose JSON forms are special.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kt/core/json.hpp"
#include "kt/core/json_doc_writer.hpp"
#include "kt/core/json_text.hpp"
#include "kt/core/status.hpp"

namespace google::protobuf {
class Descriptor;
class FileDescriptor;
class Message;
class MessageFactory;
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

// A float or double as canonical JSON has it: the shortest text that reads back as the same
// value; NaN and the infinities as the strings "NaN", "Infinity", "-Infinity".
template <typename W, typename T>
void WriteFloating(W* w, T v) {
  if (std::isnan(v)) return w->String("NaN");
  if (std::isinf(v)) return w->String(v > 0 ? "Infinity" : "-Infinity");
  char buf[64];
  auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  w->RawValue(buf, static_cast<size_t>(end - buf));
}

// Where each field number of each message type of a schema's file is declared, for
// AppendWireJson: built once with the schema, then only read (by any thread).
class WireLayouts {
 public:
  struct Layout {
    static constexpr int kDense = 256;  // numbers below this by table, others by lookup
    const google::protobuf::Descriptor* d = nullptr;
    std::vector<int> by_number;     // declaration index, -1 for none
    std::vector<std::string> keys;  // by declaration index: JsonText::PrepareKey(the field's name)
    bool parse_only = false;        // required fields (the parser checks them) or groups: not from the wire
    int IndexOf(uint64_t number) const;  // -1 for a number the type does not declare
  };
  explicit WireLayouts(const google::protobuf::FileDescriptor* file);
  const Layout* Find(const google::protobuf::Descriptor* d) const;  // null: not of this file

 private:
  void Add(const google::protobuf::Descriptor* d);
  std::unordered_map<const google::protobuf::Descriptor*, Layout> by_type_;
};

// Appends the JSON of the message of type `d` whose wire bytes are `bytes`, read straight from
// the bytes: what AppendMessageJson prints for the message those bytes parse to (the well-known
// types through it). Bytes it does not decode exactly as libprotobuf's parser would (malformed,
// groups, mismatched wire types, two members of a oneof, a map key twice, nesting past 100,
// ...) are a DataError whose message is not for users: the caller parses and prints instead.
// On an error nothing is appended.
Status AppendWireJson(const WireLayouts& layouts, const google::protobuf::Descriptor* d,
                      std::string_view bytes, google::protobuf::MessageFactory* factory,
                      google::protobuf::util::TypeResolver* resolver, std::string* out);
// The same, building in the same pass the document that JSON reads as, into `also`
// (core/json_doc_writer.hpp); `also->filled` when it was.
Status AppendWireJson(const WireLayouts& layouts, const google::protobuf::Descriptor* d,
                      std::string_view bytes, google::protobuf::MessageFactory* factory,
                      google::protobuf::util::TypeResolver* resolver, std::string* out, DocumentTarget* also);

// Sets `msg`'s fields from the JSON object `value`: names as the .proto spells them or their
// JSON names; null leaves a field unset; 64-bit integers from numbers or strings; enums by name
// or number; bytes from base64. DataError naming the field path and why ("at geo.lat: expected
// a number, got a string"); a member the message does not declare is one.
Status MessageFromJson(const rapidjson::Value& value, google::protobuf::Message* msg,
                       google::protobuf::util::TypeResolver* resolver);

}  // namespace kt::proto
