#include "kt/state/stateful_transform.hpp"

#include <algorithm>

#include "kt/core/murmur2.hpp"
#include "kt/core/strings.hpp"

namespace kt {

bool StatefulTransform::WritesInternal() const { return state_->changelog() != nullptr; }

Result<std::vector<int32_t>> StatefulTransform::OnAssigned(const std::vector<int32_t>& partitions) {
  std::vector<int32_t> restoring;
  state_->StartOpening(partitions);  // Assign below waits for each
  for (int32_t p : partitions) {
    auto r = state_->Assign(p);
    if (!r.ok()) return r.status();
    if (*r) {
      restoring.push_back(p);
    } else if (Status s = OnRestored(p); !s.ok()) {
      return s;
    }
  }
  if (state_->routes() && !restoring.empty()) {  // none is ready before every one is
    for (int32_t p : partitions)
      if (!std::ranges::count(restoring, p)) held_.push_back(p);
    restoring.insert(restoring.end(), held_.begin(), held_.end());
  }
  return restoring;
}

Status StatefulTransform::Restore(int budget_ms, std::vector<int32_t>* ready) {
  size_t before = ready->size();
  if (Status s = state_->Restore(budget_ms, ready); !s.ok()) return s;
  for (size_t i = before; i < ready->size(); ++i)
    if (Status s = OnRestored((*ready)[i]); !s.ok()) return s;
  if (state_->routes()) {
    held_.insert(held_.end(), ready->begin() + static_cast<std::ptrdiff_t>(before), ready->end());
    ready->resize(before);
    if (!state_->Restoring()) {
      ready->insert(ready->end(), held_.begin(), held_.end());
      held_.clear();
    }
  }
  return Status::Ok();
}

void StatefulTransform::Forget(int32_t partition) {
  auto it = cache_.find(partition);
  if (it != cache_.end()) {
    cached_ -= it->second.size();
    cache_.erase(it);
  }
  OnForgotten(partition);
}

Status StatefulTransform::OnRevoked(const std::vector<int32_t>& partitions) {
  Status result;
  for (int32_t p : partitions) {
    Forget(p);  // written at the commit the Runner made before revoking
    if (Status s = state_->Revoke(p); !s.ok() && result.ok()) result = s;
  }
  return result;
}

void StatefulTransform::OnLost(const std::vector<int32_t>& partitions) {
  for (int32_t p : partitions) {
    Forget(p);
    state_->Drop(p);
  }
}

StatefulTransform::Pending& StatefulTransform::Slot(int32_t partition, std::string_view key, bool* created) {
  PendingMap& keys = cache_[partition];
  auto it = keys.find(key);
  if (created) *created = it == keys.end();
  if (it == keys.end()) {
    it = keys.emplace(std::string(key), Pending{}).first;
    ++cached_;
  }
  return it->second;
}

void StatefulTransform::PutState(int32_t partition, std::string_view key, std::string_view value,
                                 const AppliedPositions& pos, int64_t timestamp, bool new_key, bool last,
                                 std::string_view aux) {
  bool created = false;
  Pending& p = Slot(partition, key, &created);
  if (created) p.fresh = new_key;  // an existing slot may stand for a stored value: keep its flag
  p.value.assign(value);
  p.aux.assign(aux);
  p.pos = pos;
  p.timestamp = timestamp;
  p.dirty = true;
  p.deleted = false;
  p.last = last;
}

void StatefulTransform::DeleteState(int32_t partition, std::string_view key, int64_t timestamp) {
  PendingMap& keys = cache_[partition];
  if (auto it = keys.find(key); it != keys.end() && it->second.fresh) {
    keys.erase(it);
    --cached_;
    return;
  }
  Pending& p = Slot(partition, key);
  p.value.clear();
  p.aux.clear();
  p.pos.clear();
  p.timestamp = timestamp;
  p.dirty = true;
  p.deleted = true;
}

Status StatefulTransform::CheckHome(const Record& rec, std::string_view key) const {
  int32_t n = state_->home_partitions();
  if (n <= 0 || rec.partition < 0 || rec.origin) return Status::Ok();
  int32_t home = Murmur2Partition(key, n);
  if (state_->routes()) {
    routed_ = {&rec, rec.partition, rec.offset, rec.packed_index, home};
    return Status::Ok();
  }
  if (home == rec.partition) return Status::Ok();
  std::string scratch;
  return Status::DataError("--no-repartition: the group key '" + std::string(Utf8Text(key, &scratch)) +
                           "' belongs in partition " + std::to_string(home) +
                           " (Java's murmur2 over the key), not " + std::to_string(rec.partition) +
                           ": the input is not partitioned by --by; run without --no-repartition");
}

Result<StatefulTransform::Edit> StatefulTransform::EditState(const Record& rec, std::string_view key) {
  int32_t p = PartitionOf(rec);
  bool created = false;
  Pending& slot = Slot(p, key, &created);
  if (created) {  // caches what the store holds: clean until replaced
    slot.dirty = false;
    Status s = state_->has(p) ? state_->store(p)->Get(key, &slot.value)
                              : Status::IoError("no state for partition " + std::to_string(p));
    if (s.ok()) {
      auto stored = DecodeState(slot.value);
      if (stored.ok()) {
        slot.aux.assign(stored->aux);
        slot.pos = std::move(stored->pos);
        slot.value.resize(stored->value.size());  // the value is the encoding's first part
      } else {
        s = UnreadableState(rec, key, stored.status().message());
      }
    }
    if (s.IsNotFound()) {
      slot.deleted = true;
    } else if (!s.ok()) {
      cache_[p].erase(cache_[p].find(key));
      --cached_;
      return s;
    }
  }
  Edit e{&slot, slot.deleted ? nullptr : &slot.value, &slot.aux, false};
  if (auto pos = PositionOf(rec); pos && slot.pos.Covers(*pos)) e.replay = true;
  return e;
}

Status StatefulTransform::UnreadableState(const Record& rec, std::string_view key,
                                          const std::string& why) const {
  int32_t p = PartitionOf(rec);
  std::string store = state_->changelog()
                          ? "changelog " + state_->changelog()->topic() + ", partition " + std::to_string(p)
                          : "in memory";
  return Status::DataError("the state of key '" + std::string(key) + "' (" + store +
                           ") cannot be read: " + why +
                           "; the key's records fail until it is replaced: go past them with --on-error skip "
                           "or dlq, or start the state over (ktools(7), STATE)");
}

void StatefulTransform::ReplaceState(Pending* slot, const Record& rec, std::string& value,
                                     std::string_view aux) {
  slot->value.swap(value);
  slot->aux.assign(aux);
  if (auto pos = PositionOf(rec)) slot->pos.Advance(*pos);
  slot->timestamp = rec.timestamp;
  slot->dirty = true;
  slot->deleted = false;
}

Status StatefulTransform::ForEachState(int32_t partition,
                                       const std::function<void(std::string_view, const StateView&)>& fn) {
  if (!state_->has(partition)) return Status::IoError("no state for partition " + std::to_string(partition));
  Status bad;
  Status s = state_->store(partition)->ForEach([&](std::string_view key, std::string_view stored) {
    if (!bad.ok()) return;
    auto state = DecodeState(stored);
    if (!state.ok()) {
      bad = state.status().WithContext("key '" + std::string(key) + "'");
      return;
    }
    fn(key, *state);
  });
  return s.ok() ? bad : s;
}

Status StatefulTransform::WriteState(Emitter& out) {
  PrepareWrite();
  for (auto& [partition, keys] : cache_) {
    for (int pass = 0; pass < 2; ++pass) {  // `last` keys after the others
      for (auto& [key, pending] : keys) {
        if (!pending.dirty || pending.last != (pass == 1)) continue;
        if (Status s = Write(partition, key, pending, out); !s.ok()) return s;
      }
    }
  }
  return Status::Ok();
}

Status StatefulTransform::Write(int32_t partition, const std::string& key, Pending& pending, Emitter& out) {
  if (!state_->has(partition)) return Status::IoError("no state for partition " + std::to_string(partition));
  StateStore* store = state_->store(partition);
  Status s;
  if (pending.deleted) {
    s = store->Delete(key);
  } else {
    buf_.clear();
    EncodeState(pending.value, pending.aux, pending.pos, &buf_);
    s = store->Put(key, buf_);
  }
  if (!s.ok()) return s;
  pending.dirty = false;
  pending.fresh = false;
  ++written_;
  if (state_->changelog()) {
    OutRecord c;
    c.internal = c.wire = true;
    c.topic = state_->changelog()->topic();
    c.partition = partition;
    c.key = key;
    c.value_kind = pending.deleted ? OutRecord::ValueKind::kNull : OutRecord::ValueKind::kText;
    c.value_text = pending.value;
    c.timestamp = pending.timestamp;
    headers_.clear();
    pos_text_.clear();
    if (!pending.deleted) {
      pending.pos.AppendText(&pos_text_);
      AppendStateHeaders(pending.aux, pos_text_, &headers_);
      if (!headers_.empty()) c.headers = &headers_;
    }
    out.Emit(c);
  }
  return Status::Ok();
}

Status StatefulTransform::PersistState(const std::vector<TopicPartitionOffset>& changelog_acked) {
  if (Status s = state_->Persist(changelog_acked); !s.ok()) return s;
  if (!read_cache_ || cached_ > kMaxCachedKeys) {  // everything is clean now: start the cache afresh
    for (auto& [p, keys] : cache_) keys.clear();
    cached_ = 0;
  }
  return Status::Ok();
}

std::string StatefulTransform::StateSummary() const {
  std::string s = "restored " + std::to_string(state_->restored()) + " changelog records, wrote " +
                  std::to_string(written_) + " state changes";
  if (replays_) s += ", " + std::to_string(replays_) + " replayed records already in the state skipped";
  return s;
}

void StatefulTransform::Counters(std::vector<std::pair<std::string, int64_t>>* out) const {
  out->emplace_back("restored", state_->restored());
  out->emplace_back("state_changes", written_);
  out->emplace_back("replayed", replays_);
  if (state_->standby_applied() > 0) out->emplace_back("standby_applied", state_->standby_applied());
}

void StatefulTransform::StoreSizes(std::vector<StoreSize>* out) const {
  std::vector<std::tuple<int32_t, int64_t, int64_t, bool>> sizes;
  state_->Sizes(&sizes);
  for (auto& [p, keys, bytes, standby] : sizes) out->push_back({p, keys, bytes, standby});
}

Status StatefulTransform::CollectState(std::string_view key, bool exact,
                                       std::map<std::string, std::string>* rows) {
  for (int32_t p : state_->partitions()) {
    StateStore* store = state_->store(p);
    const PendingMap* cached = cache_.count(p) ? &cache_.at(p) : nullptr;
    if (exact) {
      if (cached) {
        if (auto it = cached->find(key); it != cached->end()) {
          if (!it->second.deleted) (*rows)[std::string(key)] = it->second.value;
          continue;
        }
      }
      std::string stored;
      Status s = store->Get(key, &stored);
      if (s.IsNotFound()) continue;
      if (!s.ok()) return s;
      auto state = DecodeState(stored);
      if (!state.ok()) return state.status().WithContext("key '" + std::string(key) + "'");
      (*rows)[std::string(key)] = std::string(state->value);
      continue;
    }
    Status bad;
    Status s = store->ForEach([&](std::string_view k, std::string_view stored) {
      if (!bad.ok() || k.substr(0, key.size()) != key) return;
      if (cached && cached->count(k)) return;  // the cache has the newer state
      auto state = DecodeState(stored);
      if (!state.ok())
        bad = state.status().WithContext("key '" + std::string(k) + "'");
      else
        (*rows)[std::string(k)] = std::string(state->value);
    });
    if (!s.ok()) return s;
    if (!bad.ok()) return bad;
    if (cached)
      for (auto& [k, pending] : *cached)
        if (!pending.deleted && std::string_view(k).substr(0, key.size()) == key) (*rows)[k] = pending.value;
  }
  return Status::Ok();
}

}  // namespace kt
