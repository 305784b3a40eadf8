// The value kjoin writes for a pair of sides (either may be missing): {"left":L,"right":R}, or
// with --merge one object with the fields of both, a name on both sides taking the left value.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>

#include "kt/core/json.hpp"
#include "kt/core/status.hpp"
#include "kt/run/transform.hpp"

namespace kt::kjoin {

// The JSON text of an input's value (nullopt for a tombstone): the record's own text when values
// are JSON (`json_values`: --value-format json, exact; the Runner has validated it, so the
// transforms need no parsed value then: JoinWantsValue), else the decoded value written as JSON.
//
// Whether a join transform needs the parsed value: for --merge (fields) and non-JSON codecs.
inline bool JoinWantsValue(bool merge, bool json_values) { return merge || !json_values; }
std::optional<std::string> ValueTextOf(const Input& in, bool json_values);

// The output record of a join result for input `rec`: `key` (nullopt: a null key), the joined
// `value` (null: a tombstone), time `time`, and `rec`'s headers: the record whose processing
// emits a result lends it its headers, as Kafka Streams' record context does (a pair: the
// record that completed it; an (l, null) emitted when a window closed: the record that moved
// stream time). Views into `key` and `value` must outlive its Emit.
OutRecord JoinOutput(const Record& rec, std::optional<std::string_view> key, const std::string* value,
                     int64_t time);

class JoinedValue {
 public:
  explicit JoinedValue(bool merge) : merge_(merge) {}
  // `left`/`right`: JSON texts. With --merge both must be objects (a DataError otherwise).
  Status Render(const std::optional<std::string>& left, const std::optional<std::string>& right,
                std::string* out);

 private:
  bool merge_;
  rapidjson::Document left_doc_, right_doc_;
  RawNumbers left_raw_, right_raw_;
};

}  // namespace kt::kjoin
