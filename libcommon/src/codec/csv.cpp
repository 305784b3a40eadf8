#include "kt/codec/csv.hpp"

#include "kt/core/json.hpp"
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

Status CsvRowToJson(const std::vector<std::string>& header, const std::vector<std::string>& row,
                    std::string* json) {
  if (row.size() != header.size())
    return Status::DataError("CSV row has " + std::to_string(row.size()) + " fields, header has " +
                             std::to_string(header.size()));
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  w.StartObject();
  for (size_t i = 0; i < header.size(); ++i) {
    w.Key(header[i].data(), static_cast<rapidjson::SizeType>(header[i].size()));
    const std::string& f = row[i];
    int64_t n;
    double d;
    if (f.empty()) w.Null();
    else if (ParseInt64(f, &n)) w.Int64(n);
    else if (ParseDouble(f, &d)) w.Double(d);
    else w.String(f.data(), static_cast<rapidjson::SizeType>(f.size()));
  }
  w.EndObject();
  json->assign(sb.GetString(), sb.GetSize());
  return Status::Ok();
}

}  // namespace kt
