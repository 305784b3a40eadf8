// MemoryStore: a StateStore in a hash map. Nothing survives the process, so every assignment
// restores the whole changelog.
#pragma once

#include <string>
#include <unordered_map>

#include "kt/state/store.hpp"

namespace kt {

class MemoryStore : public StateStore {
 public:
  Status Get(std::string_view key, std::string* value) override;
  void Put(std::string_view key, std::string_view value) override;
  void Delete(std::string_view key) override;
  Status Commit(int64_t checkpoint) override;
  int64_t checkpoint() const override { return checkpoint_; }
  Status ForEach(const std::function<void(std::string_view, std::string_view)>& fn) override;

 private:
  std::unordered_map<std::string, std::string> map_;
  int64_t checkpoint_ = -1;
};

}  // namespace kt
