#include "kt/codec/value_parser.hpp"

#include "kt/core/json_reader.hpp"

namespace kt {

ValueParser::ValueParser() : pool_(arena_.data(), arena_.size()), doc_(&pool_) {}

void ValueParser::Reset() {
  doc_.SetNull();
  pool_.Clear();  // keeps the arena; frees chunks beyond it
}

Status ValueParser::ParseJson(std::string_view text, bool ours) {
  Reset();
  buffer_.assign(text.data(), text.size());  // NUL-terminated by std::string
  return ParseJsonInsitu(&buffer_, &doc_, &raw_, ours);
}

Status ValueParser::ValidateJson(std::string_view text) { return ValidateJsonText(text); }

void ValueParser::SetString(std::string_view text) {
  Reset();
  raw_.clear();
  doc_.SetString(rapidjson::StringRef(text.data(), text.size()));
}

}  // namespace kt
