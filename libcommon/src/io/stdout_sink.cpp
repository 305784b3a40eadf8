#include "kt/io/stdout_sink.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "kt/codec/base64.hpp"
#include "kt/codec/envelope.hpp"
#include "kt/core/json.hpp"
#include "kt/core/json_reader.hpp"

namespace kt {

namespace {
constexpr size_t kFlushAt = 1 << 16;
}

Status StdoutSink::Open(DeliveryListener* listener) {
  listener_ = listener;
  return Status::Ok();
}

void StdoutSink::AppendValue(const OutRecord& rec) {
  switch (rec.value_kind) {
    case OutRecord::ValueKind::kNull:
      buf_ += "null";
      return;
    case OutRecord::ValueKind::kText:
      if (opt_.value_codec.IsJson() && opt_.pretty) {
        rapidjson::Document d;
        RawNumbers raw;
        if (!ParseJsonText(rec.value_text, &d, &raw).ok()) break;
        AppendPrettyJson(d, &buf_, &raw);
        return;
      }
      if (opt_.value_codec.IsJson()) {  // a value written over several lines stays one NDJSON line
        buf_.append(SingleLineJson(rec.value_text, &scratch_));
        return;
      }
      if (opt_.value_codec.IsAuto()) {
        AppendAuto(rec.value_text);
        return;
      }
      break;
    case OutRecord::ValueKind::kJson:
      if (!opt_.value_codec.IsJson() && rec.value_json->IsString()) {
        buf_.append(rec.value_json->GetString(), rec.value_json->GetStringLength());
      } else if (opt_.pretty) {
        AppendPrettyJson(*rec.value_json, &buf_, rec.raw_numbers);
      } else {
        AppendJson(*rec.value_json, &buf_, rec.raw_numbers);
      }
      return;
  }
  buf_.append(rec.value_text.data(), rec.value_text.size());
}

// `auto`: JSON on one line (indented with --pretty); UTF-8 text as it is, as its line, or as a
// JSON string when it holds line breaks or other control characters (one record, one line);
// other bytes as {"base64": "..."}.
void StdoutSink::AppendAuto(std::string_view text) {
  switch (AutoKindOf(text)) {
    case AutoKind::kJson:
      if (opt_.pretty) {
        rapidjson::Document d;
        RawNumbers raw;
        if (ParseJsonText(text, &d, &raw).ok()) {
          AppendPrettyJson(d, &buf_, &raw);
          return;
        }
      }
      buf_.append(SingleLineJson(text, &scratch_));
      return;
    case AutoKind::kText: {
      bool control = false;
      for (unsigned char c : text) control = control || (c < 0x20 && c != '\t') || c == 0x7f;
      if (!control) {
        buf_.append(text.data(), text.size());
        return;
      }
      rapidjson::Value v(rapidjson::StringRef(text.data(), static_cast<rapidjson::SizeType>(text.size())));
      AppendJson(v, &buf_);
      return;
    }
    case AutoKind::kBytes: {
      std::string b64;
      Base64Encode(text, &b64);
      buf_.append("{\"base64\":\"").append(b64).append("\"}");
      return;
    }
  }
}

void StdoutSink::AppendFormatted(const OutRecord& rec) {
  for (const FormatPart& part : opt_.format) {
    switch (part.field) {
      case 0:
        buf_ += part.literal;
        break;
      case 's':  // as a bare line shows it; nothing for a null value, as kcat
        if (rec.value_kind != OutRecord::ValueKind::kNull) AppendValue(rec);
        break;
      case 'k':
        if (rec.key) buf_.append(rec.key->data(), rec.key->size());
        break;
      case 't':
        buf_.append(rec.topic.empty() ? rec.source_topic : rec.topic);
        break;
      case 'p':
        buf_ += std::to_string(rec.source_partition);
        break;
      case 'o':
        buf_ += std::to_string(rec.source_offset);
        break;
      case 'T':
        buf_ += std::to_string(rec.timestamp);
        break;
      case 'h':
        if (rec.headers)
          for (size_t i = 0; i < rec.headers->size(); ++i) {
            const Header& h = (*rec.headers)[i];
            buf_.append(i ? "," : "").append(h.name).append("=");
            if (h.value) buf_.append(h.value->data(), h.value->size());
          }
        break;
      case 'S':
        if (rec.value_kind == OutRecord::ValueKind::kNull) {
          buf_ += "-1";
        } else if (rec.value_kind == OutRecord::ValueKind::kText) {
          buf_ += std::to_string(rec.value_text.size());
        } else {
          std::string json;
          AppendJson(*rec.value_json, &json, rec.raw_numbers);
          buf_ += std::to_string(json.size());
        }
        break;
      case 'K':
        buf_ += rec.key ? std::to_string(rec.key->size()) : std::string("-1");
        break;
    }
  }
}

Status StdoutSink::Send(const OutRecord& rec, DeliveryToken* token) {
  if (closed_) return Status::IoError("stdout is closed");
  if (opt_.formatted) {
    AppendFormatted(rec);
    tokens_.push_back(token);
    if (buf_.size() >= kFlushAt) return WriteOut();
    return Status::Ok();
  }
  if (opt_.envelope) {
    if (Status s = AppendEnvelope(rec, opt_.key_codec, opt_.value_codec, &buf_); !s.ok()) return s;
  } else {
    if (!opt_.key_delimiter.empty()) {
      if (rec.key)
        buf_.append(rec.key->data(), rec.key->size());
      else if (opt_.null_text)
        buf_.append(*opt_.null_text);
      buf_.append(opt_.key_delimiter);
    }
    if (rec.value_kind == OutRecord::ValueKind::kNull && opt_.null_text)
      buf_.append(*opt_.null_text);
    else
      AppendValue(rec);
  }
  buf_.push_back('\n');
  tokens_.push_back(token);
  if (buf_.size() >= kFlushAt) return WriteOut();
  return Status::Ok();
}

Status StdoutSink::WriteOut() {
  size_t off = 0;
  while (off < buf_.size() && !closed_) {
    ssize_t n = ::write(opt_.fd, buf_.data() + off, buf_.size() - off);
    if (n >= 0) {
      off += static_cast<size_t>(n);
    } else if (errno == EINTR) {
      continue;
    } else {
      closed_ = true;  // EPIPE (reader gone) or another write error: nothing more can be written
      if (errno != EPIPE) error_ = Status::IoError(std::string("write to stdout: ") + std::strerror(errno));
    }
  }
  if (closed_) {
    tokens_.clear();  // not written: never acknowledged, never committed
    buf_.clear();
    return error_;
  }
  buf_.clear();
  std::vector<DeliveryToken*> acked;
  acked.swap(tokens_);
  for (DeliveryToken* t : acked) listener_->OnDelivered(t, Status::Ok(), Delivered{});
  return Status::Ok();
}

Status StdoutSink::Flush(int) { return WriteOut(); }  // error_ once a write failed

}  // namespace kt
