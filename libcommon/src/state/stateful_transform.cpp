#include "kt/state/stateful_transform.hpp"

#include "kt/kafka/admin.hpp"

namespace kt {

void StatefulTransform::OnAssigned(const std::vector<int32_t>& partitions) {
  for (int32_t p : partitions) {
    Status s = state_->Assign(p);
    if (!s.ok() && state_error_.ok()) state_error_ = s;
  }
}

void StatefulTransform::OnRevoked(const std::vector<int32_t>& partitions) {
  for (int32_t p : partitions) {
    auto it = dirty_.find(p);  // written at the BeforeCommit the Runner ran before revoking
    if (it != dirty_.end()) {
      cached_ -= it->second.size();
      dirty_.erase(it);
    }
    state_->Revoke(p);
  }
}

StatefulTransform::Pending& StatefulTransform::Slot(int32_t partition, std::string_view key, bool* created) {
  PendingMap& keys = dirty_[partition];
  auto it = keys.find(key);
  if (created) *created = it == keys.end();
  if (it == keys.end()) {
    it = keys.emplace(std::string(key), Pending{}).first;
    ++cached_;
  }
  return it->second;
}

void StatefulTransform::PutState(int32_t partition, std::string_view key, std::string_view value, int64_t timestamp,
                                 bool new_key) {
  bool created = false;
  Pending& p = Slot(partition, key, &created);
  if (created) p.fresh = new_key;  // an existing slot may stand for a stored value: keep its flag
  p.value.assign(value);
  p.timestamp = timestamp;
  p.dirty = true;
  p.deleted = false;
}

void StatefulTransform::DeleteState(int32_t partition, std::string_view key, int64_t timestamp) {
  PendingMap& keys = dirty_[partition];
  if (auto it = keys.find(key); it != keys.end() && it->second.fresh) {
    keys.erase(it);
    --cached_;
    return;
  }
  Pending& p = Slot(partition, key);
  p.value.clear();
  p.timestamp = timestamp;
  p.dirty = true;
  p.deleted = true;
}

Result<StatefulTransform::Pending*> StatefulTransform::EditState(const Record& rec, std::string_view key,
                                                                 const std::string** state) {
  if (!state_error_.ok()) return state_error_;
  int32_t p = PartitionOf(rec);
  bool created = false;
  Pending& slot = Slot(p, key, &created);
  if (created) {  // caches what the store holds: clean until replaced
    slot.dirty = false;
    Status s = state_->store(p)->Get(key, &slot.value);
    if (s.IsNotFound()) {
      slot.deleted = true;
    } else if (!s.ok()) {
      dirty_[p].erase(dirty_[p].find(key));
      --cached_;
      return s;
    }
  }
  *state = slot.deleted ? nullptr : &slot.value;
  return &slot;
}

void StatefulTransform::ReplaceState(Pending* slot, std::string& value, int64_t timestamp) {
  slot->value.swap(value);
  slot->timestamp = timestamp;
  slot->dirty = true;
  slot->deleted = false;
}

Status StatefulTransform::ForEachState(int32_t partition,
                                       const std::function<void(std::string_view, std::string_view)>& fn) {
  if (!state_error_.ok()) return state_error_;
  return state_->store(partition)->ForEach(fn);
}

void StatefulTransform::BeforeCommit(Emitter& out) {
  for (auto& [partition, keys] : dirty_) {
    StateStore* store = state_->store(partition);
    for (auto& [key, pending] : keys) {
      if (!pending.dirty) continue;
      pending.dirty = false;
      pending.fresh = false;
      ++written_;
      if (pending.deleted) store->Delete(key);
      else store->Put(key, pending.value);
      if (state_->changelog()) {
        OutRecord c;
        c.internal = c.wire = true;
        c.topic = state_->changelog()->topic();
        c.partition = partition;
        c.key = key;
        c.value_kind = pending.deleted ? OutRecord::ValueKind::kNull : OutRecord::ValueKind::kText;
        c.value_text = pending.value;
        c.timestamp = pending.timestamp;
        out.Emit(c);
      }
    }
  }
  if (!read_cache_ || cached_ > kMaxCachedKeys) {  // everything is clean now: start the cache afresh
    dirty_.clear();
    cached_ = 0;
  }
  state_->Commit();
}

std::string StatefulTransform::StateSummary() const {
  return "restored " + std::to_string(state_->restored()) + " changelog records, wrote " + std::to_string(written_) +
         " state changes";
}

void AddStateOptions(CLI::App& app, StateCliOptions& o) {
  app.add_option("--store", o.store, "State store: rocksdb or memory")->check(CLI::IsMember({"rocksdb", "memory"}))
      ->capture_default_str();
  app.add_option("--state-dir", o.state_dir, "Root of local state: DIR/<group>/<store> (default $XDG_STATE_HOME/ktools)");
}

Result<std::unique_ptr<PartitionedState>> OpenToolState(CommonOptions& common, const std::string& tool,
                                                        const std::string& name, const StateCliOptions& o,
                                                        int partitions) {
  StoreOptions so;
  auto kind = ParseStoreKind(o.store);
  if (!kind.ok()) return kind.status();
  so.kind = *kind;
  if (common.input == "-") return std::make_unique<PartitionedState>(so, nullptr);
  auto cfg = ResolveKafkaConfig(common);
  if (!cfg.ok()) return cfg.status();
  if (common.group.empty()) common.group = DefaultGroup(tool, common.input);
  Result<int> n = partitions;
  if (partitions <= 0) n = PartitionCount(*cfg, common.input, tool);
  if (!n.ok()) return n.status();
  if (*n == 0) return Status::KafkaError("topic '" + common.input + "' does not exist on " + cfg->brokers);
  auto changelog = std::make_unique<Changelog>(*cfg, common.group + "-" + name + "-changelog", tool);
  if (Status s = changelog->Ensure(*n); !s.ok()) return s;
  so.dir = StateDir(o.state_dir, common.group, name);
  return std::make_unique<PartitionedState>(so, std::move(changelog));
}

}  // namespace kt
