#include "table_query.hpp"

#include <filesystem>
#include <iostream>
#include <map>

#include "kt/state/changelog.hpp"
#include "kt/core/json.hpp"
#include "kt/kafka/admin.hpp"
#include "kt/state/store_memory.hpp"

namespace kt {

namespace {

// The state JSON as the table's output shows it: "key" first, internal "__kt" left out.
std::string Render(const std::string& key, const std::string& state) {
  rapidjson::Document d;
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  w.StartObject();
  w.Key("key");
  w.String(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  if (ParseJson(state, &d).ok() && d.IsObject()) {
    for (auto& m : d.GetObject()) {
      if (View(m.name).substr(0, 4) == "__kt") continue;  // internal: avg's sums, positions
      w.Key(m.name.GetString(), m.name.GetStringLength());
      m.value.Accept(w);
    }
  }
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize());
}

Status Collect(const TableQuery& q, const KafkaConfig& cfg, std::map<std::string, std::string>* out) {
  auto add = [&](std::string_view k, std::string_view v) { (*out)[std::string(k)] = std::string(v); };
  if (q.local) {
    std::string dir = StateDir(q.state_dir, q.group, q.table);
    if (!std::filesystem::is_directory(dir)) return Status::NotFound("no local state in " + dir);
    StoreOptions so;
    so.dir = dir;
    StoreFactory factory(so);
    for (auto& entry : std::filesystem::directory_iterator(dir)) {
      std::string name = entry.path().filename().string();
      if (name.rfind("partition-", 0) != 0) continue;
      auto store = factory.Open(std::stoi(name.substr(10)));
      if (!store.ok()) return store.status();
      if (Status s = (*store)->ForEach(add); !s.ok()) return s;
    }
    return Status::Ok();
  }
  std::string topic = q.group + "-" + q.table + "-changelog";
  auto n = PartitionCount(cfg, topic, "ktable");
  if (!n.ok()) return n.status();
  if (*n == 0) return Status::NotFound("changelog topic '" + topic + "' does not exist (check --group and --table)");
  Changelog changelog(cfg, topic, "ktable", q.verbose);
  for (int32_t p = 0; p < *n; ++p) {
    MemoryStore store;
    auto r = changelog.ReadAll(p, &store);
    if (!r.ok()) return r.status();
    if (Status s = store.ForEach(add); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

Status RunTableQuery(const TableQuery& q, const KafkaConfig& cfg) {
  std::map<std::string, std::string> rows;
  if (Status s = Collect(q, cfg, &rows); !s.ok()) return s;
  if (q.key) {
    auto it = rows.find(*q.key);
    if (it == rows.end()) return Status::NotFound("key '" + *q.key + "' is not in table " + q.table);
    std::cout << Render(it->first, it->second) << "\n";
    return Status::Ok();
  }
  for (auto& [k, v] : rows) std::cout << Render(k, v) << "\n";
  return Status::Ok();
}

}  // namespace kt
