#include "joined_value.hpp"

#include "kt/core/json_reader.hpp"

namespace kt::kjoin {

namespace {

// Appends the members of object `doc` to `out` (after a comma when `*sep`), skipping names that
// `skip` has.
void AppendMembers(const rapidjson::Value& doc, const RawNumbers* raw, const rapidjson::Value* skip,
                   bool* sep, std::string* out) {
  for (auto& m : doc.GetObject()) {
    if (skip && skip->HasMember(m.name)) continue;
    if (*sep) out->push_back(',');
    *sep = true;
    AppendJson(m.name, out);
    out->push_back(':');
    AppendJson(m.value, out, raw);
  }
}

}  // namespace

std::optional<std::string> ValueTextOf(const Input& in, bool json_values) {
  if (!in.record.value) return std::nullopt;              // a tombstone
  if (json_values) return std::string(*in.record.value);  // validated by the Runner, parsed or not
  if (!in.value) return std::nullopt;  // not reached: other codecs want their values decoded
  std::string text;
  AppendJson(*in.value, &text);
  return text;
}

OutRecord JoinOutput(const Record& rec, std::optional<std::string_view> key, const std::string* value,
                     int64_t time) {
  OutRecord o;
  o.key = key;
  if (value) {
    o.value_kind = OutRecord::ValueKind::kText;
    o.value_text = *value;
  }
  o.timestamp = time;
  o.headers = rec.headers;  // the triggering record's, as Kafka Streams forwards its context's
  o.source_topic = rec.topic;
  o.source_partition = rec.partition;
  o.source_offset = rec.offset;
  return o;
}

Status JoinedValue::Render(const std::optional<std::string>& left, const std::optional<std::string>& right,
                           std::string* out) {
  out->clear();
  if (!merge_) {
    // {"left": L, ...} is one level deeper than L: a side at the limit cannot go inside it.
    for (auto [side, name] : {std::pair{&left, "left"}, std::pair{&right, "right"}})
      if (*side && FillsJsonDepth(**side))
        return Status::DataError(std::string("the ") + name + " value nests arrays and objects " +
                                 std::to_string(kMaxJsonDepth) +
                                 " levels deep: {\"left\":...,\"right\":...} around it "
                                 "would be deeper than JSON readers take (--merge keeps the sides' depth)");
    out->append("{\"left\":").append(left ? *left : "null");
    out->append(",\"right\":").append(right ? *right : "null").push_back('}');
    return Status::Ok();
  }
  if (left) {
    if (Status s = ParseJsonText(*left, &left_doc_, &left_raw_); !s.ok())
      return Status::DataError(s.message());
    if (!left_doc_.IsObject())
      return Status::DataError("--merge needs JSON objects; the left value is not one");
  }
  if (right) {
    if (Status s = ParseJsonText(*right, &right_doc_, &right_raw_); !s.ok())
      return Status::DataError(s.message());
    if (!right_doc_.IsObject())
      return Status::DataError("--merge needs JSON objects; the right value is not one");
  }
  out->push_back('{');
  bool sep = false;
  // The left record as it came, enriched: its fields in their order, then the right value's
  // fields it lacks (a name on both sides keeps the left value).
  if (left) AppendMembers(left_doc_, left_raw_.empty() ? nullptr : &left_raw_, nullptr, &sep, out);
  if (right)
    AppendMembers(right_doc_, right_raw_.empty() ? nullptr : &right_raw_, left ? &left_doc_ : nullptr, &sep,
                  out);
  out->push_back('}');
  return Status::Ok();
}

}  // namespace kt::kjoin
