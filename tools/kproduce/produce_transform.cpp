#include "produce_transform.hpp"

#include "kt/core/json.hpp"

namespace kt::kproduce {

Result<ProduceTransform> ProduceTransform::Create(const ProduceOptions& options, bool parse_values) {
  ProduceTransform t;
  t.opt_ = options;
  t.parse_values_ = parse_values || !options.key_field.empty();
  if (options.key && !options.key_field.empty())
    return Status::InvalidArgument("use either -k KEY or --key-field FIELD, not both");
  for (auto& h : options.headers) {
    size_t eq = h.find('=');
    if (eq == std::string::npos || eq == 0)
      return Status::InvalidArgument("-H expects name=value, got '" + h + "'");
    t.extra_headers_.emplace_back(h.substr(0, eq), h.substr(eq + 1));
  }
  return t;
}

Status ProduceTransform::Process(Input& in, Emitter& out) {
  OutRecord o = OutRecord::From(in.record);
  o.partition = opt_.partition;  // -1: by key (an envelope's partition is not reused)
  if (opt_.key) {
    o.key = *opt_.key;
  } else if (!opt_.key_field.empty()) {
    if (!in.value || !in.value->IsObject())
      return Status::DataError("--key-field " + opt_.key_field + ": value is not a JSON object");
    auto it = kt::FindName(*in.value, opt_.key_field);
    if (it == in.value->MemberEnd() || !KeyTextFromValue(it->value, &key_buf_))
      o.key.reset();
    else
      o.key = key_buf_;
  }
  if (!extra_headers_.empty()) {
    headers_.clear();
    if (in.record.headers) headers_ = *in.record.headers;
    for (auto& [n, v] : extra_headers_) headers_.push_back({n, v});
    o.headers = &headers_;
  }
  // Provenance of a -J input (topic/partition/offset it was copied from) is not carried over.
  o.source_topic = {};
  o.source_partition = -1;
  o.source_offset = -1;
  out.Emit(o);
  return Status::Ok();
}

}  // namespace kt::kproduce
