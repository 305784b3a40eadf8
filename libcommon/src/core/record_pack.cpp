#include "kt/core/record_pack.hpp"

namespace kt {

void PackWriter::Varint(uint64_t v) {
  while (v >= 0x80) {
    buf_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  buf_.push_back(static_cast<char>(v));
}

void PackWriter::Bytes(std::optional<std::string_view> b) {
  Varint(b ? b->size() + 1 : 0);
  if (b) buf_.append(*b);
}

void PackWriter::Append(std::optional<std::string_view> key, std::optional<std::string_view> value,
                        int64_t timestamp, const Headers* headers) {
  Varint((static_cast<uint64_t>(timestamp) << 1) ^ static_cast<uint64_t>(timestamp >> 63));
  Bytes(key);
  Bytes(value);
  Varint(headers ? headers->size() : 0);
  if (headers)
    for (const Header& h : *headers) {
      Bytes(h.name);
      Bytes(h.value);
    }
  ++count_;
}

std::string PackDoneMetadata(int32_t done) {
  return done > 0 ? std::string(kPackDoneMetadata) + std::to_string(done) : std::string();
}

int32_t ParsePackDoneMetadata(std::string_view metadata) {
  if (metadata.substr(0, kPackDoneMetadata.size()) != kPackDoneMetadata) return 0;
  int64_t n = 0;
  std::string_view digits = metadata.substr(kPackDoneMetadata.size());
  if (digits.empty() || digits.size() > 9) return 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + (c - '0');
  }
  return static_cast<int32_t>(n);
}

Result<size_t> PackStart(std::string_view pack) {
  if (pack.empty() || pack[0] != '\x01')
    return Status::DataError(
        "not a record pack of a version this ktools reads (" +
        std::string(pack.empty() ? "empty"
                                 : "first byte " + std::to_string(static_cast<unsigned char>(pack[0]))) +
        ")");
  return size_t{1};
}

namespace {

class Cursor {
 public:
  Cursor(std::string_view in, size_t pos) : in_(in), pos_(pos) {}
  size_t pos() const { return pos_; }
  bool Varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return false;
      auto b = static_cast<uint8_t>(in_[pos_++]);
      *v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return shift < 63 || b <= 1;
    }
    return false;
  }
  bool Bytes(std::optional<std::string_view>* out) {
    uint64_t n;
    if (!Varint(&n)) return false;
    if (n == 0) {
      out->reset();
      return true;
    }
    if (n - 1 > in_.size() - pos_) return false;
    *out = in_.substr(pos_, n - 1);
    pos_ += n - 1;
    return true;
  }

 private:
  std::string_view in_;
  size_t pos_;
};

}  // namespace

Status ReadPacked(std::string_view pack, size_t* pos, PackedRecord* out) {
  Cursor c(pack, *pos);
  uint64_t ts, count;
  out->headers.clear();
  auto bad = [&](const char* what) {
    return Status::DataError(std::string("record pack: ") + what + " of the record at byte " +
                             std::to_string(*pos) + " is cut short or malformed");
  };
  if (!c.Varint(&ts)) return bad("the timestamp");
  out->timestamp = static_cast<int64_t>(ts >> 1) ^ -static_cast<int64_t>(ts & 1);
  if (!c.Bytes(&out->key)) return bad("the key");
  if (!c.Bytes(&out->value)) return bad("the value");
  // Each header takes at least two bytes: a count beyond what is left is no count.
  if (!c.Varint(&count) || count > (pack.size() - c.pos()) / 2) return bad("the header count");
  for (uint64_t i = 0; i < count; ++i) {
    std::optional<std::string_view> name, value;
    if (!c.Bytes(&name) || !name) return bad("a header's name");
    if (!c.Bytes(&value)) return bad("a header's value");
    out->headers.push_back(Header{*name, value});
  }
  *pos = c.pos();
  return Status::Ok();
}

}  // namespace kt
