// MemoryStore: a StateStore in a hash map. Nothing survives the process, so every assignment
// restores the whole changelog. Staged writes are kept apart until Commit, as in RocksDbStore,
// so Discard behaves the same.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "kt/state/store.hpp"

namespace kt {

class MemoryStore : public StateStore {
 public:
  Status Get(std::string_view key, std::string* value) override;
  Status Put(std::string_view key, std::string_view value) override;
  Status Delete(std::string_view key) override;
  Status Commit(int64_t checkpoint) override;
  void Discard() override { staged_.clear(); }
  int64_t checkpoint() const override { return checkpoint_; }
  Status ForEach(const std::function<void(std::string_view, std::string_view)>& fn) override;
  void Size(int64_t* keys, int64_t* bytes) const override;

 private:
  std::unordered_map<std::string, std::string> map_;
  int64_t bytes_ = 0;                                                   // of map_'s keys and values
  std::unordered_map<std::string, std::optional<std::string>> staged_;  // nullopt: delete
  int64_t checkpoint_ = -1;
};

}  // namespace kt
