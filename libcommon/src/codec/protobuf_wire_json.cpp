// Protobuf wire bytes -> canonical JSON without building a message (protobuf_json.hpp).
//
// Two passes per message: the first walks its fields' tags and remembers where each occurrence
// is; the second prints the declared fields in declaration order from those places, as
// AppendMessageJson prints a parsed message (the last occurrence of a singular field wins, a
// message field's occurrences merge, repeated and packed occurrences concatenate).
//
// Anything this decoder does not handle exactly as libprotobuf's parser would is an error, and
// an error here is never the answer: the caller parses the bytes into a message and prints
// that (which words the error, if there is one). So bad bytes, groups, a wire type that does not
// match its field, two members of one oneof, a map key given twice, an unknown value of a closed
// (proto2) enum and nesting past the parser's limit all take that path.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "kt/codec/base64.hpp"
#include "kt/core/json_doc_writer.hpp"
#include "kt/core/json_text.hpp"
#include "kt/core/strings.hpp"
#include "protobuf_json.hpp"

namespace kt::proto {

namespace pb = google::protobuf;
using FD = pb::FieldDescriptor;

namespace {

constexpr int kMaxDepth = 100;  // libprotobuf's default recursion limit
constexpr int kVarint = 0, kFixed64 = 1, kDelimited = 2, kFixed32 = 5;

Status Unsupported() { return Status::DataError("not decoded from the wire"); }

// A field's bytes: for kDelimited its payload, else the encoded value.
struct Occurrence {
  int field;  // declaration index
  int wire_type;
  const char* p;
  const char* end;
};

// One nesting level's occurrences, reused from record to record.
struct Scratch {
  std::vector<Occurrence> found, sorted;
  std::vector<size_t> first, fill;  // first[i]: where field i's occurrences start in `sorted`
};

class Cursor {
 public:
  Cursor(const char* p, const char* end) : p_(p), end_(end) {}
  bool done() const { return p_ >= end_; }
  const char* at() const { return p_; }

  bool Varint(uint64_t* v) {
    uint64_t r = 0;
    for (int shift = 0; shift < 64 && p_ < end_; shift += 7) {
      auto b = static_cast<uint8_t>(*p_++);
      if (shift == 63 && b > 1) return false;  // past 64 bits
      r |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) {
        *v = r;
        return true;
      }
    }
    return false;
  }
  // A tag or a length: the parser reads them as 32-bit varints of at most 5 bytes (a longer
  // encoding of the same number is refused there, so it is here).
  bool Varint32(uint64_t* v) {
    const char* begin = p_;
    return Varint(v) && p_ - begin <= 5 && *v <= UINT32_MAX;
  }
  bool Fixed(size_t n, const char** start) {
    if (static_cast<size_t>(end_ - p_) < n) return false;
    *start = p_;
    p_ += n;
    return true;
  }
  bool Delimited(const char** start, const char** stop) {
    uint64_t n;
    if (!Varint32(&n) || n > static_cast<uint64_t>(end_ - p_) || n > INT32_MAX) return false;
    *start = p_;
    p_ += n;
    *stop = p_;
    return true;
  }
  // One value of `wire_type`: where its bytes are (the payload for kDelimited).
  bool Value(int wire_type, const char** start, const char** stop) {
    uint64_t ignored;
    switch (wire_type) {
      case kVarint:
        *start = p_;
        if (!Varint(&ignored)) return false;
        *stop = p_;
        return true;
      case kFixed64:
        return Fixed(8, start) && (*stop = p_, true);
      case kFixed32:
        return Fixed(4, start) && (*stop = p_, true);
      case kDelimited:
        return Delimited(start, stop);
      default:  // groups (3, 4) and the wire types that do not exist (6, 7)
        return false;
    }
  }

 private:
  const char* p_;
  const char* end_;
};

int WireTypeOf(const FD* f) {
  switch (f->type()) {
    case FD::TYPE_DOUBLE:
    case FD::TYPE_FIXED64:
    case FD::TYPE_SFIXED64:
      return kFixed64;
    case FD::TYPE_FLOAT:
    case FD::TYPE_FIXED32:
    case FD::TYPE_SFIXED32:
      return kFixed32;
    case FD::TYPE_STRING:
    case FD::TYPE_BYTES:
    case FD::TYPE_MESSAGE:
      return kDelimited;
    case FD::TYPE_GROUP:
      return -1;
    default:
      return kVarint;
  }
}

template <typename Writer>
class Decoder {
 public:
  Decoder(const WireLayouts& layouts, pb::MessageFactory* factory, pb::util::TypeResolver* resolver,
          std::vector<Scratch>* pool, Writer* w)
      : layouts_(layouts), factory_(factory), resolver_(resolver), pool_(*pool), w_(w) {}

  // The message of type `d` whose bytes are the concatenation of `spans` (one, or a message
  // field's occurrences, which merge).
  Status Message(const pb::Descriptor* d, const Occurrence* spans, size_t n_spans, int depth) {
    if (depth > kMaxDepth) return Unsupported();
    if (d->well_known_type() != pb::Descriptor::WELLKNOWNTYPE_UNSPECIFIED)
      return WellKnown(d, spans, n_spans);
    const WireLayouts::Layout* layout = layouts_.Find(d);
    if (!layout || layout->parse_only) return Unsupported();  // a type from another file, ...
    // Pass 1: every field occurrence, then grouped by field (a counting sort, stable).
    if (pool_.size() <= static_cast<size_t>(depth)) pool_.resize(static_cast<size_t>(depth) + 1);
    Scratch& sc = pool_[static_cast<size_t>(depth)];
    sc.found.clear();
    for (size_t s = 0; s < n_spans; ++s) {
      Cursor c(spans[s].p, spans[s].end);
      while (!c.done()) {
        uint64_t tag;
        if (!c.Varint32(&tag)) return Unsupported();
        int wire_type = static_cast<int>(tag & 7);
        uint64_t number = tag >> 3;
        if (number == 0) return Unsupported();
        const char *start, *stop;
        if (!c.Value(wire_type, &start, &stop)) return Unsupported();
        int index = layout->IndexOf(number);
        if (index >= 0) sc.found.push_back({index, wire_type, start, stop});  // else unknown: skipped
      }
    }
    int fields = d->field_count();
    sc.first.assign(static_cast<size_t>(fields) + 1, 0);
    for (const Occurrence& o : sc.found) ++sc.first[static_cast<size_t>(o.field) + 1];
    for (int i = 0; i < fields; ++i) sc.first[static_cast<size_t>(i) + 1] += sc.first[static_cast<size_t>(i)];
    sc.sorted.resize(sc.found.size());
    sc.fill.assign(sc.first.begin(), sc.first.end() - 1);
    for (const Occurrence& o : sc.found) sc.sorted[sc.fill[static_cast<size_t>(o.field)]++] = o;
    // Two members of one oneof: the last set wins and clears the other; left to the parser.
    for (int k = 0; k < d->real_oneof_decl_count(); ++k) {
      const pb::OneofDescriptor* od = d->oneof_decl(k);
      int present = 0;
      for (int m = 0; m < od->field_count(); ++m) {
        size_t i = static_cast<size_t>(od->field(m)->index());
        present += sc.first[i + 1] > sc.first[i];
      }
      if (present > 1) return Unsupported();
    }
    // Pass 2: the declared fields, in order. Deeper levels use pool_[depth + 1] and up, and may
    // grow pool_ (moving this level's vectors): this level's are read through pool_ each time.
    w_->StartObject();
    for (int i = 0; i < fields; ++i) {
      const FD* f = d->field(i);
      size_t begin = pool_[static_cast<size_t>(depth)].first[static_cast<size_t>(i)];
      size_t end = pool_[static_cast<size_t>(depth)].first[static_cast<size_t>(i) + 1];
      if (begin == end && !f->is_repeated() && f->has_presence()) continue;
      w_->PreparedKey(layout->keys[static_cast<size_t>(i)], f->name());
      Status s = f->is_map()        ? Map(f, depth, begin, end)
                 : f->is_repeated() ? Repeated(f, depth, begin, end)
                                    : Singular(f, depth, begin, end);
      if (!s.ok()) return s;
    }
    w_->EndObject();
    return Status::Ok();
  }

 private:
  // This level's occurrences (pool_ may have grown since, moving them).
  const Occurrence& At(int depth, size_t k) const { return pool_[static_cast<size_t>(depth)].sorted[k]; }

  Status Singular(const FD* f, int depth, size_t begin, size_t end) {
    if (begin == end) return Default(f);
    int want = WireTypeOf(f);
    for (size_t k = begin; k < end; ++k)
      if (At(depth, k).wire_type != want) return Unsupported();
    if (f->cpp_type() == FD::CPPTYPE_MESSAGE) {
      Occurrence one = At(depth, begin);  // copied: a deeper level may move this level's scratch
      if (end - begin == 1) return Message(f->message_type(), &one, 1, depth + 1);
      std::vector<Occurrence> spans;  // occurrences that merge
      for (size_t k = begin; k < end; ++k) spans.push_back(At(depth, k));
      return Message(f->message_type(), spans.data(), spans.size(), depth + 1);
    }
    // The last occurrence wins, but the parser reads (and checks) every one: a string that is
    // not UTF-8 fails the message even when a later one replaces it.
    if (f->type() == FD::TYPE_STRING)
      for (size_t k = begin; k + 1 < end; ++k)
        if (!IsValidUtf8(
                std::string_view(At(depth, k).p, static_cast<size_t>(At(depth, k).end - At(depth, k).p))))
          return Unsupported();
    Occurrence last = At(depth, end - 1);
    return Scalar(f, last.p, last.end);
  }

  Status Repeated(const FD* f, int depth, size_t begin, size_t end) {
    int want = WireTypeOf(f);
    bool packable = want == kVarint || want == kFixed32 || want == kFixed64;
    w_->StartArray();
    for (size_t k = begin; k < end; ++k) {
      Occurrence o = At(depth, k);
      if (o.wire_type == want) {
        if (f->cpp_type() == FD::CPPTYPE_MESSAGE) {
          if (Status s = Message(f->message_type(), &o, 1, depth + 1); !s.ok()) return s;
        } else if (Status s = Scalar(f, o.p, o.end); !s.ok()) {
          return s;
        }
      } else if (packable && o.wire_type == kDelimited) {
        Cursor c(o.p, o.end);
        while (!c.done()) {
          const char *start, *stop;
          if (!c.Value(want, &start, &stop)) return Unsupported();
          if (Status s = Scalar(f, start, stop); !s.ok()) return s;
        }
      } else {
        return Unsupported();
      }
    }
    w_->EndArray();
    return Status::Ok();
  }

  // Entries (key = 1, value = 2), each a message of its own; JSON keys are strings. A key given
  // twice (the last wins) is left to the parser.
  Status Map(const FD* f, int depth, size_t begin, size_t end) {
    const FD* key = f->message_type()->map_key();
    const FD* value = f->message_type()->map_value();
    std::vector<std::string> keys;
    w_->StartObject();
    for (size_t k = begin; k < end; ++k) {
      Occurrence o = At(depth, k);
      if (o.wire_type != kDelimited || depth + 1 > kMaxDepth) return Unsupported();
      Occurrence key_at{0, -1, nullptr, nullptr}, value_at{0, -1, nullptr, nullptr};
      std::vector<Occurrence> value_spans;
      Cursor c(o.p, o.end);
      while (!c.done()) {
        uint64_t tag;
        if (!c.Varint32(&tag) || (tag >> 3) == 0) return Unsupported();
        int wire_type = static_cast<int>(tag & 7);
        const char *start, *stop;
        if (!c.Value(wire_type, &start, &stop)) return Unsupported();
        uint64_t number = tag >> 3;
        // A key or value given twice in one entry: the last wins, the parser checks both.
        if ((number == 1 && key_at.wire_type >= 0) ||
            (number == 2 && value_at.wire_type >= 0 && value->cpp_type() != FD::CPPTYPE_MESSAGE))
          return Unsupported();
        if (number == 1) key_at = {0, wire_type, start, stop};
        if (number == 2) {
          value_at = {1, wire_type, start, stop};
          value_spans.push_back(value_at);
        }
      }
      std::string text;
      if (key_at.wire_type >= 0) {
        if (key_at.wire_type != WireTypeOf(key)) return Unsupported();
        if (Status s = KeyText(key, key_at.p, key_at.end, &text); !s.ok()) return s;
      } else if (key->cpp_type() == FD::CPPTYPE_BOOL) {
        text = "false";
      } else if (key->cpp_type() != FD::CPPTYPE_STRING) {
        text = "0";
      }
      for (const std::string& seen : keys)
        if (seen == text) return Unsupported();
      keys.push_back(text);
      w_->Key(text.data(), text.size());
      if (value_at.wire_type < 0) {
        if (value->cpp_type() == FD::CPPTYPE_MESSAGE) {
          if (Status s = Message(value->message_type(), nullptr, 0, depth + 2); !s.ok()) return s;
        } else if (Status s = Default(value); !s.ok()) {
          return s;
        }
        continue;
      }
      if (value_at.wire_type != WireTypeOf(value)) return Unsupported();
      if (value->cpp_type() == FD::CPPTYPE_MESSAGE) {
        if (Status s = Message(value->message_type(), value_spans.data(), value_spans.size(), depth + 2);
            !s.ok())
          return s;
      } else if (Status s = Scalar(value, value_at.p, value_at.end); !s.ok()) {
        return s;
      }
    }
    w_->EndObject();
    return Status::Ok();
  }

  Status KeyText(const FD* key, const char* p, const char* end, std::string* text) {
    uint64_t v = 0;
    if (key->cpp_type() == FD::CPPTYPE_STRING) {
      text->assign(p, end);
      return IsValidUtf8(*text) ? Status::Ok() : Unsupported();
    }
    if (!Bits(key, p, end, &v)) return Unsupported();
    switch (key->type()) {
      case FD::TYPE_BOOL:
        *text = v ? "true" : "false";
        break;
      case FD::TYPE_INT32:
      case FD::TYPE_SFIXED32:
        *text = std::to_string(static_cast<int32_t>(v));
        break;
      case FD::TYPE_SINT32:
        *text = std::to_string(Zigzag32(v));
        break;
      case FD::TYPE_INT64:
      case FD::TYPE_SFIXED64:
        *text = std::to_string(static_cast<int64_t>(v));
        break;
      case FD::TYPE_SINT64:
        *text = std::to_string(Zigzag64(v));
        break;
      case FD::TYPE_UINT32:
      case FD::TYPE_FIXED32:
        *text = std::to_string(static_cast<uint32_t>(v));
        break;
      default:
        *text = std::to_string(v);
    }
    return Status::Ok();
  }

  static int32_t Zigzag32(uint64_t v) {
    auto u = static_cast<uint32_t>(v);
    return static_cast<int32_t>((u >> 1) ^ (~(u & 1) + 1));
  }
  static int64_t Zigzag64(uint64_t v) { return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1)); }

  // The value's bits: a varint's, or a fixed field's little-endian bytes.
  static bool Bits(const FD* f, const char* p, const char* end, uint64_t* v) {
    int wire_type = WireTypeOf(f);
    if (wire_type == kVarint) {
      Cursor c(p, end);
      return c.Varint(v);
    }
    if (end - p != (wire_type == kFixed64 ? 8 : 4)) return false;
    *v = 0;
    for (const char* q = end; q-- > p;) *v = (*v << 8) | static_cast<uint8_t>(*q);
    return true;
  }

  void Quoted(std::string_view s) { w_->String(s.data(), s.size()); }
  void Integer(int64_t v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    Quoted(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
  }
  void Unsigned(uint64_t v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    Quoted(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
  }
  template <typename T>
  void Floating(T v) {
    WriteFloating(w_, v);
  }

  Status Enum(const FD* f, int32_t number) {
    const pb::EnumDescriptor* e = f->enum_type();
    if (e->full_name() == "google.protobuf.NullValue") return w_->Null(), Status::Ok();
    if (const pb::EnumValueDescriptor* v = e->FindValueByNumber(number))
      return Quoted(v->name()), Status::Ok();
    if (e->file()->syntax() == pb::FileDescriptor::SYNTAX_PROTO2)
      return Unsupported();  // closed: unknown field
    w_->Int(number);
    return Status::Ok();
  }

  Status Scalar(const FD* f, const char* p, const char* end) {
    if (f->type() == FD::TYPE_STRING) {
      std::string_view s(p, static_cast<size_t>(end - p));
      if (!IsValidUtf8(s)) return Unsupported();
      Quoted(s);
      return Status::Ok();
    }
    if (f->type() == FD::TYPE_BYTES) {
      Base64Encode(std::string_view(p, static_cast<size_t>(end - p)), &scratch_);
      Quoted(scratch_);
      return Status::Ok();
    }
    uint64_t v;
    if (!Bits(f, p, end, &v)) return Unsupported();
    switch (f->type()) {
      case FD::TYPE_INT32:
      case FD::TYPE_SFIXED32:
        w_->Int(static_cast<int32_t>(v));
        break;
      case FD::TYPE_SINT32:
        w_->Int(Zigzag32(v));
        break;
      case FD::TYPE_UINT32:
      case FD::TYPE_FIXED32:
        w_->Uint(static_cast<uint32_t>(v));
        break;
      case FD::TYPE_INT64:
      case FD::TYPE_SFIXED64:
        Integer(static_cast<int64_t>(v));
        break;
      case FD::TYPE_SINT64:
        Integer(Zigzag64(v));
        break;
      case FD::TYPE_UINT64:
      case FD::TYPE_FIXED64:
        Unsigned(v);
        break;
      case FD::TYPE_BOOL:
        w_->Bool(v != 0);
        break;
      case FD::TYPE_FLOAT: {
        float x;
        auto bits = static_cast<uint32_t>(v);
        std::memcpy(&x, &bits, 4);
        Floating(x);
        break;
      }
      case FD::TYPE_DOUBLE: {
        double x;
        std::memcpy(&x, &v, 8);
        Floating(x);
        break;
      }
      case FD::TYPE_ENUM:
        return Enum(f, static_cast<int32_t>(v));
      default:
        return Unsupported();
    }
    return Status::Ok();
  }

  // A field without presence that the bytes do not hold: its type's zero.
  Status Default(const FD* f) {
    switch (f->cpp_type()) {
      case FD::CPPTYPE_STRING:
        Quoted("");
        return Status::Ok();
      case FD::CPPTYPE_INT64:
      case FD::CPPTYPE_UINT64:
        Quoted("0");
        return Status::Ok();
      case FD::CPPTYPE_FLOAT:
      case FD::CPPTYPE_DOUBLE:
        Floating(0.0);
        return Status::Ok();
      case FD::CPPTYPE_BOOL:
        w_->Bool(false);
        return Status::Ok();
      case FD::CPPTYPE_ENUM:
        return Enum(f, f->default_value_enum()->number());
      case FD::CPPTYPE_MESSAGE:
        return Unsupported();  // always has presence
      default:
        w_->Int(0);
        return Status::Ok();
    }
  }

  // Timestamp, Duration, wrappers, Struct, Any, ...: parsed, and printed by AppendMessageJson.
  Status WellKnown(const pb::Descriptor* d, const Occurrence* spans, size_t n) {
    std::string json;
    std::unique_ptr<pb::Message> msg(factory_->GetPrototype(d)->New());
    for (size_t s = 0; s < n;
         ++s)  // each occurrence parsed on its own (not their concatenation), then merged
      if (!msg->MergeFromString(std::string(spans[s].p, spans[s].end))) return Unsupported();
    if (Status s = AppendMessageJson(*msg, resolver_, &json); !s.ok()) return s;
    w_->RawValue(json.data(), json.size());
    return Status::Ok();
  }

  const WireLayouts& layouts_;
  pb::MessageFactory* factory_;
  pb::util::TypeResolver* resolver_;
  std::vector<Scratch>& pool_;  // per nesting level
  Writer* w_;
  std::string scratch_;
};

}  // namespace

WireLayouts::WireLayouts(const pb::FileDescriptor* file) {
  for (int i = 0; i < file->message_type_count(); ++i) Add(file->message_type(i));
}

void WireLayouts::Add(const pb::Descriptor* d) {
  Layout& l = by_type_[d];
  l.d = d;
  l.by_number.assign(Layout::kDense, -1);
  for (int i = 0; i < d->field_count(); ++i) {
    const FD* f = d->field(i);
    if (f->number() < Layout::kDense) l.by_number[static_cast<size_t>(f->number())] = i;
    l.keys.push_back(JsonText::PrepareKey(f->name()));
    l.parse_only = l.parse_only || f->is_required() || f->type() == FD::TYPE_GROUP;
  }
  for (int i = 0; i < d->nested_type_count(); ++i) Add(d->nested_type(i));  // map entries too
}

const WireLayouts::Layout* WireLayouts::Find(const pb::Descriptor* d) const {
  auto it = by_type_.find(d);
  return it == by_type_.end() ? nullptr : &it->second;
}

int WireLayouts::Layout::IndexOf(uint64_t number) const {
  if (number < by_number.size()) return by_number[number];
  const FD* f = number <= INT32_MAX ? d->FindFieldByNumber(static_cast<int>(number)) : nullptr;
  return f ? f->index() : -1;
}

Status AppendWireJson(const WireLayouts& layouts, const pb::Descriptor* d, std::string_view bytes,
                      pb::MessageFactory* factory, pb::util::TypeResolver* resolver, std::string* out) {
  thread_local std::vector<Scratch> pool;  // reused from record to record
  size_t before = out->size();
  JsonText w(out);
  Decoder<JsonText> decoder(layouts, factory, resolver, &pool, &w);
  Occurrence whole{0, kDelimited, bytes.data(), bytes.data() + bytes.size()};
  Status s = decoder.Message(d, &whole, 1, 0);
  if (!s.ok()) out->resize(before);
  return s;
}

Status AppendWireJson(const WireLayouts& layouts, const pb::Descriptor* d, std::string_view bytes,
                      pb::MessageFactory* factory, pb::util::TypeResolver* resolver, std::string* out,
                      DocumentTarget* also) {
  thread_local std::vector<Scratch> pool;
  Occurrence whole{0, kDelimited, bytes.data(), bytes.data() + bytes.size()};
  if (also->text_optional) {
    JsonDiscard none;
    Status s = JsonDocWriter::Build(also->doc, also->raw, [&](JsonDocWriter& doc) {
      JsonTee<JsonDiscard, JsonDocWriter> only(&none, &doc);
      return Decoder<JsonTee<JsonDiscard, JsonDocWriter>>(layouts, factory, resolver, &pool, &only)
          .Message(d, &whole, 1, 0);
    });
    also->filled = also->text_skipped = s.ok();
    return s;
  }
  size_t before = out->size();
  JsonText text(out);
  Status s = JsonDocWriter::Build(also->doc, also->raw, [&](JsonDocWriter& doc) {
    JsonTee<JsonText, JsonDocWriter> both(&text, &doc);
    return Decoder<JsonTee<JsonText, JsonDocWriter>>(layouts, factory, resolver, &pool, &both)
        .Message(d, &whole, 1, 0);
  });
  also->filled = s.ok();
  if (!s.ok()) out->resize(before);
  return s;
}

}  // namespace kt::proto
