#include "kt/core/json_doc_writer.hpp"

#include <cmath>

#include "kt/core/json_reader.hpp"

namespace kt {

void JsonDocWriter::String(const char* s, size_t n) {
  Value();
  doc_->String(s, static_cast<rapidjson::SizeType>(n), true);
}

void JsonDocWriter::Double(double v) {
  if (!std::isfinite(v)) return Null();  // as JsonText writes it
  Value();
  doc_->Double(v);  // JsonText prints it in RapidJSON's shortest form: it reads back as v, no raw text
}

void JsonDocWriter::RawValue(const char* text, size_t n, rapidjson::Type kind) {
  std::string_view t(text, n);
  if (kind == rapidjson::kNumberType) {
    rapidjson::Value v;
    if (JsonNumber(t, &v, raw_)) {
      Value();
      if (v.IsInt64())
        doc_->Int64(v.GetInt64());
      else if (v.IsUint64())
        doc_->Uint64(v.GetUint64());
      else
        doc_->Double(v.GetDouble());
      return;
    }
  }
  rapidjson::Document sub;  // any other JSON text (a default value): rare, parsed on its own
  RawNumbers sub_raw;
  if (Status s = ParseJsonText(t, &sub, &sub_raw); !s.ok()) {
    if (status_.ok()) status_ = s;
    Value();
    doc_->Null();  // keeps the counts right; the document is dropped for status_
    return;
  }
  Value();
  sub.Accept(*doc_);
  if (raw_) raw_->AddAll(&sub_raw);
}

}  // namespace kt
