#include "kt/core/record.hpp"

#include "kt/core/origin.hpp"

namespace kt {

std::string Record::Where() const {
  if (line > 0) return "line " + std::to_string(line);
  return "topic " + std::string(topic) + " partition " + std::to_string(partition) + " offset " +
         std::to_string(offset);
}

OutRecord OutRecord::From(const Record& in) {
  OutRecord o;
  o.key = in.origin ? in.origin->key : in.key;
  if (in.value) {
    o.value_kind = ValueKind::kText;
    o.value_text = *in.value;
    o.input_wire_value = in.wire_value;
    o.input_value_text = o.value_text;
    o.input_value_text_from = in.value_text_from;
  }
  o.timestamp = in.timestamp;
  o.headers = in.headers;
  o.source_topic = in.topic;
  o.source_partition = in.partition;
  o.source_offset = in.offset;
  return o;
}

Status OutRecord::Text(std::string* scratch, std::string_view* text) const {
  if (input_value_text_from && ValueIsInputs())
    return input_value_text_from->Text(*input_wire_value, scratch, text);
  *text = value_text;
  return Status::Ok();
}

}  // namespace kt
