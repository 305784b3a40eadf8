// RocksDbStore: data in the default column family, the checkpoint in "kt_meta". Pending writes
// go to a WriteBatch (committed with the checkpoint in one atomic write) and to a hash map that
// lets reads see them: cheaper than WriteBatchWithIndex's skiplist for the bulk writes stateful
// tools make once per commit interval.
#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <rocksdb/write_buffer_manager.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <unordered_map>

#include "kt/core/paths.hpp"
#include "kt/state/store.hpp"
#include "kt/state/store_memory.hpp"

namespace kt {

namespace {

constexpr char kCheckpointKey[] = "checkpoint";

// RocksDB's own diagnostics: errors to stderr, nothing else, and no LOG file in the state
// directory. (A LOG file on a full disk is also how a Debian build of RocksDB, assertions on,
// aborts: its logger asserts after a failed write.)
class StderrLogger : public rocksdb::Logger {
 public:
  StderrLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::ERROR_LEVEL) {}
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    std::fputs("ktools: rocksdb: ", stderr);
    std::vfprintf(stderr, format, ap);
    std::fputc('\n', stderr);
  }
};

class RocksDbStore : public StateStore {
 public:
  RocksDbStore(std::string path, rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> cfs,
               int64_t checkpoint, std::string secondary_dir = "")
      : path_(std::move(path)),
        db_(db),
        cfs_(std::move(cfs)),
        checkpoint_(checkpoint),
        secondary_dir_(std::move(secondary_dir)) {}
  ~RocksDbStore() override {
    for (auto* cf : cfs_) db_->DestroyColumnFamilyHandle(cf);
    delete db_;
    std::error_code ec;
    if (!secondary_dir_.empty()) std::filesystem::remove_all(secondary_dir_, ec);
  }

  Status Get(std::string_view key, std::string* value) override {
    if (!pending_.empty()) {
      auto it = pending_.find(std::string(key));
      if (it != pending_.end()) {
        if (!it->second) return Status::NotFound("");
        *value = *it->second;
        return Status::Ok();
      }
    }
    rocksdb::Status s =
        db_->Get(rocksdb::ReadOptions(), cfs_[0], rocksdb::Slice(key.data(), key.size()), value);
    if (s.IsNotFound()) return Status::NotFound("");
    if (!s.ok()) return Status::IoError("state store: " + s.ToString());
    return Status::Ok();
  }
  Status Put(std::string_view key, std::string_view value) override {
    rocksdb::Status s = batch_.Put(cfs_[0], rocksdb::Slice(key.data(), key.size()),
                                   rocksdb::Slice(value.data(), value.size()));
    if (!s.ok()) return Status::IoError("state store " + path_ + ": " + s.ToString());
    pending_[std::string(key)] = std::string(value);
    return Status::Ok();
  }
  Status Delete(std::string_view key) override {
    rocksdb::Status s = batch_.Delete(cfs_[0], rocksdb::Slice(key.data(), key.size()));
    if (!s.ok()) return Status::IoError("state store " + path_ + ": " + s.ToString());
    pending_[std::string(key)] = std::nullopt;
    return Status::Ok();
  }

  // The checkpoint is added after a save point, so a failed write leaves the staged writes
  // exactly as they were (the next Commit retries them with its own checkpoint).
  Status Commit(int64_t checkpoint) override {
    if (batch_.Count() == 0 && checkpoint < 0) return Status::Ok();
    batch_.SetSavePoint();
    rocksdb::Status s;
    if (checkpoint >= 0) s = batch_.Put(cfs_[1], kCheckpointKey, std::to_string(checkpoint));
    if (s.ok()) s = db_->Write(rocksdb::WriteOptions(), &batch_);
    if (!s.ok()) {
      batch_.RollbackToSavePoint().PermitUncheckedError();
      return Status::IoError("state store " + path_ + ": cannot write: " + s.ToString());
    }
    batch_.Clear();
    pending_.clear();
    if (checkpoint >= 0) checkpoint_ = checkpoint;
    return Status::Ok();
  }
  void Discard() override {
    batch_.Clear();
    pending_.clear();
  }
  int64_t checkpoint() const override { return checkpoint_; }

  void Size(int64_t* keys, int64_t* bytes) const override {
    uint64_t k = 0, live = 0, mem = 0;
    db_->GetIntProperty(cfs_[0], "rocksdb.estimate-num-keys", &k);
    db_->GetIntProperty(cfs_[0], "rocksdb.estimate-live-data-size", &live);
    db_->GetIntProperty(cfs_[0], "rocksdb.cur-size-all-mem-tables", &mem);
    *keys = static_cast<int64_t>(k);
    *bytes = static_cast<int64_t>(live + mem);
  }
  Status ForEach(const std::function<void(std::string_view, std::string_view)>& fn) override {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cfs_[0]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string_view k(it->key().data(), it->key().size());
      if (!pending_.empty() && pending_.count(std::string(k))) continue;  // superseded
      fn(k, std::string_view(it->value().data(), it->value().size()));
    }
    if (!it->status().ok()) return Status::IoError("state store scan: " + it->status().ToString());
    for (auto& [k, v] : pending_)
      if (v) fn(k, *v);
    return Status::Ok();
  }

 private:
  std::string path_;
  rocksdb::DB* db_;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs_;  // [data, meta]
  rocksdb::WriteBatch batch_;
  std::unordered_map<std::string, std::optional<std::string>> pending_;
  int64_t checkpoint_;
  std::string secondary_dir_;  // a secondary instance's own directory, removed on close
};

}  // namespace

struct StoreFactory::Shared {
  std::shared_ptr<rocksdb::Cache> cache;
  std::shared_ptr<rocksdb::WriteBufferManager> wbm;
};

StoreFactory::StoreFactory(StoreOptions options) : opt_(std::move(options)), shared_(new Shared) {
  if (opt_.kind == StoreOptions::Kind::kRocksDb) {
    shared_->cache = rocksdb::NewLRUCache(opt_.block_cache_bytes);
    // Memtables count against the block cache: one budget for all partitions' stores.
    shared_->wbm = std::make_shared<rocksdb::WriteBufferManager>(opt_.write_buffer_bytes, shared_->cache);
  }
}

StoreFactory::~StoreFactory() = default;

Result<std::unique_ptr<StateStore>> StoreFactory::Open(int32_t partition, bool fresh) {
  if (opt_.kind == StoreOptions::Kind::kMemory) return std::unique_ptr<StateStore>(new MemoryStore());
  std::string path = opt_.dir + "/partition-" + std::to_string(partition);
  std::error_code ec;
  if (opt_.read_only) return OpenSecondary(path);
  if (fresh) std::filesystem::remove_all(path, ec);
  std::filesystem::create_directories(path, ec);
  if (ec) return Status::IoError("cannot create state directory " + path + ": " + ec.message());

  rocksdb::Options o;
  o.create_if_missing = true;
  o.create_missing_column_families = true;
  o.write_buffer_manager = shared_->wbm;
  o.write_buffer_size = 8 << 20;
  o.max_write_buffer_number = 2;
  o.max_open_files = 64;
  // RocksDB 7.8 loads table handlers at Open on max_file_opening_threads threads, started even
  // when there is no table file: 15 threads made and joined per store, 240 on 16 partitions.
  // A stage's stores open on a thread each already (PartitionedState).
  o.max_file_opening_threads = 1;
  o.info_log = std::make_shared<StderrLogger>();
  o.compression = rocksdb::kNoCompression;
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = shared_->cache;
  t.cache_index_and_filter_blocks = true;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  std::vector<rocksdb::ColumnFamilyDescriptor> cfds = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions(o)},
      {"kt_meta", rocksdb::ColumnFamilyOptions(o)}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(rocksdb::DBOptions(o), path, cfds, &handles, &db);
  if (!s.ok()) return Status::IoError("cannot open state store " + path + ": " + s.ToString());
  std::string cp;
  int64_t checkpoint = -1;
  if (db->Get(rocksdb::ReadOptions(), handles[1], kCheckpointKey, &cp).ok())
    checkpoint = std::atoll(cp.c_str());
  return std::unique_ptr<StateStore>(new RocksDbStore(path, db, std::move(handles), checkpoint));
}

Result<std::unique_ptr<StateStore>> StoreFactory::OpenSecondary(const std::string& path) {
  if (!std::filesystem::is_directory(path)) return Status::NotFound("no state store in " + path);
  std::string dir = (std::filesystem::temp_directory_path() / "ktools-secondary-XXXXXX").string();
  if (!mkdtemp(dir.data())) return Status::IoError("cannot make a directory for a read-only store: " + dir);
  rocksdb::Options o;
  o.max_open_files = -1;  // a secondary instance keeps every table file open
  o.info_log = std::make_shared<StderrLogger>();
  std::vector<rocksdb::ColumnFamilyDescriptor> cfds = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions(o)},
      {"kt_meta", rocksdb::ColumnFamilyOptions(o)}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::OpenAsSecondary(rocksdb::DBOptions(o), path, dir, cfds, &handles, &db);
  if (s.ok()) s = db->TryCatchUpWithPrimary();
  if (!s.ok()) {
    if (db) {
      for (auto* cf : handles) db->DestroyColumnFamilyHandle(cf);
      delete db;
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return Status::IoError("cannot read state store " + path + ": " + s.ToString());
  }
  std::string cp;
  int64_t checkpoint = -1;
  if (db->Get(rocksdb::ReadOptions(), handles[1], kCheckpointKey, &cp).ok())
    checkpoint = std::atoll(cp.c_str());
  return std::unique_ptr<StateStore>(new RocksDbStore(path, db, std::move(handles), checkpoint, dir));
}

Result<StoreOptions::Kind> ParseStoreKind(const std::string& text) {
  if (text == "rocksdb") return StoreOptions::Kind::kRocksDb;
  if (text == "memory") return StoreOptions::Kind::kMemory;
  return Status::InvalidArgument("--store must be rocksdb or memory, not '" + text + "'");
}

std::string StateDir(const std::string& root, const std::string& group, const std::string& store) {
  return (root.empty() ? DefaultStateRoot() : root) + "/" + group + "/" + store;
}

}  // namespace kt
