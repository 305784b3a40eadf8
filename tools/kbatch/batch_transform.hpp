// kbatch: Faust's stream.take(N, within=T). Records are collected into batches (one, or one
// per key with --by) and each batch is written as one record: a JSON array of the values, or
// their NDJSON lines in one value.
//
// Delivery contract: each record is held (Emitter::HoldRecord) until the batch that holds it is
// acknowledged, so its offset is committed only then; a crash re-reads exactly the records of
// unacknowledged batches. A batch is written when it has --max records or --max-bytes of
// values, --within after its first record (wall time, checked by Punctuate), at the end of the
// input and on SIGINT/SIGTERM (the stop's final commit then includes them). Records of
// partitions revoked or lost are taken out of their batches and given up: not committed, the
// new owner reads them again.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kt/expr/expr.hpp"
#include "kt/run/transform.hpp"

namespace kt::kbatch {

struct BatchOptions {
  int64_t max = 0;                   // records per batch (> 0)
  std::optional<int64_t> within_ms;  // flush a batch this long after its first record
  std::optional<int64_t> max_bytes;  // values' bytes per batch
  bool lines = false;                // NDJSON lines in one value instead of a JSON array
  bool json_values = true;           // values are JSON text (else raw text, written as strings)
  std::optional<expr::Expr> by;      // one batch per key of this expression
  uint64_t seed = 0;
};

class BatchTransform : public Transform {
 public:
  explicit BatchTransform(BatchOptions opt) : opt_(std::move(opt)), ctx_(opt_.seed) {}
  bool WantsValue() const override { return opt_.by && opt_.by->ReadsValue(); }
  bool ReadsFields() const override { return opt_.by && opt_.by->ReadsFields(); }
  bool WantsHeaders() const override { return opt_.by && opt_.by->ReadsHeaders(); }  // a batch has none
  RecordNames Names() const override {
    RecordNames n;
    n.Add(opt_.by);
    return n;
  }
  Status Process(Input& in, Emitter& out) override;
  void Punctuate(int64_t now_ms, Emitter& out) override;
  void Finish(Emitter& out) override;
  void OnStop(Emitter& out) override { Finish(out); }
  Status OnRevoked(const std::vector<int32_t>& partitions) override {
    GiveUp(partitions);
    return Status::Ok();
  }
  void OnLost(const std::vector<int32_t>& partitions) override { GiveUp(partitions); }
  std::string SummaryExtra() const override;
  void Counters(std::vector<std::pair<std::string, int64_t>>* out) const override {
    out->emplace_back("batches", batches_);
    out->emplace_back("null_keys", null_keys_);
  }

 private:
  struct Batch {
    std::optional<std::string> key;
    std::vector<std::string> values;  // JSON texts
    std::vector<int32_t> partitions;  // of each value's record (GiveUp)
    std::vector<kt::Hold> holds;      // of each value's record
    int64_t bytes = 0, first_ms = 0, max_ts = -1;
  };
  void Write(Batch& b, Emitter& out);
  void GiveUp(const std::vector<int32_t>& partitions);

  BatchOptions opt_;
  expr::EvalContext ctx_;
  std::map<std::optional<std::string>, Batch> open_;  // by key (nullopt: no --by)
  Emitter* emitter_ = nullptr;                        // the Runner, for GiveUp
  int64_t batches_ = 0, null_keys_ = 0;
  std::string text_;
};

}  // namespace kt::kbatch
