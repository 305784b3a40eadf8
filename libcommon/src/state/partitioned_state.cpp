#include "kt/state/partitioned_state.hpp"

#include <algorithm>
#include <future>

#include "kt/core/log.hpp"
#include "kt/core/time.hpp"

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
  if (auto sb = standbys_.find(p); sb != standbys_.end()) {  // warm: only the tail to restore
    changelog_->Stop(p);
    if (Status c = sb->second.store->Commit(sb->second.applied); !c.ok()) return c;
    stores_[p] = std::move(sb->second.store);
    standbys_.erase(sb);
    restoring_[p] = RestoreProgress{};
    return true;
  }
  auto s = OpenStore(p);
  if (!s.ok()) return s.status();
  stores_[p] = std::move(*s);
  if (!changelog_) return false;
  restoring_[p] = RestoreProgress{};
  return true;
}

Result<std::unique_ptr<StateStore>> PartitionedState::OpenStore(int32_t p) {
  if (auto f = opening_.find(p); f != opening_.end()) {
    auto s = f->second.get();
    opening_.erase(f);
    if (s.ok()) return s;  // else opened again here, which reports the error
  }
  return factory_.Open(p);
}

void PartitionedState::StartOpening(const std::vector<int32_t>& partitions) {
  std::vector<int32_t> todo;
  for (int32_t p : partitions) {
    p = Task(p);
    if (!stores_.count(p) && !standbys_.count(p) && !opening_.count(p) &&
        std::find(todo.begin(), todo.end(), p) == todo.end())
      todo.push_back(p);
  }
  if (todo.size() < 2) return;  // nothing to win: Assign opens it
  for (int32_t p : todo)
    opening_.emplace(p, std::async(std::launch::async, [this, p] { return factory_.Open(p); }));
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
  std::vector<int32_t> beginning;
  for (auto& [p, r] : restoring_)
    if (r.end < 0) beginning.push_back(p);
  changelog_->LookAhead(beginning);
  for (int32_t p : beginning) {
    auto it = restoring_.find(p);  // Begin may finish (erase) an earlier one, never p itself
    if (it == restoring_.end()) continue;
    if (Status s = Begin(p, &it->second, ready); !s.ok()) {
      changelog_->ForgetLookAhead();
      return s;
    }
  }
  changelog_->ForgetLookAhead();
  if (restoring_.empty()) return Status::Ok();
  std::vector<int32_t> done, lost;
  if (Status s = PollChangelog(budget_ms, false, true, &done, &lost); !s.ok()) return s;
  for (int32_t p : lost) {
    if (standbys_.count(p)) {  // a standby starts over from the changelog's start
      changelog_->Stop(p);
      standbys_.erase(p);
      if (Status s = StartStandby(p); !s.ok()) return s;
      continue;
    }
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

void PartitionedState::Sizes(std::vector<std::tuple<int32_t, int64_t, int64_t, bool>>* out) const {
  int64_t keys = 0, bytes = 0;
  for (auto& [p, store] : stores_) {
    store->Size(&keys, &bytes);
    out->emplace_back(p, keys, bytes, false);
  }
  for (auto& [p, sb] : standbys_) {
    sb.store->Size(&keys, &bytes);
    out->emplace_back(p, keys, bytes, true);
  }
}

Status PartitionedState::PollChangelog(int budget_ms, bool bounded, bool wait, std::vector<int32_t>* done,
                                       std::vector<int32_t>* lost) {
  int64_t deadline = NowMs() + budget_ms;
  Changelog::Events ev;
  ev.record = [&](int32_t p, int64_t offset, int64_t, std::string_view key,
                  std::optional<std::string_view> value) {
    StateStore* store = nullptr;
    if (auto it = restoring_.find(p); it != restoring_.end()) {
      if (offset <= it->second.applied) return Status::Ok();
      it->second.applied = offset;
      ++restored_;
      if (offset + 1 >= it->second.end) done->push_back(p);
      store = stores_.at(p).get();
    } else if (auto sb = standbys_.find(p); sb != standbys_.end()) {
      if (offset <= sb->second.applied) return Status::Ok();
      sb->second.applied = offset;
      sb->second.staged = true;
      ++standby_applied_;
      store = sb->second.store.get();
    } else {
      return Status::Ok();  // stopped meanwhile
    }
    return value ? store->Put(key, *value) : store->Delete(key);
  };
  ev.end = [&](int32_t p, int64_t next) {
    auto it = restoring_.find(p);
    if (it != restoring_.end() && next >= it->second.end) done->push_back(p);
    // A standby at the end has everything before `next`, transaction markers included (state
    // changes go in transactions): its checkpoint then spares a takeover the wait for an end
    // it would otherwise read to (a fetch.wait.max.ms long poll).
    if (auto sb = standbys_.find(p); sb != standbys_.end() && next - 1 > sb->second.applied) {
      sb->second.applied = next - 1;
      sb->second.staged = true;
    }
  };
  ev.out_of_range = [&](int32_t p) { lost->push_back(p); };
  // Standbys between records: what has arrived, for at most the budget, never a wait.
  if (bounded) ev.finished = [&] { return NowMs() >= deadline; };
  return changelog_->Poll(bounded && !wait ? 0 : budget_ms, ev);
}

Status PartitionedState::StartStandby(int32_t p) {
  auto store = OpenStore(p);
  if (!store.ok()) return store.status();
  auto marks = changelog_->Watermarks(p);
  if (!marks.ok()) return marks.status();
  int64_t checkpoint = (*store)->checkpoint();
  int64_t from = checkpoint + 1;
  if (checkpoint >= 0 && (from > marks->second || from < marks->first)) {  // not in this changelog
    store->reset();
    store = factory_.Open(p, /*fresh=*/true);
    if (!store.ok()) return store.status();
    from = marks->first;
  }
  from = std::max(from, marks->first);
  Standby& sb = standbys_[p];
  sb.store = std::move(*store);
  sb.applied = from - 1;
  return changelog_->Start(p, from);
}

Status PartitionedState::StopStandby(int32_t p) {
  auto it = standbys_.find(p);
  if (it == standbys_.end()) return Status::Ok();
  changelog_->Stop(p);
  Status s = it->second.store->Commit(it->second.applied);
  standbys_.erase(it);
  return s;
}

Status PartitionedState::CommitStandbys() {
  standby_committed_ms_ = NowMs();
  for (auto& [p, sb] : standbys_) {
    if (!sb.staged) continue;
    if (Status s = sb.store->Commit(sb.applied); !s.ok()) return s;
    sb.staged = false;
  }
  return Status::Ok();
}

Status PartitionedState::Tend(int budget_ms, bool wait) {
  if (!planner_ || !changelog_ || !restoring_.empty()) return Status::Ok();
  if (auto wanted = planner_->Wanted()) {
    for (auto it = standbys_.begin(); it != standbys_.end();) {
      int32_t p = (it++)->first;
      if (!wanted->count(p) || stores_.count(p))
        if (Status s = StopStandby(p); !s.ok()) return s;
    }
    for (int32_t p : *wanted)
      if (!stores_.count(p) && !standbys_.count(p))
        if (Status s = StartStandby(p); !s.ok()) return s;
  }
  if (standbys_.empty()) return Status::Ok();
  std::vector<int32_t> done, lost;
  if (Status s = PollChangelog(budget_ms, true, wait, &done, &lost); !s.ok()) return s;
  for (int32_t p : lost) {
    if (!standbys_.count(p)) continue;
    changelog_->Stop(p);
    standbys_.erase(p);
    LogWarning(tool_, "standby of partition " + std::to_string(p) + " (" + changelog_->topic() +
                          "): its position is no longer in the changelog; following it from its start");
    if (Status s = StartStandby(p); !s.ok()) return s;
  }
  if (NowMs() - standby_committed_ms_ >= 1000) return CommitStandbys();
  return Status::Ok();
}

std::vector<int32_t> PartitionedState::standbys() const {
  std::vector<int32_t> out;
  for (auto& [p, sb] : standbys_) out.push_back(p);
  return out;
}

}  // namespace kt
