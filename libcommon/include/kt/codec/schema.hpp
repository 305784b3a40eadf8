// --schema FILE: JSON Schema (draft 4, RapidJSON's validator) that input values must satisfy.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "kt/core/json.hpp"
#include "kt/core/status.hpp"

namespace kt {

class SchemaValidator {
 public:
  static Result<std::unique_ptr<SchemaValidator>> Load(const std::string& path);
  // The schema in `text`; InvalidArgument naming `origin` when it is not JSON.
  static Result<std::unique_ptr<SchemaValidator>> Parse(std::string_view text, const std::string& origin);
  ~SchemaValidator();
  // DataError naming the failing keyword and JSON pointers when `value` does not conform.
  Status Validate(const rapidjson::Value& value) const;

 private:
  SchemaValidator() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kt
