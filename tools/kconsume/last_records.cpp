#include "last_records.hpp"

namespace kt::kconsume {

namespace {

std::optional<std::string> Copy(const std::optional<std::string_view>& v) {
  return v ? std::optional<std::string>(std::string(*v)) : std::nullopt;
}

}  // namespace

Status LastRecords::Process(Input& in, Emitter& /*out*/) {
  if (n_ <= 0) return Status::Ok();
  if (static_cast<int64_t>(kept_.size()) == n_) kept_.pop_front();
  const Record& r = in.record;
  Kept k;
  OutRecord o = OutRecord::From(r);  // the key as it goes out (a repartition topic's original)
  k.key = Copy(o.key);
  k.value = Copy(r.value);
  k.wire_value = Copy(r.wire_value);
  k.timestamp = r.timestamp;
  if (r.headers)
    for (const Header& h : *r.headers) k.headers.emplace_back(std::string(h.name), Copy(h.value));
  k.topic = std::string(r.topic);
  k.partition = r.partition;
  k.offset = r.offset;
  kept_.push_back(std::move(k));
  return Status::Ok();
}

void LastRecords::EmitKept(Emitter& out) {
  for (const Kept& k : kept_) {
    Headers headers;
    for (const auto& [name, value] : k.headers)
      headers.push_back(Header{name, value ? std::optional<std::string_view>(*value) : std::nullopt});
    OutRecord o;
    if (k.key) o.key = *k.key;
    if (k.value) {
      o.value_kind = OutRecord::ValueKind::kText;
      o.value_text = *k.value;
      if (k.wire_value) o.input_wire_value = *k.wire_value;
      o.input_value_text = o.value_text;
    }
    o.timestamp = k.timestamp;
    o.headers = &headers;
    o.source_topic = k.topic;
    o.source_partition = k.partition;
    o.source_offset = k.offset;
    out.Emit(o);
  }
  kept_.clear();
}

}  // namespace kt::kconsume
