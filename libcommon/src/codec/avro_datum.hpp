#pragma once
// What the Avro decoder (avro_decode.cpp) and encoder (avro_encode.cpp) share about a datum: their
// limits, the error path, the varint, and encoding any node (the decoder writes a union branch's
// value back to check it). Private to codec/.

#include <rapidjson/document.h>

#include <cstdint>
#include <string>

#include "kt/codec/avro_schema.hpp"
#include "kt/core/status.hpp"

namespace kt::avro::datum {

inline constexpr int kMaxDepth = 256;  // nesting of the data (recursive schemas)
// A decimal's unscaled value, both ways: 64 bytes of two's complement hold any number of up to 154
// digits (and some of 155). More is not a decimal anyone writes. One limit for decoding and
// encoding, so that whatever decodes encodes again.
inline constexpr size_t kMaxDecimalBytes = 64;

// Where in the datum an error is: "field a.b[3]". Built only on the way out of a failure.
inline Status At(Status s, const std::string& step) {
  if (s.ok()) return s;
  const std::string& m = s.message();
  if (m.rfind("at ", 0) == 0) return Status::DataError("at " + step + (m[3] == '[' ? "" : ".") + m.substr(3));
  return Status::DataError("at " + step + ": " + m);
}

// Appends v zigzag-encoded as a variable-length integer (Avro's int and long).
inline void PutLong(int64_t v, std::string* out) {
  uint64_t u = (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  while (u >= 0x80) {
    out->push_back(static_cast<char>((u & 0x7f) | 0x80));
    u >>= 7;
  }
  out->push_back(static_cast<char>(u));
}

// Appends the encoding of `v` as a datum of `n` (EncodeFromJson, for any node).
Status EncodeDatum(const Node& n, const rapidjson::Value& v, std::string* out);

}  // namespace kt::avro::datum
