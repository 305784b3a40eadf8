#include "topic_stats.hpp"

#include <functional>

#include "kt/core/json.hpp"
#include "kt/core/time.hpp"

namespace kt::ktopic {

namespace {

std::string OptionalText(const std::optional<std::string_view>& s) { return s ? QuoteJson(*s) : "null"; }

}  // namespace

void TopicStats::Add(const TopicRecord& r) {
  ++records_;
  min_ts_ = std::min(min_ts_, r.timestamp);
  max_ts_ = std::max(max_ts_, r.timestamp);
  if (r.key) {
    key_bytes_ += static_cast<int64_t>(r.key->size());
    keys_.insert(std::hash<std::string_view>{}(*r.key));
  } else {
    ++null_keys_;
  }
  if (!r.value) {
    ++tombstones_;
  } else {
    value_bytes_ += static_cast<int64_t>(r.value->size());
    rapidjson::Document d;
    if (!ParseJson(*r.value, &d).ok()) {
      ++not_json_;
    } else if (d.IsObject()) {
      ++objects_;
      for (auto& m : d.GetObject()) {
        Field& f = fields_[std::string(View(m.name))];
        ++f.count;
        f.types.insert(JsonTypeName(m.value));
      }
    } else {
      ++other_json_;
    }
  }
  auto& s = samples_[r.partition];
  if (s.size() < sample_) {
    // The value as JSON when it is JSON, else as a string.
    std::string value = "null";
    if (r.value) {
      rapidjson::Document d;
      if (ParseJson(*r.value, &d).ok()) {
        value.clear();
        AppendJson(d, &value);  // compact: one line
      } else {
        value = QuoteJson(*r.value);
      }
    }
    s.push_back("{\"partition\":" + std::to_string(r.partition) + ",\"offset\":" + std::to_string(r.offset) +
                ",\"timestamp\":" + std::to_string(r.timestamp) + ",\"key\":" + OptionalText(r.key) +
                ",\"value\":" + value + "}");
  }
}

std::string TopicStats::ToJson() const {
  std::string o =
      "{\"topic\":" + QuoteJson(topic_) + ",\"partitions\":" + std::to_string(partitions_) +
      ",\"records\":" + std::to_string(records_) + ",\"tombstones\":" + std::to_string(tombstones_) +
      ",\"bytes\":{\"keys\":" + std::to_string(key_bytes_) + ",\"values\":" + std::to_string(value_bytes_) +
      "},\"keys\":{\"distinct\":" + std::to_string(keys_.size()) + ",\"null\":" + std::to_string(null_keys_) +
      "},\"timestamps\":";
  if (records_ == 0)
    o += "null";
  else
    o += "{\"first\":" + std::to_string(min_ts_) + ",\"last\":" + std::to_string(max_ts_) +
         ",\"first_time\":" + QuoteJson(FormatRfc3339(min_ts_)) +
         ",\"last_time\":" + QuoteJson(FormatRfc3339(max_ts_)) + "}";
  o += ",\"values\":{\"json_objects\":" + std::to_string(objects_) +
       ",\"json_other\":" + std::to_string(other_json_) + ",\"not_json\":" + std::to_string(not_json_) +
       ",\"fields\":{";
  bool first = true;
  for (auto& [name, f] : fields_) {
    if (!first) o += ',';
    first = false;
    o += QuoteJson(name) + ":{\"count\":" + std::to_string(f.count) + ",\"types\":[";
    bool ft = true;
    for (auto& t : f.types) {
      o += (ft ? "\"" : ",\"") + t + "\"";
      ft = false;
    }
    o += "]}";
  }
  o += "}},\"sample\":[";
  size_t n = 0;
  for (auto& [p, rows] : samples_)
    for (auto& row : rows) {
      if (n == sample_) break;
      o += (n++ ? "," : "") + row;
    }
  return o + "]}";
}

}  // namespace kt::ktopic
