// A global table (Kafka Streams' GlobalKTable): a full replica of every partition of a table
// topic (latest value per key; a null value deletes), for joins that look a key up wherever
// it is partitioned (kjoin --global, and a stdin stream with --table).
//
// Bootstrap reads every partition from its start to its end as of the call, before any stream
// record is processed; CatchUp then applies what arrived since, without waiting, and the owner
// calls it before each lookup. As in Kafka Streams, table updates are not synchronised with the
// stream by time: a lookup sees what has been read. The topic is its own changelog: the replica
// is rebuilt from it at every start (nothing is committed, no consumer group is joined), in a
// RocksDB store private to this process (deleted when the table is destroyed) or in memory.
//
// Values are decoded with the tool's value codec; with --value-format json a value that is not
// JSON is a data error naming topic, partition and offset: fatal under --on-error fail, otherwise
// reported and skipped (the key keeps its previous value).
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kt/codec/codec.hpp"
#include "kt/state/changelog.hpp"
#include "kt/state/store.hpp"

namespace kt {

struct GlobalTableOptions {
  std::string topic;
  std::string tool;
  Codec key_codec, value_codec;
  bool json_values = true;  // --value-format json: values are checked to be JSON
  bool skip_bad = false;    // --on-error skip|dlq: bad values are reported and skipped
  StoreOptions store;       // kRocksDb: a private directory under store.dir
  bool verbose = false;
};

class GlobalTable {
 public:
  GlobalTable(KafkaConfig cfg, GlobalTableOptions options);
  ~GlobalTable();
  GlobalTable(const GlobalTable&) = delete;
  GlobalTable& operator=(const GlobalTable&) = delete;

  // Reads every partition to its current end. A topic that does not exist is a KafkaError.
  Status Bootstrap();
  // Applies the updates that have arrived since, without waiting.
  Status CatchUp();
  // The value text of `key`, nullopt when the table has none.
  Result<std::optional<std::string>> Get(std::string_view key);

  int64_t size() const { return keys_; }
  int64_t skipped() const { return skipped_; }

 private:
  Status Apply(int32_t p, int64_t offset, std::string_view key, std::optional<std::string_view> value);
  // Applies what has arrived, for about `budget_ms`; with `next`, records each partition's next
  // offset to read (Bootstrap's progress).
  Status Read(int budget_ms, std::vector<int64_t>* next);

  GlobalTableOptions opt_;
  Changelog reader_;
  std::unique_ptr<StoreFactory> stores_;
  std::unique_ptr<StateStore> store_;
  std::string private_dir_;
  std::string key_scratch_, value_scratch_, got_;
  int64_t keys_ = 0, skipped_ = 0, staged_ = 0;
};

}  // namespace kt
