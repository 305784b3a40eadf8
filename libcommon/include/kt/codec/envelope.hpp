// The -J stdio envelope: one JSON object per line, lossless between ktools tools.
//
//   {"key":"k1","value":{"a":1},"timestamp":1700000000000,"headers":[["h","v"]],
//    "topic":"clicks","partition":0,"offset":42}
//
// key/value appear as their codec's text form: embedded JSON for `json`, a string for `raw` and
// `binary` (base64); null for a null key or a tombstone. headers is an array of [name, value]
// pairs (order and duplicates kept); a value that is not UTF-8 text is {"base64": "..."}. On
// input an object {"name":"value"} is accepted too, and timestamp may be an RFC 3339 string.
// topic/partition/offset appear when known.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kt/codec/codec.hpp"
#include "kt/core/json.hpp"
#include "kt/core/record.hpp"
#include "kt/core/status.hpp"

namespace kt {

// Appends the envelope for `r` (no newline) to *line. A key or value written as a JSON string
// (raw codec) that is not UTF-8 text is a DataError naming the way out (--key-format binary),
// and *line is left as it was: JSON cannot carry those bytes, and an envelope never changes them.
Status AppendEnvelope(const OutRecord& r, const Codec& key_codec, const Codec& value_codec,
                      std::string* line);

// An envelope line parsed into owned strings.
struct Envelope {
  std::optional<std::string> key;
  std::optional<std::string> value;
  int64_t timestamp = -1;
  std::vector<std::pair<std::string, std::optional<std::string>>> headers;
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;
};

// Parses one line. `doc` is scratch space reused between calls.
Status ParseEnvelope(std::string_view line, const Codec& key_codec, const Codec& value_codec,
                     rapidjson::Document* doc, Envelope* out);

}  // namespace kt
