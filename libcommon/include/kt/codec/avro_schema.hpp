// An Avro schema (https://avro.apache.org/docs/1.11.1/specification/), parsed once from its JSON
// text into a tree the binary codec walks per record. Named types (record, enum, fixed) may be
// referred to by name, also recursively; a Schema owns every node, and nodes point at each other.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kt/core/json.hpp"
#include "kt/core/status.hpp"

namespace kt::avro {

enum class Type {
  kNull,
  kBoolean,
  kInt,
  kLong,
  kFloat,
  kDouble,
  kBytes,
  kString,
  kRecord,
  kEnum,
  kArray,
  kMap,
  kUnion,
  kFixed
};

// Logical types ktools maps to JSON in their own way (ktools(7), SCHEMA REGISTRY); any other
// logicalType is ignored, as the specification says, and the value is its underlying type.
enum class Logical {
  kNone,
  kDecimal,
  kUuid,
  kDate,
  kTimeMillis,
  kTimeMicros,
  kTimestampMillis,
  kTimestampMicros
};

struct Node;

struct Field {
  std::string name;
  std::string json_key;  // JsonText::PrepareKey(name): written once, used for every record
  const Node* type = nullptr;
  const rapidjson::Value* default_value = nullptr;  // in the Schema's document; null: none
  std::vector<std::string> aliases;                 // former names (schema resolution)
};

struct Node {
  Type type = Type::kNull;
  Logical logical = Logical::kNone;
  int scale = 0;                      // decimal
  std::string name;                   // full name of a record, enum or fixed
  std::vector<Field> fields;          // record
  std::vector<std::string> symbols;   // enum
  int enum_default = -1;              // enum: the symbol a reader takes for one it lacks
  const Node* items = nullptr;        // array items, map values
  std::vector<const Node*> branches;  // union
  size_t size = 0;                    // fixed
};

const char* TypeName(Type t);

class Schema {
 public:
  // InvalidArgument naming what is wrong (an unknown type name, a record without fields, ...).
  static Result<std::shared_ptr<const Schema>> Parse(std::string_view json_text);

  const Node& root() const { return *root_; }
  const std::string& text() const { return text_; }
  // The root's full name when it is a named type (RecordNameStrategy's subject), else "".
  const std::string& full_name() const { return root_->name; }

 private:
  Schema() = default;
  std::string text_;
  rapidjson::Document doc_;  // holds the fields' default values
  std::vector<std::unique_ptr<Node>> nodes_;
  std::map<std::string, const Node*> named_;
  const Node* root_ = nullptr;
  friend class SchemaParser;
};

// An Avro schema for records shaped like `object` (a JSON object), for a run told no schema:
// a record named `name` whose every field is optional (a union with null first, default null):
// booleans, strings, integers as long or double, other numbers as double, objects as nested
// records, arrays of the first item's type (string when empty). InvalidArgument for a
// non-object.
Result<std::string> InferSchema(const rapidjson::Value& object, const std::string& name);

}  // namespace kt::avro
