#include "table_query.hpp"

#include <iostream>
#include <map>

#include "kt/core/json.hpp"
#include "kt/core/json_reader.hpp"
#include "kt/core/strings.hpp"
#include "kt/state/store_contents.hpp"

namespace kt::ktable {

// The state JSON as the table's output shows it: "key" first.
std::string RenderTableRow(const std::string& key, const std::string& state) {
  rapidjson::Document d;
  RawNumbers raw;  // numbers as the state holds them (first/last keep a record's text)
  std::string out;
  StringOutStream os{&out};
  ExactWriter<rapidjson::Writer<StringOutStream>> w(os, &raw);
  w.StartObject();
  w.Key("key");
  std::string scratch;
  std::string_view text = Utf8Text(key, &scratch);  // shown as the table's output shows it
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  if (ParseJsonText(state, &d, &raw).ok() && d.IsObject()) {
    for (auto& m : d.GetObject()) {
      w.Key(m.name.GetString(), m.name.GetStringLength());
      m.value.Accept(w);
    }
  }
  w.EndObject();
  return out;
}

Status RunTableQuery(const TableQuery& q, const KafkaConfig& cfg) {
  std::map<std::string, std::string> rows;
  KeyLookup lookup;
  if (q.key)
    lookup = {*q.key, [&](const std::map<std::string, std::string>& m) { return m.count(*q.key) > 0; }};
  if (Status s = ReadStoreContents(q.where, cfg, "ktable", &rows, q.key ? &lookup : nullptr); !s.ok())
    return s;
  if (q.key) {
    auto it = rows.find(*q.key);
    if (it == rows.end()) return Status::NotFound("key '" + *q.key + "' is not in table " + q.where.store);
    std::cout << RenderTableRow(it->first, it->second) << "\n";
    return Status::Ok();
  }
  for (auto& [k, v] : rows) std::cout << RenderTableRow(k, v) << "\n";
  return Status::Ok();
}

}  // namespace kt::ktable
