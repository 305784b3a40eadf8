#include "global_join_transform.hpp"

#include "kt/stream/grouping.hpp"

namespace kt::kjoin {

Status GlobalJoinTransform::Process(Input& in, Emitter& out) {
  const Record& rec = in.record;
  std::optional<std::string> value = ValueTextOf(in, opt_.json_values);
  if (!value) {
    ++null_values_;
    return Status::Ok();
  }
  ctx_.Reset(&rec, in.value);
  std::optional<std::string> right;
  if (GroupKeyOf(opt_.on, ctx_, rec, &key_)) {
    if (Status s = table_->CatchUp(); !s.ok()) return s;
    auto got = table_->Get(key_);
    if (!got.ok()) return got.status();
    right = std::move(*got);
  } else if (!opt_.left || rec.key) {  // Kafka Streams' rule: only a keyless record joins nothing
    ++null_lookups_;
    return Status::Ok();
  }
  if (!right && !opt_.left) {
    ++unmatched_;
    return Status::Ok();
  }
  if (Status s = value_.Render(value, right, &out_); !s.ok()) return s;
  out.Emit(JoinOutput(rec, rec.key, &out_, rec.timestamp));
  return Status::Ok();
}

std::string GlobalJoinTransform::SummaryExtra() const {
  std::string s = "table of " + std::to_string(table_->size()) + " keys";
  if (table_->skipped()) s += " (" + std::to_string(table_->skipped()) + " bad values skipped)";
  if (unmatched_) s += ", " + std::to_string(unmatched_) + " without a result";
  if (null_lookups_) s += ", " + std::to_string(null_lookups_) + " null lookup keys";
  if (null_values_) s += ", " + std::to_string(null_values_) + " null values dropped";
  return s;
}

}  // namespace kt::kjoin
