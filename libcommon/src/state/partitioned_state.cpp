#include "kt/state/partitioned_state.hpp"

#include <algorithm>

#include "kt/core/log.hpp"

namespace kt {

PartitionedState::PartitionedState(StoreOptions options, std::unique_ptr<Changelog> changelog,
                                   std::string tool, bool single_task)
    : factory_(changelog ? options : StoreOptions{StoreOptions::Kind::kMemory}),
      changelog_(std::move(changelog)),
      tool_(std::move(tool)),
      single_task_(single_task && !changelog_) {}

Result<bool> PartitionedState::Assign(int32_t p) {
  p = Task(p);
  if (stores_.count(p)) return restoring_.count(p) > 0;
  auto s = factory_.Open(p);
  if (!s.ok()) return s.status();
  stores_[p] = std::move(*s);
  if (!changelog_) return false;
  restoring_[p] = RestoreProgress{};
  return true;
}

Status PartitionedState::Rebuild(int32_t p, const std::string& why) {
  LogWarning(tool_, "state of partition " + std::to_string(p) + " (" + changelog_->topic() + "): " + why +
                        "; rebuilding it from the changelog");
  stores_.erase(p);
  auto s = factory_.Open(p, /*fresh=*/true);
  if (!s.ok()) return s.status();
  stores_[p] = std::move(*s);
  return Status::Ok();
}

// Decides where p's restoration starts and starts reading there.
Status PartitionedState::Begin(int32_t p, RestoreProgress* r, std::vector<int32_t>* ready) {
  auto marks = changelog_->Watermarks(p);
  if (!marks.ok()) return marks.status();
  auto end = changelog_->LogEnd(p);  // past open transactions: see Changelog::LogEnd
  if (!end.ok()) return end.status();
  int64_t lo = marks->first, hi = std::max(marks->second, *end);
  int64_t checkpoint = stores_.at(p)->checkpoint();
  int64_t from = checkpoint + 1;
  if (checkpoint >= 0 && from > hi) {
    Status s = Rebuild(p, "its checkpoint (offset " + std::to_string(checkpoint) +
                              ") is beyond the changelog's end (" + std::to_string(hi) +
                              "): the changelog was deleted and recreated, or truncated");
    if (!s.ok()) return s;
    from = lo;
  } else if (checkpoint >= 0 && from < lo) {
    Status s = Rebuild(p, "the changelog no longer holds its checkpoint (offset " +
                              std::to_string(checkpoint) + "; it starts at " + std::to_string(lo) + ")");
    if (!s.ok()) return s;
    from = lo;
  }
  if (from < lo) from = lo;
  r->end = hi;
  r->applied = from - 1;
  if (from >= hi) return Finish(p, -1, ready);
  return changelog_->Start(p, from);
}

Status PartitionedState::Finish(int32_t p, int64_t checkpoint, std::vector<int32_t>* ready) {
  restoring_.erase(p);
  if (Status s = stores_.at(p)->Commit(checkpoint); !s.ok()) return s;
  ready->push_back(p);
  return Status::Ok();
}

Status PartitionedState::Restore(int budget_ms, std::vector<int32_t>* ready) {
  for (auto it = restoring_.begin(); it != restoring_.end();) {
    int32_t p = (it++)->first;  // Begin may finish (erase) p
    RestoreProgress& r = restoring_.at(p);
    if (r.end < 0)
      if (Status s = Begin(p, &r, ready); !s.ok()) return s;
  }
  if (restoring_.empty()) return Status::Ok();
  std::vector<int32_t> done, lost;
  Changelog::Events ev;
  ev.record = [&](int32_t p, int64_t offset, int64_t, std::string_view key,
                  std::optional<std::string_view> value) {
    auto it = restoring_.find(p);
    if (it == restoring_.end() || offset <= it->second.applied) return Status::Ok();
    it->second.applied = offset;
    ++restored_;
    if (offset + 1 >= it->second.end) done.push_back(p);
    StateStore* store = stores_.at(p).get();
    return value ? store->Put(key, *value) : store->Delete(key);
  };
  ev.end = [&](int32_t p, int64_t next) {
    auto it = restoring_.find(p);
    if (it != restoring_.end() && next >= it->second.end) done.push_back(p);
  };
  ev.out_of_range = [&](int32_t p) { lost.push_back(p); };
  if (Status s = changelog_->Poll(budget_ms, ev); !s.ok()) return s;
  for (int32_t p : lost) {
    if (!restoring_.count(p)) continue;
    changelog_->Stop(p);
    if (Status s = Rebuild(p, "its position is no longer in the changelog"); !s.ok()) return s;
    restoring_[p] = RestoreProgress{};
  }
  for (int32_t p : done) {
    auto it = restoring_.find(p);
    if (it == restoring_.end()) continue;
    changelog_->Stop(p);
    if (Status s = Finish(p, it->second.end - 1, ready); !s.ok()) return s;
  }
  return Status::Ok();
}

Status PartitionedState::Persist(const std::vector<TopicPartitionOffset>& changelog_acked) {
  for (auto& [p, store] : stores_) {
    if (restoring_.count(p)) continue;
    int64_t checkpoint = -1;
    for (auto& a : changelog_acked)
      if (changelog_ && a.partition == p && a.topic == changelog_->topic()) checkpoint = a.offset;
    if (Status s = store->Commit(checkpoint); !s.ok()) return s;
  }
  return Status::Ok();
}

Status PartitionedState::Revoke(int32_t p) {
  if (single_task_) return Status::Ok();  // kept for the run: the other partitions share it
  auto it = stores_.find(p);
  if (it == stores_.end()) return Status::Ok();
  Status s;
  if (auto r = restoring_.find(p); r != restoring_.end()) {  // keep what the restore got so far
    changelog_->Stop(p);
    s = it->second->Commit(r->second.end >= 0 ? r->second.applied : -1);
    restoring_.erase(r);
  } else {
    s = it->second->Commit(-1);
  }
  stores_.erase(it);
  return s;
}

void PartitionedState::Drop(int32_t p) {
  if (single_task_) return;
  auto it = stores_.find(p);
  if (it == stores_.end()) return;
  if (restoring_.erase(p) && changelog_) changelog_->Stop(p);
  it->second->Discard();
  stores_.erase(it);
}

std::vector<int32_t> PartitionedState::partitions() const {
  std::vector<int32_t> out;
  for (auto& [p, store] : stores_) out.push_back(p);
  return out;
}

void PartitionedState::Sizes(std::vector<std::tuple<int32_t, int64_t, int64_t>>* out) const {
  for (auto& [p, store] : stores_) {
    int64_t keys = 0, bytes = 0;
    store->Size(&keys, &bytes);
    out->emplace_back(p, keys, bytes);
  }
}

}  // namespace kt
