#include "kt/state/store_memory.hpp"

namespace kt {

Status MemoryStore::Get(std::string_view key, std::string* value) {
  if (!staged_.empty()) {
    auto s = staged_.find(std::string(key));
    if (s != staged_.end()) {
      if (!s->second) return Status::NotFound("");
      *value = *s->second;
      return Status::Ok();
    }
  }
  auto it = map_.find(std::string(key));
  if (it == map_.end()) return Status::NotFound("");
  *value = it->second;
  return Status::Ok();
}

Status MemoryStore::Put(std::string_view key, std::string_view value) {
  staged_[std::string(key)] = std::string(value);
  return Status::Ok();
}

Status MemoryStore::Delete(std::string_view key) {
  staged_[std::string(key)] = std::nullopt;
  return Status::Ok();
}

Status MemoryStore::Commit(int64_t checkpoint) {
  for (auto& [k, v] : staged_) {
    auto it = map_.find(k);
    if (it != map_.end()) bytes_ -= static_cast<int64_t>(k.size() + it->second.size());
    if (v) {
      bytes_ += static_cast<int64_t>(k.size() + v->size());
      map_[k] = std::move(*v);
    } else if (it != map_.end()) {
      map_.erase(it);
    }
  }
  staged_.clear();
  if (checkpoint >= 0) checkpoint_ = checkpoint;
  return Status::Ok();
}

void MemoryStore::Size(int64_t* keys, int64_t* bytes) const {
  *keys = static_cast<int64_t>(map_.size());
  *bytes = bytes_;
}

Status MemoryStore::ForEach(const std::function<void(std::string_view, std::string_view)>& fn) {
  for (auto& [k, v] : map_)
    if (!staged_.count(k)) fn(k, v);
  for (auto& [k, v] : staged_)
    if (v) fn(k, *v);
  return Status::Ok();
}

}  // namespace kt
