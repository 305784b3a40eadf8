#include "kt/state/stateful_transform.hpp"


namespace kt {

bool StatefulTransform::WritesInternal() const { return state_->changelog() != nullptr; }

Result<std::vector<int32_t>> StatefulTransform::OnAssigned(const std::vector<int32_t>& partitions) {
  std::vector<int32_t> restoring;
  for (int32_t p : partitions) {
    auto r = state_->Assign(p);
    if (!r.ok()) return r.status();
    if (*r) {
      restoring.push_back(p);
    } else if (Status s = OnRestored(p); !s.ok()) {
      return s;
    }
  }
  return restoring;
}

Status StatefulTransform::Restore(int budget_ms, std::vector<int32_t>* ready) {
  size_t before = ready->size();
  if (Status s = state_->Restore(budget_ms, ready); !s.ok()) return s;
  for (size_t i = before; i < ready->size(); ++i)
    if (Status s = OnRestored((*ready)[i]); !s.ok()) return s;
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

void StatefulTransform::PutState(int32_t partition, std::string_view key, std::string_view value, int64_t timestamp,
                                 bool new_key, bool last) {
  bool created = false;
  Pending& p = Slot(partition, key, &created);
  if (created) p.fresh = new_key;  // an existing slot may stand for a stored value: keep its flag
  p.value.assign(value);
  p.timestamp = timestamp;
  p.dirty = true;
  p.deleted = false;
  p.raw = true;
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
  p.pos.clear();
  p.timestamp = timestamp;
  p.dirty = true;
  p.deleted = true;
}

Result<StatefulTransform::Edit> StatefulTransform::EditState(const Record& rec, std::string_view key) {
  int32_t p = PartitionOf(rec);
  bool created = false;
  Pending& slot = Slot(p, key, &created);
  if (created) {  // caches what the store holds: clean until replaced
    slot.dirty = false;
    Status s = state_->has(p) ? state_->store(p)->Get(key, &slot.value)
                              : Status::IoError("no state for partition " + std::to_string(p));
    if (s.IsNotFound()) {
      slot.deleted = true;
    } else if (!s.ok()) {
      cache_[p].erase(cache_[p].find(key));
      --cached_;
      return s;
    } else {
      slot.pos = AppliedPositions::ExtractFrom(&slot.value);
    }
  }
  Edit e{&slot, slot.deleted ? nullptr : &slot.value, false};
  if (auto pos = PositionOf(rec); pos && slot.pos.Covers(*pos)) e.replay = true;
  return e;
}

void StatefulTransform::ReplaceState(Pending* slot, const Record& rec, std::string& value) {
  slot->value.swap(value);
  if (auto pos = PositionOf(rec)) slot->pos.Advance(*pos);
  slot->timestamp = rec.timestamp;
  slot->dirty = true;
  slot->deleted = false;
  slot->raw = false;
}

Status StatefulTransform::ForEachState(int32_t partition,
                                       const std::function<void(std::string_view, std::string_view)>& fn) {
  if (!state_->has(partition)) return Status::IoError("no state for partition " + std::to_string(partition));
  return state_->store(partition)->ForEach(fn);
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
  const std::string* value = &pending.value;
  if (!pending.deleted && !pending.raw && !pending.pos.empty()) {
    buf_ = pending.value;
    pending.pos.AppendTo(&buf_);
    value = &buf_;
  }
  Status s = pending.deleted ? store->Delete(key) : store->Put(key, *value);
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
    c.value_text = *value;
    c.timestamp = pending.timestamp;
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
}

}  // namespace kt
