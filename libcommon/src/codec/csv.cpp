#include "kt/codec/csv.hpp"

#include "kt/core/json.hpp"
#include "kt/core/json_reader.hpp"
#include "kt/core/json_text.hpp"
#include "kt/core/strings.hpp"

namespace kt {

bool SplitCsvRow(std::string_view row, std::vector<std::string>* fields) {
  fields->clear();
  std::string cur;
  bool quoted = false, field_started = false;
  for (size_t i = 0; i < row.size(); ++i) {
    char c = row[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < row.size() && row[i + 1] == '"') {
          cur.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cur.push_back(c);
      }
    } else if (c == '"' && !field_started) {
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      fields->push_back(std::move(cur));
      cur.clear();
      field_started = false;
    } else {
      cur.push_back(c);
      field_started = true;
    }
  }
  fields->push_back(std::move(cur));
  return !quoted;
}

namespace {

// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? : the text can go into JSON as it is.
bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0')
    ++i;
  else if (!digits())
    return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

// Whether a strict JSON reader takes the number text back: RapidJSON refuses an exponent past
// 308 even on a zero ("0E400"), which from_chars reads as 0.
bool ReadsBack(std::string_view s) {
  rapidjson::Document d;
  return ParseJsonText(s, &d).ok() && d.IsNumber();
}

}  // namespace

Status CsvRowToJson(const std::vector<std::string>& header, const std::vector<std::string>& row,
                    std::string* json) {
  if (row.size() != header.size())
    return Status::DataError("CSV row has " + std::to_string(row.size()) + " fields, header has " +
                             std::to_string(header.size()));
  // A field that is not UTF-8 would make a JSON record no strict reader takes.
  for (size_t i = 0; i < header.size(); ++i) {
    if (!IsValidUtf8(header[i]))
      return Status::DataError("CSV header field " + std::to_string(i + 1) + " is not valid UTF-8");
    if (!IsValidUtf8(row[i]))
      return Status::DataError("CSV field " + std::to_string(i + 1) + " (" + header[i] +
                               ") is not valid UTF-8");
  }
  json->clear();
  JsonText w(json);
  w.StartObject();
  for (size_t i = 0; i < header.size(); ++i) {
    w.Key(header[i].data(), static_cast<rapidjson::SizeType>(header[i].size()));
    const std::string& f = row[i];
    int64_t n;
    double d;
    if (f.empty())
      w.Null();
    else if (ParseInt64(f, &n))
      w.Int64(n);
    else if (ParseDouble(f, &d) && IsJsonNumber(f) && ReadsBack(f))
      w.RawValue(f.data(), f.size(), rapidjson::kNumberType);
    else if (ParseDouble(f, &d))
      w.Double(d);
    else
      w.String(f.data(), static_cast<rapidjson::SizeType>(f.size()));
  }
  w.EndObject();
  return Status::Ok();
}

}  // namespace kt
