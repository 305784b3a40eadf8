#include "kt/state/store_memory.hpp"

namespace kt {

Status MemoryStore::Get(std::string_view key, std::string* value) {
  auto it = map_.find(std::string(key));
  if (it == map_.end()) return Status::NotFound("");
  *value = it->second;
  return Status::Ok();
}

void MemoryStore::Put(std::string_view key, std::string_view value) { map_[std::string(key)] = std::string(value); }

void MemoryStore::Delete(std::string_view key) { map_.erase(std::string(key)); }

Status MemoryStore::Commit(int64_t checkpoint) {
  if (checkpoint >= 0) checkpoint_ = checkpoint;
  return Status::Ok();
}

Status MemoryStore::ForEach(const std::function<void(std::string_view, std::string_view)>& fn) {
  for (auto& [k, v] : map_) fn(k, v);
  return Status::Ok();
}

}  // namespace kt
