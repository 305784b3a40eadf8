#include "kt/state/store_contents.hpp"

#include <filesystem>

#include "kt/core/murmur2.hpp"
#include "kt/kafka/admin.hpp"
#include "kt/state/changelog.hpp"
#include "kt/state/state_value.hpp"
#include "kt/state/store.hpp"
#include "kt/state/store_memory.hpp"

namespace kt {

Status ReadStoreContents(const StoreLocation& where, const KafkaConfig& cfg, const std::string& tool,
                         std::map<std::string, std::string>* out, const KeyLookup* lookup) {
  Status bad;
  auto add = [&](std::string_view k, std::string_view stored) {
    auto state = DecodeState(stored);
    if (!state.ok())
      bad = state.status().WithContext("key '" + std::string(k) + "'");
    else
      (*out)[std::string(k)] = std::string(state->value);
  };
  if (where.local) {
    std::string dir = StateDir(where.state_dir, where.group, where.store);
    if (!std::filesystem::is_directory(dir)) return Status::NotFound("no local state in " + dir);
    StoreOptions so;
    so.dir = dir;
    so.read_only = true;  // beside the running tool that owns them
    StoreFactory factory(so);
    for (auto& entry : std::filesystem::directory_iterator(dir)) {
      std::string name = entry.path().filename().string();
      if (name.rfind("partition-", 0) != 0) continue;
      auto store = factory.Open(std::stoi(name.substr(10)));
      if (!store.ok()) return store.status();
      if (Status s = (*store)->ForEach(add); !s.ok()) return s;
    }
    return bad;
  }
  std::string topic = where.group + "-" + where.store + "-changelog";
  auto n = PartitionCount(cfg, topic, tool);
  if (!n.ok()) return n.status();
  if (*n == 0)
    return Status::NotFound("changelog topic '" + topic +
                            "' does not exist (check the group and store name)");
  Changelog changelog(cfg, topic, tool, where.verbose);
  std::vector<int32_t> first, rest;
  int32_t home = lookup ? Murmur2Partition(lookup->key, *n) : -1;
  for (int32_t p = 0; p < *n; ++p) (home < 0 || p == home ? first : rest).push_back(p);
  for (const std::vector<int32_t>* ps : {&first, &rest}) {
    if (ps->empty()) continue;
    std::map<int32_t, MemoryStore> stores;
    auto r = changelog.ReadAll(*ps, [&](int32_t p) { return &stores[p]; });
    if (!r.ok()) return r.status();
    for (auto& [p, store] : stores)
      if (Status s = store.ForEach(add); !s.ok()) return s;
    if (lookup && bad.ok() && lookup->found(*out)) break;
  }
  return bad;
}

}  // namespace kt
