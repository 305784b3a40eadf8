// Base of Transforms that keep per-key state (ktable, kscore --zscore/--ewma, kwindow): owns the
// PartitionedState, restores partitions when assigned (OnRestored tells the subclass when a
// partition is ready), and writes and persists state at the Runner's commit barrier.
//
// State writes are coalesced per key within a commit interval (--commit-interval, or sooner when
// the cache is full): a key's latest state is kept in memory (EditState reads it there first: hot
// keys never touch RocksDB per record); WriteState writes each dirty key once to its store
// (staged) and to the changelog; PersistState makes the store writes durable once the Runner has
// the changelog records acknowledged (or their transaction committed). Input offsets are
// committed after that, so a committed offset's state is always in the changelog.
//
// Each key's state carries the input positions it reflects (state/positions.hpp), beside its
// value (state/state_value.hpp), and may carry hidden working state (aux): EditState
// reports a record that the state already reflects (a replay after a crash, a failed commit or
// an outage: its outputs were acknowledged before the state was written) and the Transform
// skips it, so values never count a record twice.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "kt/run/transform.hpp"
#include "kt/state/partitioned_state.hpp"
#include "kt/state/positions.hpp"
#include "kt/state/state_value.hpp"

namespace kt {

class StatefulTransform : public Transform {
 public:
  // `read_cache`: keep written keys in memory as a read cache (ktable, kscore); false for a
  // Transform that keeps its own in-memory view of the state (kwindow).
  explicit StatefulTransform(std::unique_ptr<PartitionedState> state, bool read_cache = true)
      : state_(std::move(state)), read_cache_(read_cache) {}

  bool HasState() const override { return true; }
  // Its changelog records (none for stdin input, whose state lives in memory).
  bool WritesInternal() const override;
  // The cache (dirty and clean keys) is over kMaxCachedKeys: commit now, which writes the dirty
  // keys and starts the cache afresh, instead of letting it grow until --commit-interval.
  bool WantsCommit() const override { return cached_ > kMaxCachedKeys; }

  Result<std::vector<int32_t>> OnAssigned(const std::vector<int32_t>& partitions) override;
  void OnAssigning(const std::vector<int32_t>& partitions) override { state_->StartOpening(partitions); }
  Status Restore(int budget_ms, std::vector<int32_t>* ready) override;
  Status Maintain(int budget_ms, bool idle) override { return state_->Tend(budget_ms, idle); }
  Status OnRevoked(const std::vector<int32_t>& partitions) override;
  void OnLost(const std::vector<int32_t>& partitions) override;
  Status WriteState(Emitter& out) override;
  Status PersistState(const std::vector<TopicPartitionOffset>& changelog_acked) override;
  // --http: every held partition's store size.
  void StoreSizes(std::vector<StoreSize>* out) const override;

 protected:
  // A partition's state is restored and ready (kwindow loads its windows here).
  virtual Status OnRestored(int32_t /*partition*/) { return Status::Ok(); }
  // A partition's state is gone (revoked or lost): drop any view of it.
  virtual void OnForgotten(int32_t /*partition*/) {}
  // Called first in WriteState: a Transform that coalesces state of its own puts it now.
  virtual void PrepareWrite() {}

  // Sets the state of `key` in `partition` (a record's: PartitionOf) to `value` (and `aux`),
  // reflecting input positions `pos`, with its changelog timestamp; written to the store and
  // the changelog at the next WriteState. `new_key`: the
  // caller knows that neither the store nor the changelog holds `key` (kwindow creating a
  // window); deleting it again before the next WriteState then writes nothing at all. `last`:
  // written after every other key of the partition (changelog order within a partition is
  // kept: when a `last` record is in the changelog, so is everything written before it).
  void PutState(int32_t partition, std::string_view key, std::string_view value, const AppliedPositions& pos,
                int64_t timestamp, bool new_key = false, bool last = false, std::string_view aux = {});
  // Removes `key`: deleted from the store and tombstoned in the changelog at the next WriteState
  // (nothing to write for a new key that was never written: a window created and purged
  // between two commits costs no store write and no changelog record).
  void DeleteState(int32_t partition, std::string_view key, int64_t timestamp);

  // A key's latest state: dirty until WriteState writes it, then kept as a read cache (bounded
  // by kMaxCachedKeys; clean entries are dropped when it is exceeded). A clean entry with
  // `deleted` caches the store's answer "no state".
  struct Pending {
    std::string value;     // the Transform's state
    std::string aux;       // its hidden working state ("" none)
    AppliedPositions pos;  // the input positions `value` reflects
    int64_t timestamp = -1;
    bool dirty = true;
    bool deleted = false;
    bool fresh = false;  // PutState(new_key) created it since the last WriteState: not stored
    bool last = false;   // written after the partition's other keys
  };
  struct Edit {
    Pending* slot;
    const std::string* state;  // the key's state, null when it has none
    const std::string* aux;    // its hidden working state ("" none); valid with `state`
    bool replay;               // the state already reflects this record: skip it (and CountReplay)
  };
  // Read-modify-write of one key with one lookup (ktable folding a record into its key's
  // aggregate), in the record's partition (stdin: the single in-memory store). Reads the store
  // on first use (an error when it fails). Keys stay cached (up to kMaxCachedKeys), so hot keys
  // are read from RocksDB once. The slot stays valid until the next call that changes state;
  // ReplaceState gives it its new state.
  Result<Edit> EditState(const Record& rec, std::string_view key);
  // Moves `value` into the slot, leaving `value` with the previous state's buffer for reuse,
  // and sets its `aux`; the state now reflects `rec` (its position, its timestamp). Written at
  // the next WriteState.
  void ReplaceState(Pending* slot, const Record& rec, std::string& value, std::string_view aux = {});
  // The bad record error of a record whose key's state cannot be read (written by something else
  // than this tool, or damaged): names the key, the store and the way out.
  Status UnreadableState(const Record& rec, std::string_view key, const std::string& why) const;
  // Visits a partition's stored state (from OnRestored). A state whose bookkeeping is damaged
  // is an error naming its key.
  Status ForEachState(int32_t partition,
                      const std::function<void(std::string_view key, const StateView& state)>& fn);
  // --no-repartition: a DataError when `key` (a record's group key) does not belong in the
  // record's partition (PartitionedState::RequireHomeKeys); Ok otherwise, and always without it.
  // Where the state routes keys, Ok, and the record's state lives in its key's partition
  // (PartitionOf). Called before the record touches the state or emits anything.
  Status CheckHome(const Record& rec, std::string_view key) const;
  // The partition a record's state lives in: its own; the one CheckHome routed it to (called
  // first, for the same record); -1 for stdin/file input, and in a one-store run.
  int32_t PartitionOf(const Record& rec) const {
    if (routed_.Is(rec)) return routed_.partition;
    return rec.line > 0 || state_->single_task() ? -1 : rec.partition;
  }
  // "restored N changelog records, wrote M state changes" (M: keys written to the store and
  // changelog at commits, after coalescing), plus replays skipped, for the summary line.
  std::string StateSummary() const;
  // restored, state_changes, replayed (--stats json).
  void Counters(std::vector<std::pair<std::string, int64_t>>* out) const override;
  // --http's state queries: the states (values only) of `key` (exact), or of every key that
  // starts with it, in the partitions this copy holds, as the Transform last wrote them (kept in
  // memory, not yet committed ones included). Ordered by key.
  Status CollectState(std::string_view key, bool exact, std::map<std::string, std::string>* rows);
  // Counts a record skipped as a replay (for Transforms that check positions themselves).
  void CountReplay() { ++replays_; }

 private:
  static constexpr size_t kMaxCachedKeys = 250'000;
  size_t cached_ = 0;
  int64_t written_ = 0;
  int64_t replays_ = 0;
  std::unique_ptr<PartitionedState> state_;
  bool read_cache_;
  // CheckHome's routing of the record being processed (RequireHomeKeys with `route`); the
  // Runner's Record is reused, so its place in the input says which record it was for.
  struct Routed {
    const Record* record = nullptr;
    int32_t from = -1;
    int64_t offset = -1;
    int32_t index = 0;
    int32_t partition = -1;
    bool Is(const Record& r) const {
      return &r == record && r.partition == from && r.offset == offset && r.packed_index == index;
    }
  };
  mutable Routed routed_;
  // Routed state: partitions restored while others still restore, reported ready with the last
  // (any record may need any partition's state).
  std::vector<int32_t> held_;
  std::string buf_, pos_text_;
  Headers headers_;
  struct KeyHash {  // lookups by string_view: no string built per record for a known key
    using is_transparent = void;
    size_t operator()(std::string_view k) const { return std::hash<std::string_view>()(k); }
  };
  using PendingMap = std::unordered_map<std::string, Pending, KeyHash, std::equal_to<>>;
  Pending& Slot(int32_t partition, std::string_view key, bool* created = nullptr);
  Status Write(int32_t partition, const std::string& key, Pending& pending, Emitter& out);
  void Forget(int32_t partition);
  std::map<int32_t, PendingMap> cache_;  // partition -> key -> state
};

}  // namespace kt
