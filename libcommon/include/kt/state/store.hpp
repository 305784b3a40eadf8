// State stores: one per input partition, so a partition's state can move between instances.
// Every store is a cache of its changelog topic (ARCHITECTURE.md principle 4): it can always be
// rebuilt by replaying the changelog, and it remembers (atomically with its data) the changelog
// offset it reflects, so a restart replays only what came after.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "kt/core/status.hpp"

namespace kt {

class StateStore {
 public:
  virtual ~StateStore() = default;
  // The value of `key`, seeing staged writes. NotFound when absent.
  virtual Status Get(std::string_view key, std::string* value) = 0;
  // Stage a write: seen by Get at once, durable at the next Commit.
  virtual Status Put(std::string_view key, std::string_view value) = 0;
  virtual Status Delete(std::string_view key) = 0;
  // Makes the staged writes durable together with `checkpoint` (the last changelog offset the
  // state reflects; -1 keeps the previous one), in one atomic write. On error nothing was
  // written: the store keeps what it had at the last successful Commit (a full disk, a
  // failing device) and the staged writes stay staged.
  virtual Status Commit(int64_t checkpoint) = 0;
  // Forgets the staged writes (an aborted transaction, a partition lost without a commit).
  virtual void Discard() = 0;
  // The committed checkpoint; -1 when the store has none (new, or never checkpointed).
  virtual int64_t checkpoint() const = 0;
  // Visits every committed and pending entry (order unspecified).
  virtual Status ForEach(const std::function<void(std::string_view key, std::string_view value)>& fn) = 0;
  // How many committed keys it holds and their bytes, cheaply: RocksDB's estimates (keys;
  // live data plus memtables), a memory store's exact counts (--http's metrics).
  virtual void Size(int64_t* keys, int64_t* bytes) const = 0;
};

// What backs the stores, and how much memory RocksDB may use (shared by all partitions).
struct StoreOptions {
  enum class Kind { kRocksDb, kMemory };
  Kind kind = Kind::kRocksDb;
  std::string dir;                       // state directory for this store (RocksDB)
  size_t block_cache_bytes = 32 << 20;   // shared LRU block cache
  size_t write_buffer_bytes = 32 << 20;  // shared memtable budget (WriteBufferManager)
  // Read-only, beside a running tool that holds the stores (ktable get --local): RocksDB
  // stores open as secondary instances, which take no lock, and show what the owner had
  // flushed or logged when they opened. Writes then fail.
  bool read_only = false;
};
Result<StoreOptions::Kind> ParseStoreKind(const std::string& text);

// Opens stores that share one block cache and write-buffer budget.
class StoreFactory {
 public:
  explicit StoreFactory(StoreOptions options);
  ~StoreFactory();
  StoreFactory(const StoreFactory&) = delete;
  StoreFactory& operator=(const StoreFactory&) = delete;

  // The store for `partition` (RocksDB: <dir>/partition-<n>). `fresh` deletes what is there.
  Result<std::unique_ptr<StateStore>> Open(int32_t partition, bool fresh = false);
  const StoreOptions& options() const { return opt_; }

 private:
  struct Shared;
  Result<std::unique_ptr<StateStore>> OpenSecondary(const std::string& path);
  StoreOptions opt_;
  std::unique_ptr<Shared> shared_;
};

// Where a store's partitions live: <root>/<group>/<store>, root being --state-dir or by default
// $XDG_STATE_HOME/ktools (~/.local/state/ktools). The group is always part of the path, as in
// Kafka Streams (<state.dir>/<application.id>): two groups sharing a --state-dir never read
// each other's state and checkpoints, which belong to different changelogs.
std::string StateDir(const std::string& root, const std::string& group, const std::string& store);

}  // namespace kt
