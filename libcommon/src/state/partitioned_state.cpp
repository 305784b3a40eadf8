#include "kt/state/partitioned_state.hpp"

namespace kt {

PartitionedState::PartitionedState(StoreOptions options, std::unique_ptr<Changelog> changelog)
    : factory_(changelog ? options : StoreOptions{StoreOptions::Kind::kMemory}), changelog_(std::move(changelog)) {}

Status PartitionedState::Assign(int32_t p) {
  if (stores_.count(p)) return Status::Ok();
  auto s = factory_.Open(p);
  if (!s.ok()) return s.status();
  if (changelog_) {
    auto n = changelog_->Restore(p, (*s)->checkpoint() + 1, s->get());
    if (!n.ok()) return n.status();
    restored_ += *n;
  }
  stores_[p] = std::move(*s);
  return Status::Ok();
}

Status PartitionedState::Revoke(int32_t p) {
  auto it = stores_.find(p);
  if (it == stores_.end()) return Status::Ok();
  int64_t checkpoint = -1;
  if (changelog_) {
    auto end = changelog_->EndOffset(p);
    if (end.ok()) checkpoint = *end - 1;
  }
  Status s = it->second->Commit(checkpoint);
  stores_.erase(it);
  return s;
}

void PartitionedState::Commit() {
  for (auto& [p, store] : stores_) store->Commit(-1);
}

}  // namespace kt
