#include "kt/run/dead_letters.hpp"

namespace kt {

Status DeadLetterWriter::Send(const Record& rec, const Status& error, DeliveryToken* token) {
  std::string partition = std::to_string(rec.partition);
  std::string offset = std::to_string(rec.offset);
  std::string line = std::to_string(rec.line);
  Headers headers;
  if (rec.headers) headers = *rec.headers;
  headers.push_back({"kt.error", error.message()});
  headers.push_back({"kt.tool", tool_});
  if (rec.line > 0) {
    headers.push_back({"kt.source.line", line});
  } else {
    headers.push_back({"kt.source.topic", rec.topic});
    headers.push_back({"kt.source.partition", partition});
    headers.push_back({"kt.source.offset", offset});
  }
  OutRecord d;
  d.wire = true;
  d.topic = topic_;
  d.key = rec.wire_key;
  if (rec.wire_value) {
    d.value_kind = OutRecord::ValueKind::kText;
    d.value_text = *rec.wire_value;
  }
  d.timestamp = rec.timestamp;
  d.headers = &headers;
  // A value the source kept only the first bytes of says so, with its whole size.
  // (Headers are views: `whole_size` outlives both sends.)
  bool cut = rec.wire_value_size >= 0;
  std::string whole_size =
      std::to_string(cut ? static_cast<size_t>(rec.wire_value_size) : d.value_text.size());
  if (cut) headers.push_back({"kt.truncated", whole_size});
  Status s = sink_->Send(d, token);
  if (!s.IsDataError() || sink_->MaxRecordBytes() <= 0) return s;
  // Too large: cut the key and value to fit, and say how large the value was.
  size_t overhead = 1024;
  for (const Header& h : headers) overhead += h.name.size() + (h.value ? h.value->size() : 0) + 16;
  size_t max = static_cast<size_t>(sink_->MaxRecordBytes());
  size_t room = max > overhead ? max - overhead : 0;
  if (d.key && d.key->size() > room / 2) d.key = d.key->substr(0, room / 2);
  room -= d.key ? d.key->size() : 0;
  if (!cut) headers.push_back({"kt.truncated", whole_size});
  if (d.value_text.size() > room) d.value_text = d.value_text.substr(0, room);
  return sink_->Send(d, token);
}

}  // namespace kt
