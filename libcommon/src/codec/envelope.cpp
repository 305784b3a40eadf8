#include "kt/codec/envelope.hpp"

#include "kt/core/json_reader.hpp"
#include "kt/core/time.hpp"

namespace kt {

namespace {

using Writer = rapidjson::Writer<StringOutStream>;

// Writes a text form: raw JSON when the codec's text is JSON, else a JSON string.
void WriteText(Writer& w, std::string_view text, const Codec& codec) {
  if (codec.IsJson()) {
    std::string scratch;
    std::string_view line = SingleLineJson(text, &scratch);  // the envelope is one line
    w.RawValue(line.data(), line.size(), rapidjson::kObjectType);
  } else w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

// Reads a text form from an envelope field: any JSON for json codecs (re-serialized compactly),
// a string otherwise. JSON null -> nullopt.
Status ReadText(const rapidjson::Value& v, const Codec& codec, const char* field,
                std::optional<std::string>* out) {
  if (v.IsNull()) {
    out->reset();
    return Status::Ok();
  }
  if (codec.IsJson()) {
    *out = ToJson(v);
    return Status::Ok();
  }
  if (!v.IsString())
    return Status::DataError(std::string("envelope field '") + field + "' must be a string or null for format " + codec.spec());
  *out = std::string(v.GetString(), v.GetStringLength());
  return Status::Ok();
}

}  // namespace

void AppendEnvelope(const OutRecord& r, const Codec& key_codec, const Codec& value_codec,
                    std::string* line) {
  StringOutStream os{line};
  Writer w(os);
  w.StartObject();
  w.Key("key");
  if (r.key) WriteText(w, *r.key, key_codec);
  else w.Null();
  w.Key("value");
  switch (r.value_kind) {
    case OutRecord::ValueKind::kNull: w.Null(); break;
    case OutRecord::ValueKind::kText: WriteText(w, r.value_text, value_codec); break;
    case OutRecord::ValueKind::kJson:
      if (r.raw_numbers && value_codec.IsJson()) {
        std::string text;
        AppendJson(*r.value_json, &text, r.raw_numbers);
        w.RawValue(text.data(), text.size(), rapidjson::kObjectType);
      } else if (value_codec.IsJson() || r.value_json->IsString()) {
        r.value_json->Accept(w);
      } else {  // a raw/binary text form holds non-string JSON as its compact text
        std::string text;
        AppendJson(*r.value_json, &text, r.raw_numbers);
        w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
      }
      break;
  }
  w.Key("timestamp");
  if (r.timestamp >= 0) w.Int64(r.timestamp);
  else w.Null();
  if (r.headers && !r.headers->empty()) {
    w.Key("headers");
    w.StartArray();
    for (const Header& h : *r.headers) {
      w.StartArray();
      w.String(h.name.data(), static_cast<rapidjson::SizeType>(h.name.size()));
      if (h.value) w.String(h.value->data(), static_cast<rapidjson::SizeType>(h.value->size()));
      else w.Null();
      w.EndArray();
    }
    w.EndArray();
  }
  // The destination when a tool routes records (kbranch), else where the record came from.
  std::string_view topic = r.topic.empty() ? r.source_topic : r.topic;
  if (!topic.empty()) {
    w.Key("topic");
    w.String(topic.data(), static_cast<rapidjson::SizeType>(topic.size()));
  }
  if (r.source_partition >= 0) {
    w.Key("partition");
    w.Int(r.source_partition);
  }
  if (r.source_partition >= 0 && r.source_offset >= 0) {
    w.Key("offset");
    w.Int64(r.source_offset);
  }
  w.EndObject();
}

Status ParseEnvelope(std::string_view line, const Codec& key_codec, const Codec& value_codec,
                     rapidjson::Document* doc, Envelope* out) {
  *out = Envelope();
  Status s = ParseJson(line, doc);
  if (!s.ok()) return s;
  if (!doc->IsObject()) return Status::DataError("envelope must be a JSON object");
  for (auto& m : doc->GetObject()) {
    std::string_view name = View(m.name);
    const rapidjson::Value& v = m.value;
    if (name == "key") {
      s = ReadText(v, key_codec, "key", &out->key);
    } else if (name == "value") {
      s = ReadText(v, value_codec, "value", &out->value);
    } else if (name == "timestamp") {
      if (v.IsInt64()) out->timestamp = v.GetInt64();
      else if (v.IsString()) {
        auto t = ParseRfc3339(View(v));
        if (!t.ok()) return Status::DataError("envelope timestamp: " + t.status().message());
        out->timestamp = *t;
      } else if (!v.IsNull()) return Status::DataError("envelope timestamp must be ms or an RFC 3339 string");
    } else if (name == "headers") {
      if (v.IsArray()) {
        for (auto& h : v.GetArray()) {
          if (!h.IsArray() || h.Size() != 2 || !h[0].IsString() || !(h[1].IsString() || h[1].IsNull()))
            return Status::DataError("envelope headers must be [[name, value], ...] or {name: value}");
          std::optional<std::string> hv;
          if (h[1].IsString()) hv = std::string(View(h[1]));
          out->headers.emplace_back(std::string(View(h[0])), std::move(hv));
        }
      } else if (v.IsObject()) {
        for (auto& h : v.GetObject()) {
          if (!(h.value.IsString() || h.value.IsNull()))
            return Status::DataError("envelope header values must be strings or null");
          std::optional<std::string> hv;
          if (h.value.IsString()) hv = std::string(View(h.value));
          out->headers.emplace_back(std::string(View(h.name)), std::move(hv));
        }
      } else if (!v.IsNull()) {
        return Status::DataError("envelope headers must be [[name, value], ...] or {name: value}");
      }
    } else if (name == "topic") {
      if (v.IsString()) out->topic = std::string(View(v));
    } else if (name == "partition") {
      if (v.IsInt()) out->partition = v.GetInt();
    } else if (name == "offset") {
      if (v.IsInt64()) out->offset = v.GetInt64();
    } else {
      return Status::DataError("envelope has unknown field '" + std::string(name) +
                               "' (expected key, value, timestamp, headers, topic, partition, offset;"
                               " are these bare values? then drop -J)");
    }
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace kt
