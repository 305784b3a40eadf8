#include "kt/value_parser.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace kt {

ValueParser::ValueParser() : pool_(arena_.data(), arena_.size()), doc_(&pool_) {}

void ValueParser::Reset() {
  doc_.SetNull();
  pool_.Clear();  // keeps the arena; frees chunks beyond it
}

Status ValueParser::ParseJson(std::string_view text) {
  Reset();
  buffer_.assign(text.data(), text.size());
  doc_.ParseInsitu<kJsonParseFlags>(buffer_.data());
  if (doc_.HasParseError()) {
    return Status::DataError("invalid JSON at column " + std::to_string(doc_.GetErrorOffset() + 1) +
                             ": " + rapidjson::GetParseError_En(doc_.GetParseError()));
  }
  return Status::Ok();
}

Status ValueParser::ValidateJson(std::string_view text) {
  rapidjson::Reader reader;
  rapidjson::BaseReaderHandler<> ignore;
  rapidjson::MemoryStream ms(text.data(), text.size());
  rapidjson::ParseResult r = reader.Parse<kJsonParseFlags>(ms, ignore);
  if (r.IsError())
    return Status::DataError("invalid JSON at column " + std::to_string(r.Offset() + 1) + ": " +
                             rapidjson::GetParseError_En(r.Code()));
  return Status::Ok();
}

void ValueParser::SetString(std::string_view text) {
  Reset();
  doc_.SetString(rapidjson::StringRef(text.data(), text.size()));
}

}  // namespace kt
