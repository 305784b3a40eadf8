#include "batch_transform.hpp"

#include <algorithm>

#include "kt/core/json.hpp"
#include "kt/core/json_reader.hpp"
#include "kt/core/strings.hpp"
#include "kt/core/time.hpp"

namespace kt::kbatch {

Status BatchTransform::Process(Input& in, Emitter& out) {
  emitter_ = &out;
  // A raw value becomes a JSON string of the batch: it must be text, or bytes would be lost.
  if (!opt_.json_values && in.record.value && !IsValidUtf8(*in.record.value))
    return Status::DataError(
        "the value is not UTF-8 text, so it cannot be a string in a JSON batch"
        " (read binary values with --value-format binary, as base64)");
  // The batch's array is one level deeper than its values: a value at the limit cannot go in it.
  if (!opt_.lines && opt_.json_values && in.record.value && FillsJsonDepth(*in.record.value))
    return Status::DataError("the value nests arrays and objects " + std::to_string(kMaxJsonDepth) +
                             " levels deep: a batch's array around it would be deeper than JSON readers take"
                             " (--as lines keeps its depth)");
  std::optional<std::string> key;
  if (opt_.by) {
    ctx_.Reset(&in.record, in.value);
    std::string k;
    if (!opt_.by->Eval(ctx_).KeyText(&k)) {
      ++null_keys_;
      return Status::Ok();
    }
    key = std::move(k);
  }
  const Record& r = in.record;
  int64_t size = r.value ? static_cast<int64_t>(r.value->size()) : 0;
  auto it = open_.find(key);
  // A record that would take a batch past --max-bytes starts the next one.
  if (it != open_.end() && opt_.max_bytes && it->second.bytes + size > *opt_.max_bytes) {
    Write(it->second, out);
    open_.erase(it);
    it = open_.end();
  }
  if (it == open_.end()) {
    it = open_.emplace(key, Batch{}).first;
    it->second.key = key;
    it->second.first_ms = NowMs();
  }
  Batch& b = it->second;
  b.values.push_back(!r.value ? "null" : opt_.json_values ? std::string(*r.value) : QuoteJson(*r.value));
  b.partitions.push_back(r.partition);
  b.holds.push_back(out.HoldRecord());
  b.bytes += size;
  b.max_ts = std::max(b.max_ts, r.timestamp);
  if (static_cast<int64_t>(b.values.size()) >= opt_.max || (opt_.max_bytes && b.bytes >= *opt_.max_bytes)) {
    Write(b, out);
    open_.erase(it);
  }
  return Status::Ok();
}

void BatchTransform::Write(Batch& b, Emitter& out) {
  text_.clear();
  if (!opt_.lines) text_ += '[';
  for (size_t i = 0; i < b.values.size(); ++i) {
    if (i) text_ += opt_.lines ? '\n' : ',';
    text_ += b.values[i];
  }
  if (!opt_.lines) text_ += ']';
  OutRecord o;
  if (b.key) o.key = *b.key;
  o.value_kind = OutRecord::ValueKind::kText;
  o.value_text = text_;
  o.timestamp = b.max_ts;
  out.EmitHeld(o, b.holds);
  ++batches_;
}

void BatchTransform::Punctuate(int64_t now_ms, Emitter& out) {
  if (!opt_.within_ms) return;
  for (auto it = open_.begin(); it != open_.end();) {
    if (now_ms - it->second.first_ms < *opt_.within_ms) {
      ++it;
      continue;
    }
    Write(it->second, out);
    it = open_.erase(it);
  }
}

void BatchTransform::Finish(Emitter& out) {
  for (auto& [k, b] : open_) Write(b, out);
  open_.clear();
}

void BatchTransform::GiveUp(const std::vector<int32_t>& partitions) {
  auto leaving = [&](int32_t p) {
    return std::find(partitions.begin(), partitions.end(), p) != partitions.end();
  };
  std::vector<Hold> dropped;
  for (auto& [k, b] : open_) {
    Batch kept{b.key, {}, {}, {}, 0, b.first_ms, b.max_ts};
    for (size_t i = 0; i < b.values.size(); ++i) {
      if (leaving(b.partitions[i])) {
        dropped.push_back(b.holds[i]);
        continue;
      }
      kept.values.push_back(std::move(b.values[i]));
      kept.partitions.push_back(b.partitions[i]);
      kept.holds.push_back(b.holds[i]);
      kept.bytes += static_cast<int64_t>(kept.values.back().size());
    }
    b = std::move(kept);
  }
  std::erase_if(open_, [](auto& e) { return e.second.values.empty(); });
  if (emitter_ && !dropped.empty()) emitter_->Drop(dropped);
}

std::string BatchTransform::SummaryExtra() const {
  std::string s = std::to_string(batches_) + " batches";
  if (null_keys_) s += ", " + std::to_string(null_keys_) + " records with a null --by key dropped";
  return s;
}

}  // namespace kt::kbatch
