// Parses record values into a reused rapidjson::Document without per-record heap allocation
// for typical records: the text is copied into a reused buffer and parsed in situ, and the
// document's allocator starts from a fixed arena that is recycled for every record.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "kt/core/json.hpp"
#include "kt/core/json_doc_writer.hpp"
#include "kt/core/status.hpp"

namespace kt {

class ValueParser {
 public:
  ValueParser();
  ValueParser(const ValueParser&) = delete;
  ValueParser& operator=(const ValueParser&) = delete;

  // JSON text -> document. DataError naming the column on invalid JSON. `ours`: as for
  // ParseJsonInsitu, text a binary codec's decoder wrote.
  Status ParseJson(std::string_view text, bool ours = false);
  // Checks that `text` is one valid JSON value without building a document (SAX pass).
  static Status ValidateJson(std::string_view text);
  // An empty document and no raw numbers, for a decoder to build into (Target).
  void Clear() {
    Reset();
    raw_.clear();
  }
  DocumentTarget Target() { return DocumentTarget{&doc_, &raw_}; }
  // Any bytes -> a JSON string value (for raw/binary codecs).
  void SetString(std::string_view text);

  // Valid until the next Parse/SetString. The caller may modify it, allocating with
  // doc()->GetAllocator().
  rapidjson::Document* doc() { return &doc_; }
  // The exact texts of the last parsed value's numbers that would print differently (see
  // RawNumbers), or null when there are none (the usual case).
  const RawNumbers* raw_numbers() const { return raw_.empty() ? nullptr : &raw_; }

 private:
  void Reset();
  static constexpr size_t kArena = 16 * 1024;
  std::array<char, kArena> arena_;
  rapidjson::MemoryPoolAllocator<> pool_;
  rapidjson::Document doc_;
  std::string buffer_;
  RawNumbers raw_;
};

}  // namespace kt
