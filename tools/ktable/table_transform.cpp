#include "table_transform.hpp"

#include <map>

#include "kt/stream/grouping.hpp"
#include "table_query.hpp"

namespace kt::ktable {

Status TableTransform::Process(Input& in, Emitter& out) {
  if (!in.value) {
    ++no_event_;
    return Status::Ok();
  }
  ctx_.Reset(&in.record, in.value);
  if (!GroupKeyOf(by_, ctx_, in.record, &key_)) {
    ++no_event_;
    return Status::Ok();
  }
  if (Status home = CheckHome(in.record, key_); !home.ok()) return home;
  auto edit = EditState(in.record, key_);
  if (!edit.ok())
    return edit.status().IsDataError() ? edit.status()
                                       : edit.status().WithContext("state of key '" + key_ + "'");
  if (edit->replay) {  // already counted, and its output was acknowledged then
    CountReplay();
    return Status::Ok();
  }
  Status s = state_parser_.ParseJson(edit->state ? std::string_view(*edit->state) : "{}");
  if (!s.ok()) return UnreadableState(in.record, key_, s.message());
  rapidjson::Document* state = state_parser_.doc();
  rapidjson::Document* sums = nullptr;  // avg's running sums, the state's aux
  if (agg_.KeepsSums()) {
    sums_.SetNull();
    sums_.GetAllocator().Clear();
    if (edit->state && !edit->aux->empty()) {
      sums_.Parse(edit->aux->data(), edit->aux->size());
      if (sums_.HasParseError()) return UnreadableState(in.record, key_, "its sums are not JSON");
    }
    sums = &sums_;
  }
  if (Status s = agg_.Update(state, sums, ctx_); !s.ok()) return s.WithContext("key '" + key_ + "'");
  aux_.clear();
  if (sums && sums->IsObject() && !sums->ObjectEmpty()) AppendJson(*sums, &aux_);
  const RawNumbers* raw = CombineRawNumbers(state_parser_.raw_numbers(), in.raw_numbers, &raw_);
  buf_.clear();
  AppendJson(*state, &buf_, raw);
  ReplaceState(edit->slot, in.record, buf_, aux_);
  if (emit_) {
    out_.clear();
    agg_.Render(*state, key_, &out_, nullptr, raw);
    OutRecord o;
    o.key = key_;
    o.value_kind = OutRecord::ValueKind::kText;
    o.value_text = out_;
    o.timestamp = in.record.timestamp;
    o.source_topic = in.record.topic;
    o.source_partition = in.record.partition;
    o.source_offset = in.record.offset;
    out.Emit(o);
  }
  return Status::Ok();
}

std::string TableTransform::SummaryExtra() const {
  std::string s = StateSummary();
  if (no_event_) s += ", " + std::to_string(no_event_) + " tombstones or null keys ignored";
  std::string skipped = agg_.SkippedSummary();
  if (!skipped.empty()) s += ", " + skipped;
  return s;
}

StateAnswer TableTransform::Query(const StateQuery& q) {
  std::map<std::string, std::string> rows;
  if (Status s = CollectState(q.key, !q.prefix, &rows); !s.ok()) return {s, ""};
  if (rows.empty())
    return {Status::NotFound(q.prefix ? "no key of the table starts with '" + q.key + "'"
                                      : "key '" + q.key + "' is not in the table"),
            ""};
  StateAnswer a;
  for (auto& [k, v] : rows) a.lines += RenderTableRow(k, v) + "\n";
  return a;
}

}  // namespace kt::ktable
