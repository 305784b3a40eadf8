#include "kt/state/global_table.hpp"

#include <rapidjson/document.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "kt/core/json_reader.hpp"
#include "kt/core/log.hpp"
#include "kt/core/signals.hpp"
#include "kt/kafka/admin.hpp"

namespace kt {

namespace {
// Staged writes are committed to the store this often, so a large table never sits in a batch.
constexpr int64_t kCommitEvery = 10000;
}  // namespace

GlobalTable::GlobalTable(KafkaConfig cfg, GlobalTableOptions options)
    : opt_(std::move(options)), reader_(std::move(cfg), opt_.topic, opt_.tool, opt_.verbose) {}

GlobalTable::~GlobalTable() {
  store_.reset();
  stores_.reset();
  if (!private_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(private_dir_, ec);
  }
}

Status GlobalTable::Apply(int32_t p, int64_t offset, std::string_view wire_key,
                          std::optional<std::string_view> wire_value) {
  auto where = [&] {
    return "table " + opt_.topic + " [" + std::to_string(p) + "] at offset " + std::to_string(offset);
  };
  std::string_view key;
  if (Status s = opt_.key_codec.Decode(wire_key, &key_scratch_, &key); !s.ok())
    return s.WithContext(where() + ": key");
  std::string_view value;
  if (wire_value) {
    Status s = opt_.value_codec.Decode(*wire_value, &value_scratch_, &value);
    if (s.ok() && opt_.json_values) {
      s = ValidateJsonText(value);  // the reader every tool uses: UTF-8, depth, one document
    }
    if (!s.ok()) {
      s = s.WithContext(where());
      if (!opt_.skip_bad) return s;
      LogWarning(opt_.tool, s.message() + " (skipped)");
      ++skipped_;
      return Status::Ok();
    }
  }
  bool had = store_->Get(key, &got_).ok();
  Status s = wire_value ? store_->Put(key, value) : store_->Delete(key);
  if (!s.ok()) return s;
  keys_ += (wire_value ? 1 : 0) - (had ? 1 : 0);
  if (++staged_ >= kCommitEvery) {
    staged_ = 0;
    return store_->Commit(-1);
  }
  return Status::Ok();
}

Status GlobalTable::Read(int budget_ms, std::vector<int64_t>* next) {
  Changelog::Events ev;
  ev.record = [&](int32_t p, int64_t offset, int64_t, std::string_view key,
                  std::optional<std::string_view> value) {
    if (next) (*next)[static_cast<size_t>(p)] = offset + 1;
    return Apply(p, offset, key, value);
  };
  ev.end = [&](int32_t p, int64_t at) {
    if (next) (*next)[static_cast<size_t>(p)] = std::max((*next)[static_cast<size_t>(p)], at);
  };
  Status bad;
  ev.out_of_range = [&](int32_t p) {
    bad = Status::KafkaError("table " + opt_.topic + " [" + std::to_string(p) +
                             "] was truncated while it was read");
  };
  Status s = reader_.Poll(budget_ms, ev);
  return s.ok() ? bad : s;
}

Status GlobalTable::Bootstrap() {
  if (opt_.store.kind == StoreOptions::Kind::kRocksDb) {
    private_dir_ = opt_.store.dir + "/instance-" + std::to_string(getpid());
    opt_.store.dir = private_dir_;
  }
  stores_ = std::make_unique<StoreFactory>(opt_.store);
  auto store = stores_->Open(0, /*fresh=*/true);
  if (!store.ok()) return store.status();
  store_ = std::move(*store);

  auto n = PartitionCount(reader_.config(), opt_.topic, opt_.tool);
  if (!n.ok()) return n.status();
  if (*n == 0) return Status::KafkaError("table topic '" + opt_.topic + "' does not exist");
  std::vector<int64_t> end(static_cast<size_t>(*n));
  for (int32_t p = 0; p < *n; ++p) {
    auto marks = reader_.Watermarks(p);
    if (!marks.ok()) return marks.status();
    end[static_cast<size_t>(p)] = marks->second;
    if (Status s = reader_.Start(p, RD_KAFKA_OFFSET_BEGINNING); !s.ok()) return s;
  }
  // Done when every partition has been read up to its end as of now.
  std::vector<int64_t> next(end.size(), 0);
  auto behind = [&] {
    for (size_t i = 0; i < end.size(); ++i)
      if (next[i] < end[i]) return true;
    return false;
  };
  while (behind() && !StopRequested()) {
    if (Status s = Read(200, &next); !s.ok()) return s;
  }
  staged_ = 0;
  return store_->Commit(-1);
}

Status GlobalTable::CatchUp() { return Read(0, nullptr); }

Result<std::optional<std::string>> GlobalTable::Get(std::string_view key) {
  Status s = store_->Get(key, &got_);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return s;
  return std::optional<std::string>(got_);
}

}  // namespace kt
