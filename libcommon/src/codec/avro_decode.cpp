#include <date/date.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "avro_datum.hpp"
#include "avro_union.hpp"
#include "kt/codec/avro_binary.hpp"
#include "kt/codec/base64.hpp"
#include "kt/core/json.hpp"
#include "kt/core/json_doc_writer.hpp"
#include "kt/core/json_reader.hpp"
#include "kt/core/json_text.hpp"
#include "kt/core/strings.hpp"

namespace kt::avro {

namespace {

using namespace datum;
using namespace unions;

// Items that take no bytes (null, empty records) cannot be bounded by what is left to read: a
// datum may have this many items beyond its byte count, in all its arrays together. The fuzz
// build (scripts/fuzz) allows fewer: its target decodes every input eight ways, and inputs of
// 65,536 nulls each took 140 ms under ASan, seven of its eight minutes; the refusal past the
// limit is the same code either way.
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
constexpr int64_t kMaxFreeItems = 1 << 10;
#else
constexpr int64_t kMaxFreeItems = 1 << 16;
#endif
constexpr int64_t kFirstDay = -719528, kLastDay = 2932896;  // 0000-01-01, 9999-12-31

// Decoders write JSON straight into the output string (JsonText; rapidjson's Writer kept a
// level stack and a buffer of its own to copy from: 12 % of a kfilter run on Avro), or into both
// that string and the document it reads as (TextAndDocument) for a Runner that reads the value.
using TextAndDocument = JsonTee<JsonText, JsonDocWriter>;

std::string DecimalText(std::vector<uint8_t> be, int scale) {
  bool negative = !be.empty() && (be[0] & 0x80);
  if (negative) {  // two's complement: invert and add one
    for (auto& b : be) b = static_cast<uint8_t>(~b);
    for (size_t i = be.size(); i-- > 0;)
      if (++be[i] != 0) break;
  }
  std::string digits;
  for (;;) {  // repeated division by 10, most significant byte first
    bool zero = true;
    unsigned rem = 0;
    for (auto& b : be) {
      unsigned cur = rem * 256 + b;
      b = static_cast<uint8_t>(cur / 10);
      rem = cur % 10;
      zero = zero && b == 0;
    }
    digits.push_back(static_cast<char>('0' + rem));
    if (zero) break;
  }
  while (digits.size() <= static_cast<size_t>(scale)) digits.push_back('0');
  std::string out = negative ? "-" : "";
  for (size_t i = digits.size(); i-- > 0;) {
    out.push_back(digits[i]);
    if (i == static_cast<size_t>(scale) && scale > 0) out.push_back('.');
  }
  return out;
}

template <typename Writer>
class Decoder {
 public:
  Decoder(std::string_view in, Writer w) : p_(in.data()), end_(in.data() + in.size()), w_(w) {}

  Status Datum(const Node& n, int depth) {
    if (depth > kMaxDepth)
      return Status::DataError("nested more than " + std::to_string(kMaxDepth) + " levels");
    switch (n.type) {
      case Type::kNull:
        w_.Null();
        return Status::Ok();
      case Type::kBoolean: {
        if (p_ >= end_) return Short("a boolean");
        uint8_t b = static_cast<uint8_t>(*p_++);
        if (b > 1) return Status::DataError("boolean byte " + std::to_string(b) + " is neither 0 nor 1");
        w_.Bool(b == 1);
        return Status::Ok();
      }
      case Type::kInt:
      case Type::kLong: {
        int64_t v;
        if (Status s = Long(&v); !s.ok()) return s;
        if (n.type == Type::kInt && (v < INT32_MIN || v > INT32_MAX))
          return Status::DataError("int " + std::to_string(v) + " out of range");
        if (n.logical == Logical::kDate) {
          if (v < kFirstDay || v > kLastDay)  // YYYY-MM-DD holds years 0 to 9999
            return Status::DataError("date " + std::to_string(v) +
                                     " days from 1970-01-01 is outside years 0-9999");
          date::year_month_day ymd{date::sys_days{date::days{v}}};
          std::string t = date::format("%F", ymd);
          w_.String(t.data(), static_cast<rapidjson::SizeType>(t.size()));
        } else {
          w_.Int64(v);
        }
        return Status::Ok();
      }
      case Type::kFloat: {
        if (end_ - p_ < 4) return Short("a float");
        float f;
        std::memcpy(&f, p_, 4);
        p_ += 4;
        return Real(f, [&](char* b, char* e) { return std::to_chars(b, e, f); });
      }
      case Type::kDouble: {
        if (end_ - p_ < 8) return Short("a double");
        double d;
        std::memcpy(&d, p_, 8);
        p_ += 8;
        return Real(d, [&](char* b, char* e) { return std::to_chars(b, e, d); });
      }
      case Type::kBytes:
      case Type::kString: {
        std::string_view bytes;
        if (Status s = Bytes(&bytes); !s.ok()) return s;
        return Text(n, bytes);
      }
      case Type::kFixed: {
        if (static_cast<size_t>(end_ - p_) < n.size) return Short("fixed " + n.name);
        std::string_view bytes(p_, n.size);
        p_ += n.size;
        return Text(n, bytes);
      }
      case Type::kEnum: {
        const std::string* sym;
        if (Status s = Symbol(n, &sym); !s.ok()) return s;
        w_.String(sym->data(), static_cast<rapidjson::SizeType>(sym->size()));
        return Status::Ok();
      }
      case Type::kUnion: {
        int64_t i;
        if (Status s = Long(&i); !s.ok()) return s;
        if (i < 0 || static_cast<size_t>(i) >= n.branches.size())
          return Status::DataError("union branch " + std::to_string(i) + " does not exist (the union has " +
                                   std::to_string(n.branches.size()) + ")");
        return Branch(n, static_cast<size_t>(i), *n.branches[static_cast<size_t>(i)], nullptr, depth + 1);
      }
      case Type::kRecord: {
        w_.StartObject();
        for (const Field& f : n.fields) {
          w_.PreparedKey(f.json_key, f.name);
          if (Status s = Datum(*f.type, depth + 1); !s.ok()) return At(s, f.name);
        }
        w_.EndObject();
        return Status::Ok();
      }
      case Type::kArray:
      case Type::kMap:
        return Blocks(n, depth);
    }
    return Status::DataError("unknown type");
  }

  // The datum written with `w`, shown as the reader's schema `r` says (Avro's schema
  // resolution): fields matched by name or alias, defaults for the reader's fields the writer
  // lacks, the writer's extra fields skipped, promotions (int -> long, float, double; long ->
  // float, double; float -> double; string <-> bytes), unions on either side.
  Status Resolve(const Node& w, const Node& r, int depth) {
    if (depth > kMaxDepth)
      return Status::DataError("nested more than " + std::to_string(kMaxDepth) + " levels");
    if (w.type == Type::kUnion) {
      int64_t i;
      if (Status s = Long(&i); !s.ok()) return s;
      if (i < 0 || static_cast<size_t>(i) >= w.branches.size())
        return Status::DataError("union branch " + std::to_string(i) + " does not exist (the union has " +
                                 std::to_string(w.branches.size()) + ")");
      return Resolve(*w.branches[static_cast<size_t>(i)], r, depth + 1);
    }
    if (r.type == Type::kUnion) {
      // The same type first (as Java's resolver), then a promotion. No datum read: the same depth.
      for (size_t i = 0; i < r.branches.size(); ++i)
        if (r.branches[i]->type == w.type && Matches(w, *r.branches[i]))
          return Branch(r, i, w, r.branches[i], depth);
      for (size_t i = 0; i < r.branches.size(); ++i)
        if (Matches(w, *r.branches[i])) return Branch(r, i, w, r.branches[i], depth);
      return Status::DataError("the writer's " + Describe(w) + " fits no branch of the reader's union");
    }
    if (!Matches(w, r))
      return Status::DataError("the writer's " + Describe(w) + " cannot be read as " + Describe(r));
    switch (r.type) {
      case Type::kRecord:
        return ResolveRecord(w, r, depth);
      case Type::kEnum: {
        const std::string* sym;
        if (Status s = Symbol(w, &sym); !s.ok()) return s;
        const std::string* out = nullptr;
        for (const std::string& rs : r.symbols)
          if (rs == *sym) out = &rs;
        if (!out && r.enum_default >= 0) out = &r.symbols[static_cast<size_t>(r.enum_default)];
        if (!out) return Status::DataError("symbol " + *sym + " is not in the reader's enum " + r.name);
        w_.String(out->data(), static_cast<rapidjson::SizeType>(out->size()));
        return Status::Ok();
      }
      case Type::kArray:
      case Type::kMap:
        return Blocks(w, depth, r.items);
      case Type::kBytes:
      case Type::kString:
        if (w.type != r.type) {  // promoted: the writer's bytes, shown as the reader's type
          std::string_view bytes;
          if (Status s = Bytes(&bytes); !s.ok()) return s;
          return Text(r, bytes);
        }
        return Datum(r, depth);
      default:  // a number promoted reads as the writer's and prints the same in JSON
        return Datum(w.type == r.type ? r : w, depth);
    }
  }

  bool AtEnd() const { return p_ == end_; }
  size_t Left() const { return static_cast<size_t>(end_ - p_); }

 private:
  static Status Short(const std::string& what) {
    return Status::DataError("the payload ends inside " + what + " (truncated)");
  }

  Status Long(int64_t* v) {
    uint64_t u = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (p_ >= end_) return Short("a varint");
      uint8_t b = static_cast<uint8_t>(*p_++);
      if (shift == 63 && (b & 0x7e)) return Status::DataError("a varint longer than 64 bits");
      u |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) {
        *v = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
        return Status::Ok();
      }
    }
    return Status::DataError("a varint longer than 10 bytes");
  }

  // An enum's symbol, by the index the data holds.
  Status Symbol(const Node& e, const std::string** sym) {
    int64_t i;
    if (Status s = Long(&i); !s.ok()) return s;
    if (i < 0 || static_cast<size_t>(i) >= e.symbols.size())
      return Status::DataError("enum " + e.name + " has no symbol " + std::to_string(i));
    *sym = &e.symbols[static_cast<size_t>(i)];
    return Status::Ok();
  }

  Status Bytes(std::string_view* out) {
    int64_t len;
    if (Status s = Long(&len); !s.ok()) return s;
    if (len < 0) return Status::DataError("negative length " + std::to_string(len));
    if (static_cast<uint64_t>(len) > Left())
      return Status::DataError("length " + std::to_string(len) + " is past the end of the payload (" +
                               std::to_string(Left()) + " bytes left)");
    *out = std::string_view(p_, static_cast<size_t>(len));
    p_ += len;
    return Status::Ok();
  }

  template <typename T, typename ToChars>
  Status Real(T v, ToChars to_chars) {
    if (std::isnan(v)) return w_.String("NaN"), Status::Ok();
    if (std::isinf(v)) return (v > 0 ? w_.String("Infinity") : w_.String("-Infinity")), Status::Ok();
    if (v == 0 && std::signbit(v))
      return w_.RawValue("-0.0", 4, rapidjson::kNumberType), Status::Ok();  // "-0" reads as 0
    char buf[32];
    auto r = to_chars(buf, buf + sizeof buf);
    w_.RawValue(buf, static_cast<size_t>(r.ptr - buf), rapidjson::kNumberType);
    return Status::Ok();
  }

  Status Text(const Node& n, std::string_view bytes) {
    if (n.logical == Logical::kDecimal) {
      if (bytes.size() > kMaxDecimalBytes)
        return Status::DataError("decimal of " + std::to_string(bytes.size()) + " bytes (at most " +
                                 std::to_string(kMaxDecimalBytes) + ")");
      std::string t = DecimalText(std::vector<uint8_t>(bytes.begin(), bytes.end()), n.scale);
      w_.String(t.data(), static_cast<rapidjson::SizeType>(t.size()));
      return Status::Ok();
    }
    if (n.type == Type::kString) {
      if (size_t bad = FirstInvalidUtf8(bytes); bad != std::string_view::npos)
        return Status::DataError("string is not UTF-8 (byte " + std::to_string(bad) + ")");
      w_.String(bytes.data(), static_cast<rapidjson::SizeType>(bytes.size()));
      return Status::Ok();
    }
    Base64Encode(bytes, &scratch_);
    w_.String(scratch_.data(), static_cast<rapidjson::SizeType>(scratch_.size()));
    return Status::Ok();
  }

  // Arrays and maps: blocks of count items (a negative count is followed by the block's size in
  // bytes), ended by a zero count.
  Status Blocks(const Node& n, int depth, const Node* reader_items = nullptr) {
    bool map = n.type == Type::kMap;
    map ? w_.StartObject() : w_.StartArray();
    int64_t index = 0;
    for (;;) {
      int64_t count;
      if (Status s = Long(&count); !s.ok()) return s;
      if (count == 0) break;
      if (count < 0) {
        if (count == std::numeric_limits<int64_t>::min())
          return Status::DataError("block count out of range");
        count = -count;
        int64_t size;
        if (Status s = Long(&size); !s.ok()) return s;
        if (size < 0) return Status::DataError("negative block size " + std::to_string(size));
      }
      // Every map item and most array items take at least one byte: a count beyond what is left
      // is a lie, refused before looping over it. Items that may take no bytes (null, empty
      // records) have a budget of their own, however they are split into blocks.
      bool empty_items = !map && CanBeEmpty(*n.items, 0);
      if ((!empty_items && static_cast<uint64_t>(count) > Left()) || (empty_items && count > free_items_))
        return Status::DataError("block of " + std::to_string(count) + " items in a payload with " +
                                 std::to_string(Left()) + " bytes left");
      if (empty_items) free_items_ -= count;
      for (int64_t i = 0; i < count; ++i, ++index) {
        std::string_view key;
        if (map) {
          if (Status s = Bytes(&key); !s.ok()) return At(s, "[" + std::to_string(index) + "]");
          if (!IsValidUtf8(key))
            return At(Status::DataError("map key is not UTF-8"), "[" + std::to_string(index) + "]");
          w_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
        }
        Status s = reader_items ? Resolve(*n.items, *reader_items, depth + 1) : Datum(*n.items, depth + 1);
        if (!s.ok()) return At(s, map ? std::string(key) : "[" + std::to_string(index) + "]");
      }
    }
    map ? w_.EndObject() : w_.EndArray();
    return Status::Ok();
  }

  // Whether a datum of `n` may take no bytes at all.
  static bool CanBeEmpty(const Node& n, int depth) {
    if (depth > 64) return false;  // a record that holds itself cannot be written anyway
    if (n.type == Type::kNull) return true;
    if (n.type == Type::kFixed) return n.size == 0;
    if (n.type != Type::kRecord) return false;
    for (const Field& f : n.fields)
      if (!CanBeEmpty(*f.type, depth + 1)) return false;
    return true;
  }

  static std::string Unqualified(const std::string& name) {
    size_t dot = name.rfind('.');
    return dot == std::string::npos ? name : name.substr(dot + 1);
  }

  static std::string Describe(const Node& n) {
    return n.name.empty() ? TypeName(n.type) : std::string(TypeName(n.type)) + " " + n.name;
  }

  // Whether data of writer type `w` can be read as `r` (not a union).
  static bool Matches(const Node& w, const Node& r) {
    if (w.type == r.type) {
      if (w.type == Type::kFixed) return w.size == r.size && Unqualified(w.name) == Unqualified(r.name);
      if (w.type == Type::kRecord || w.type == Type::kEnum) return Unqualified(w.name) == Unqualified(r.name);
      return true;
    }
    switch (w.type) {
      case Type::kInt:
        return r.type == Type::kLong || r.type == Type::kFloat || r.type == Type::kDouble;
      case Type::kLong:
        return r.type == Type::kFloat || r.type == Type::kDouble;
      case Type::kFloat:
        return r.type == Type::kDouble;
      case Type::kString:
        return r.type == Type::kBytes;
      case Type::kBytes:
        return r.type == Type::kString;
      default:
        return false;
    }
  }

  // Branch i of union u, its datum written as `w` (read as `r` when resolving). Shown as its value
  // itself, unless writing that JSON back (EncodeFromJson) would take it for another branch: then
  // an integral float or double gets a fraction ("3.0", which writing takes for float and double
  // before int and long), or else the value is wrapped in a one-member object naming its branch
  // (Avro JSON's {"float": 1.5}), which writing takes for that branch first. So what is read is
  // written back to the same branch, in the same bytes.
  Status Branch(const Node& u, size_t i, const Node& w, const Node* r, int depth) {
    if (!Shadowed(u, i)) return r ? Resolve(w, *r, depth) : Datum(w, depth);
    std::string text;
    if (Status s = Sub(w, r, depth, &text); !s.ok()) return s;
    rapidjson::Type kind = text[0] == '-' || (text[0] >= '0' && text[0] <= '9') ? rapidjson::kNumberType
                                                                                : rapidjson::kObjectType;
    if (WritesBack(u, i, text)) return w_.RawValue(text.data(), text.size(), kind), Status::Ok();
    const Node& b = *u.branches[i];
    if ((b.type == Type::kFloat || b.type == Type::kDouble) && kind == rapidjson::kNumberType &&
        text.find_first_of(".eE") == std::string::npos && WritesBack(u, i, text + ".0")) {
      text += ".0";
      return w_.RawValue(text.data(), text.size(), kind), Status::Ok();
    }
    std::string name = BranchName(b);
    w_.StartObject();
    w_.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    w_.RawValue(text.data(), text.size(), kind);
    w_.EndObject();
    return Status::Ok();
  }

  // Whether writing the JSON `text` with union u gives what writing it with branch i gives: that
  // branch's index, then the same bytes (not another branch, nor a one-member object read as a
  // name and a value).
  static bool WritesBack(const Node& u, size_t i, const std::string& text) {
    rapidjson::Document d;
    if (!ParseJsonText(text, &d).ok()) return false;
    std::string as_branch, as_union;
    PutLong(static_cast<int64_t>(i), &as_branch);
    return EncodeDatum(*u.branches[i], d, &as_branch).ok() && EncodeDatum(u, d, &as_union).ok() &&
           as_union == as_branch;
  }

  // Whether writing might take the value of branch i for another branch: another branch takes
  // the same kind of JSON, or the value may be a one-member object naming a branch. Most unions
  // (a null and one other type) have neither, and their values are written once, straight.
  static bool Shadowed(const Node& u, size_t i) {
    const Node& b = *u.branches[i];
    for (size_t j = 0; j < u.branches.size(); ++j)
      if (j != i && (JsonKinds(*u.branches[j]) & JsonKinds(b))) return true;
    if (b.type == Type::kMap) return u.branches.size() > 1;
    return b.type == Type::kRecord && b.fields.size() == 1 &&
           NamedBranch(u, b.fields[0].name) != std::string::npos;
  }

  // Decodes one datum of `w` (as `r` when given) into its own JSON text, from where this
  // decoder stands, and moves past it.
  Status Sub(const Node& w, const Node* r, int depth, std::string* json) {
    json->clear();
    Decoder<JsonText> sub(std::string_view(p_, static_cast<size_t>(end_ - p_)), JsonText(json));
    sub.free_items_ = free_items_;
    Status s = r ? sub.Resolve(w, *r, depth) : sub.Datum(w, depth);
    if (!s.ok()) return s;
    p_ = sub.p_;
    free_items_ = sub.free_items_;
    return s;
  }

  Status ResolveRecord(const Node& w, const Node& r, int depth) {
    std::vector<std::string> values(r.fields.size());
    std::vector<bool> given(r.fields.size(), false);
    std::string skipped;
    for (const Field& wf : w.fields) {
      size_t at = r.fields.size();
      for (size_t i = 0; i < r.fields.size() && at == r.fields.size(); ++i) {
        const Field& rf = r.fields[i];
        if (rf.name == wf.name) at = i;
        for (const std::string& a : rf.aliases)
          if (a == wf.name) at = i;
      }
      Status s = at < r.fields.size()
                     ? Sub(*wf.type, r.fields[at].type, depth + 1, &values[at])
                     : Sub(*wf.type, nullptr, depth + 1, &skipped);  // not the reader's: skipped
      if (!s.ok()) return At(s, wf.name);
      if (at < r.fields.size()) given[at] = true;
    }
    w_.StartObject();
    for (size_t i = 0; i < r.fields.size(); ++i) {
      const Field& rf = r.fields[i];
      w_.Key(rf.name.data(), static_cast<rapidjson::SizeType>(rf.name.size()));
      if (!given[i]) {
        if (!rf.default_value)
          return Status::DataError("at " + rf.name +
                                   ": the writer's record has no such field and the reader's "
                                   "schema gives no default");
        values[i].clear();
        AppendJson(*rf.default_value, &values[i]);
      }
      w_.RawValue(values[i].data(), values[i].size(), rapidjson::kObjectType);
    }
    w_.EndObject();
    return Status::Ok();
  }

  template <typename>
  friend class Decoder;  // Sub's, which writes text only

  const char* p_;
  const char* end_;
  Writer w_;
  std::string scratch_;
  int64_t free_items_ = kMaxFreeItems;
};

}  // namespace

Status DecodeToJson(const Schema& schema, std::string_view bytes, std::string* out) {
  return DecodeToJson(schema, nullptr, bytes, out);
}

namespace {

template <typename Writer>
Status DecodeWith(const Schema& writer, const Schema* reader, std::string_view bytes, Writer w) {
  Decoder<Writer> d(bytes, w);
  Status s = reader ? d.Resolve(writer.root(), reader->root(), 0) : d.Datum(writer.root(), 0);
  if (s.ok() && !d.AtEnd())
    s = Status::DataError(std::to_string(d.Left()) +
                          " bytes left over after the datum (a payload longer than "
                          "its schema says, or the wrong schema)");
  return s;
}

}  // namespace

Status DecodeToJson(const Schema& writer, const Schema* reader, std::string_view bytes, std::string* out) {
  size_t before = out->size();
  Status s = DecodeWith(writer, reader, bytes, JsonText(out));
  if (!s.ok()) out->resize(before);  // nothing of a datum that does not decode
  return s;
}

Status DecodeToJson(const Schema& writer, const Schema* reader, std::string_view bytes, std::string* out,
                    rapidjson::Document* doc, RawNumbers* raw) {
  size_t before = out->size();
  JsonText text(out);
  Status s = JsonDocWriter::Build(doc, raw, [&](JsonDocWriter& d) {
    return DecodeWith(writer, reader, bytes, TextAndDocument(&text, &d));
  });
  if (!s.ok()) out->resize(before);
  return s;
}

Status DecodeToDocument(const Schema& writer, const Schema* reader, std::string_view bytes,
                        rapidjson::Document* doc, RawNumbers* raw) {
  JsonDiscard none;
  return JsonDocWriter::Build(doc, raw, [&](JsonDocWriter& d) {
    return DecodeWith(writer, reader, bytes, JsonTee<JsonDiscard, JsonDocWriter>(&none, &d));
  });
}

}  // namespace kt::avro
