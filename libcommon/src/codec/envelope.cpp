#include "kt/codec/envelope.hpp"

#include "kt/codec/base64.hpp"
#include "kt/core/json_reader.hpp"
#include "kt/core/strings.hpp"
#include "kt/core/time.hpp"

namespace kt {

namespace {

using Writer = rapidjson::Writer<StringOutStream>;

void WriteBase64Object(Writer& w, std::string_view bytes);

// Writes a text form: raw JSON when the codec's text is JSON, else a JSON string, which must be
// UTF-8 text: the envelope carries bytes exactly or not at all. `auto` writes what the bytes hold:
// JSON (values only: a key stays a string), a string, or {"base64": "..."}.
Status WriteText(Writer& w, std::string_view text, const Codec& codec, const char* field) {
  if (codec.IsAuto()) {
    AutoKind kind = AutoKindOf(text);
    if (kind == AutoKind::kJson && std::string_view(field) == "key") kind = AutoKind::kText;
    if (kind == AutoKind::kBytes) {
      WriteBase64Object(w, text);
      return Status::Ok();
    }
    if (kind == AutoKind::kText) {
      w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
      return Status::Ok();
    }
  }
  if (codec.IsJson() || codec.IsAuto()) {
    std::string scratch;
    std::string_view line = SingleLineJson(text, &scratch);  // the envelope is one line
    w.RawValue(line.data(), line.size(), rapidjson::kObjectType);
    return Status::Ok();
  }
  if (!IsValidUtf8(text))
    return Status::DataError(std::string("the ") + field +
                             " is not UTF-8 text, so it cannot be a JSON string (read binary " + field +
                             "s with --" + field + "-format binary, as base64)");
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  return Status::Ok();
}

// A header value that is not UTF-8 text (headers are bytes, and Java clients put binary ones)
// is written as {"base64": "..."}, which ParseEnvelope reads back to the same bytes.
void WriteHeaderValue(Writer& w, std::string_view value) {
  if (IsValidUtf8(value)) {
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    return;
  }
  WriteBase64Object(w, value);
}

void WriteBase64Object(Writer& w, std::string_view bytes) {
  std::string b64;
  Base64Encode(bytes, &b64);
  w.StartObject();
  w.Key("base64");
  w.String(b64.data(), static_cast<rapidjson::SizeType>(b64.size()));
  w.EndObject();
}

// A header value from an envelope: a string, null, or {"base64": "..."} for bytes.
Status ReadHeaderValue(const rapidjson::Value& v, std::optional<std::string>* out) {
  out->reset();
  if (v.IsString()) {
    *out = std::string(View(v));
  } else if (v.IsObject() && v.MemberCount() == 1 && v.HasMember("base64") && v["base64"].IsString()) {
    std::string bytes;
    if (Status s = Base64Decode(View(v["base64"]), &bytes); !s.ok())
      return Status::DataError("envelope header value: " + s.message());
    *out = std::move(bytes);
  } else if (!v.IsNull()) {
    return Status::DataError("envelope header values must be strings, {\"base64\": \"...\"} or null");
  }
  return Status::Ok();
}

// Reads a text form from an envelope field: any JSON for json codecs (re-serialized compactly),
// a string otherwise; `auto` takes a string's text, {"base64": "..."}'s bytes, and any other
// JSON as its text. JSON null -> nullopt.
// `raw`: the texts of the envelope's numbers that would print differently (kept as written).
Status ReadText(const rapidjson::Value& v, const Codec& codec, const char* field, const RawNumbers& raw,
                std::optional<std::string>* out) {
  if (v.IsNull()) {
    out->reset();
    return Status::Ok();
  }
  if (codec.IsAuto() && v.IsObject() && v.MemberCount() == 1 && v.HasMember("base64") &&
      v["base64"].IsString()) {
    out->emplace();
    if (Status s = Base64Decode(View(v["base64"]), &**out); !s.ok())
      return Status::DataError(std::string("envelope field '") + field + "': " + s.message());
    return Status::Ok();
  }
  if (codec.IsJson() || (codec.IsAuto() && !v.IsString())) {
    out->emplace();
    AppendJson(v, &**out, &raw);
    return Status::Ok();
  }
  if (!v.IsString())
    return Status::DataError(std::string("envelope field '") + field +
                             "' must be a string or null for format " + codec.spec());
  *out = std::string(v.GetString(), v.GetStringLength());
  return Status::Ok();
}

}  // namespace

Status AppendEnvelope(const OutRecord& r, const Codec& key_codec, const Codec& value_codec,
                      std::string* line) {
  size_t start = line->size();
  auto fail = [&](Status s) {
    line->resize(start);
    return s;
  };
  StringOutStream os{line};
  Writer w(os);
  w.StartObject();
  w.Key("key");
  if (r.key) {
    if (Status s = WriteText(w, *r.key, key_codec, "key"); !s.ok()) return fail(s);
  } else {
    w.Null();
  }
  w.Key("value");
  switch (r.value_kind) {
    case OutRecord::ValueKind::kNull:
      w.Null();
      break;
    case OutRecord::ValueKind::kText:
      if (Status s = WriteText(w, r.value_text, value_codec, "value"); !s.ok()) return fail(s);
      break;
    case OutRecord::ValueKind::kJson:
      if (r.raw_numbers && (value_codec.IsJson() || value_codec.IsAuto())) {
        std::string text;
        AppendJson(*r.value_json, &text, r.raw_numbers);
        w.RawValue(text.data(), text.size(), rapidjson::kObjectType);
      } else if (value_codec.IsJson() || value_codec.IsAuto() || r.value_json->IsString()) {
        r.value_json->Accept(w);
      } else {  // a raw/binary text form holds non-string JSON as its compact text
        std::string text;
        AppendJson(*r.value_json, &text, r.raw_numbers);
        w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
      }
      break;
  }
  w.Key("timestamp");
  if (r.timestamp >= 0)
    w.Int64(r.timestamp);
  else
    w.Null();
  if (r.headers && !r.headers->empty()) {
    w.Key("headers");
    w.StartArray();
    for (const Header& h : *r.headers) {
      if (!IsValidUtf8(h.name)) return fail(Status::DataError("a header name is not UTF-8 text"));
      w.StartArray();
      w.String(h.name.data(), static_cast<rapidjson::SizeType>(h.name.size()));
      if (h.value)
        WriteHeaderValue(w, *h.value);
      else
        w.Null();
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
  return Status::Ok();
}

Status ParseEnvelope(std::string_view line, const Codec& key_codec, const Codec& value_codec,
                     rapidjson::Document* doc, Envelope* out) {
  *out = Envelope();
  // The key and value may nest kMaxJsonDepth deep inside the envelope, as they may in a record.
  RawNumbers raw;
  Status s = ParseJsonText(line, doc, &raw, /*wrapper_levels=*/1);
  if (!s.ok()) return s;
  if (!doc->IsObject()) return Status::DataError("envelope must be a JSON object");
  for (auto& m : doc->GetObject()) {
    std::string_view name = View(m.name);
    const rapidjson::Value& v = m.value;
    if (name == "key") {
      s = ReadText(v, key_codec, "key", raw, &out->key);
    } else if (name == "value") {
      s = ReadText(v, value_codec, "value", raw, &out->value);
    } else if (name == "timestamp") {
      if (v.IsInt64())
        out->timestamp = v.GetInt64();
      else if (v.IsString()) {
        auto t = ParseRfc3339(View(v));
        if (!t.ok()) return Status::DataError("envelope timestamp: " + t.status().message());
        out->timestamp = *t;
      } else if (!v.IsNull())
        return Status::DataError("envelope timestamp must be ms or an RFC 3339 string");
      // Kafka has no record times before 1970: Java's ProducerRecord refuses them, and
      // librdkafka would send the time of sending instead, silently.
      if (!v.IsNull() && out->timestamp < 0)
        return Status::DataError(
            "envelope timestamp " + std::to_string(out->timestamp) +
            " is before 1970: Kafka record times are ms since the epoch (null for none)");
    } else if (name == "headers") {
      if (v.IsArray()) {
        for (auto& h : v.GetArray()) {
          if (!h.IsArray() || h.Size() != 2 || !h[0].IsString())
            return Status::DataError("envelope headers must be [[name, value], ...] or {name: value}");
          std::optional<std::string> hv;
          if (s = ReadHeaderValue(h[1], &hv); !s.ok()) return s;
          out->headers.emplace_back(std::string(View(h[0])), std::move(hv));
        }
      } else if (v.IsObject()) {
        for (auto& h : v.GetObject()) {
          std::optional<std::string> hv;
          if (s = ReadHeaderValue(h.value, &hv); !s.ok()) return s;
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
