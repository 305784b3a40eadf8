// Base of Transforms that keep per-key state (ktable, kscore --zscore/--ewma, kwindow): owns the
// PartitionedState, restores partitions when assigned, checkpoints them when revoked, and
// persists them before offsets are committed.
//
// State writes are coalesced per key within a commit interval (--commit-interval, or sooner when
// the cache is full): a key's latest state is kept in memory (EditState reads it there first: hot
// keys never touch RocksDB per record); at BeforeCommit each dirty key is written once to its
// store and to the changelog, and the Runner waits for those changelog writes to be acknowledged
// before it takes offsets to commit, so a committed offset's state is always in the changelog.
#pragma once

#include <map>
#include <memory>
#include <unordered_map>
#include <string>
#include <vector>

#include "kt/run/options.hpp"
#include "kt/state/partitioned_state.hpp"
#include "kt/run/tool.hpp"
#include "kt/run/transform.hpp"

namespace kt {

class StatefulTransform : public Transform {
 public:
  // `read_cache`: keep written keys in memory as a read cache (ktable, kscore); false for a
  // Transform that keeps its own in-memory view of the state (kwindow).
  explicit StatefulTransform(std::unique_ptr<PartitionedState> state, bool read_cache = true)
      : state_(std::move(state)), read_cache_(read_cache) {}

  bool HasState() const override { return true; }
  // The cache (dirty and clean keys) is over kMaxCachedKeys: commit now, which writes the dirty
  // keys and starts the cache afresh, instead of letting it grow until --commit-interval.
  bool WantsCommit() const override { return cached_ > kMaxCachedKeys; }

  void OnAssigned(const std::vector<int32_t>& partitions) override;
  void OnRevoked(const std::vector<int32_t>& partitions) override;
  void BeforeCommit(Emitter& out) override;

 protected:
  // Sets the state of `key` in `partition` (a record's: PartitionOf), with its changelog
  // timestamp; written to the store and the changelog at the next BeforeCommit. `new_key`:
  // the caller knows that neither the store nor the changelog holds `key` (kwindow creating a
  // window); deleting it again before the next BeforeCommit then writes nothing at all.
  void PutState(int32_t partition, std::string_view key, std::string_view value, int64_t timestamp,
                bool new_key = false);
  // Removes `key`: deleted from the store and tombstoned in the changelog at the next BeforeCommit
  // (nothing to write for a new key that was never written: a window created and purged
  // between two commits costs no store write and no changelog record).
  void DeleteState(int32_t partition, std::string_view key, int64_t timestamp);
  // A key's latest state: dirty until BeforeCommit writes it, then kept as a read cache
  // (bounded by kMaxCachedKeys; clean entries are dropped when it is exceeded). A clean entry
  // with `deleted` caches the store's answer "no state".
  struct Pending {
    std::string value;
    int64_t timestamp = -1;
    bool dirty = true;
    bool deleted = false;
    bool fresh = false;  // PutState(new_key) created it since the last BeforeCommit: not stored
  };
  // Read-modify-write of one key with one lookup (ktable folding a record into its key's
  // aggregate), in the record's partition (stdin: the single in-memory store). Returns the key's
  // cache slot, reading the store on first use (an error when the partition's restore failed);
  // *state points at the key's state, or is null when it has none. Keys stay cached (up to
  // kMaxCachedKeys), so hot keys are read from RocksDB once. Slot and pointer stay valid until
  // the next call that changes state; ReplaceState gives the slot its new state.
  Result<Pending*> EditState(const Record& rec, std::string_view key, const std::string** state);
  // Moves `value` into the slot, leaving `value` with the previous state's buffer for reuse;
  // written to the store and the changelog at the next BeforeCommit, as with PutState.
  void ReplaceState(Pending* slot, std::string& value, int64_t timestamp);
  // Visits a freshly assigned partition's restored state (call from OnAssigned, after the base).
  Status ForEachState(int32_t partition, const std::function<void(std::string_view key, std::string_view value)>& fn);
  // The partition a record's state lives in (-1 for stdin/file input).
  static int32_t PartitionOf(const Record& rec) { return rec.line > 0 ? -1 : rec.partition; }
  // "restored N changelog records, wrote M state changes" (M: keys written to the store and
  // changelog at commits, after coalescing), for the summary line.
  std::string StateSummary() const;

 private:
  static constexpr size_t kMaxCachedKeys = 250'000;
  size_t cached_ = 0;
  int64_t written_ = 0;
  std::unique_ptr<PartitionedState> state_;
  bool read_cache_;
  Status state_error_;
  struct KeyHash {  // lookups by string_view: no string built per record for a known key
    using is_transparent = void;
    size_t operator()(std::string_view k) const { return std::hash<std::string_view>()(k); }
  };
  using PendingMap = std::unordered_map<std::string, Pending, KeyHash, std::equal_to<>>;
  Pending& Slot(int32_t partition, std::string_view key, bool* created = nullptr);
  std::map<int32_t, PendingMap> dirty_;  // partition -> key -> state
};

// The state options every stateful tool takes.
struct StateCliOptions {
  std::string store = "rocksdb";
  std::string state_dir;
};
void AddStateOptions(CLI::App& app, StateCliOptions& o);

// Sets up a stateful tool's state: for a Kafka input, the consumer group (default
// DefaultGroup), the changelog <group>-<name>-changelog created or checked for
// co-partitioning with the input, and the state directory (StateDir); for stdin, memory.
// `partitions` > 0 gives the input's partition count (for an input this process creates, like
// ktable's repartition topic); 0 looks it up. The tool then writes internal records
// (SinkSpec::internal) exactly when the state has a changelog.
Result<std::unique_ptr<PartitionedState>> OpenToolState(CommonOptions& common, const std::string& tool,
                                                        const std::string& name, const StateCliOptions& o,
                                                        int partitions = 0);

}  // namespace kt
