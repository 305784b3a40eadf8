#include <date/date.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <sstream>
#include <vector>

#include "avro_datum.hpp"
#include "avro_union.hpp"
#include "kt/codec/avro_binary.hpp"
#include "kt/codec/base64.hpp"
#include "kt/core/json.hpp"
#include "kt/core/json_reader.hpp"
#include "kt/core/strings.hpp"

namespace kt::avro {

namespace {

using namespace datum;
using namespace unions;

Status Mismatch(const Node& n, const rapidjson::Value& v, const char* expected = nullptr) {
  std::string want = expected ? expected : TypeName(n.type);
  if (!n.name.empty()) want += " " + n.name;
  return Status::DataError("expected " + want + ", got " + JsonKind(v));
}

bool IntegralOf(const rapidjson::Value& v, int64_t* out) {
  if (v.IsInt64()) return *out = v.GetInt64(), true;
  if (v.IsDouble()) {
    double d = v.GetDouble();
    if (std::trunc(d) == d && d >= -9.2233720368547758e18 && d < 9.2233720368547758e18)
      return *out = static_cast<int64_t>(d), true;
  }
  return false;
}

// "-12.3" with scale 2 -> the big-endian two's complement bytes of -1230.
Status DecimalBytes(std::string_view text, int scale, std::vector<uint8_t>* be) {
  bool negative = !text.empty() && text[0] == '-';
  if (negative || (!text.empty() && text[0] == '+')) text.remove_prefix(1);
  std::string digits;
  int frac = -1;
  for (char c : text) {
    if (c == '.' && frac < 0) {
      frac = 0;
    } else if (c >= '0' && c <= '9') {
      digits.push_back(c);
      if (frac >= 0) ++frac;
    } else {
      return Status::DataError("'" + std::string(text) + "' is not a decimal number");
    }
  }
  if (digits.empty()) return Status::DataError("'" + std::string(text) + "' is not a decimal number");
  if (frac < 0) frac = 0;
  if (frac > scale)
    return Status::DataError("'" + std::string(text) + "' has more than the schema's " +
                             std::to_string(scale) + " decimal places");
  digits.append(static_cast<size_t>(scale - frac), '0');
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));  // "0.001": 1
  if (digits.size() > 160)  // only bounds the work below: the limit is the bytes' (after it)
    return Status::DataError("decimal of more than " + std::to_string(kMaxDecimalBytes) + " bytes");
  be->assign(1, 0);
  for (char c : digits) {  // be = be * 10 + digit
    unsigned carry = static_cast<unsigned>(c - '0');
    for (size_t i = be->size(); i-- > 0;) {
      unsigned cur = (*be)[i] * 10u + carry;
      (*be)[i] = static_cast<uint8_t>(cur & 0xff);
      carry = cur >> 8;
    }
    while (carry) {
      be->insert(be->begin(), static_cast<uint8_t>(carry & 0xff));
      carry >>= 8;
    }
  }
  if ((*be)[0] & 0x80) be->insert(be->begin(), 0);  // room for the sign bit
  if (negative) {
    for (auto& b : *be) b = static_cast<uint8_t>(~b);
    for (size_t i = be->size(); i-- > 0;)
      if (++(*be)[i] != 0) break;
  }
  while (be->size() > 1 && (((*be)[0] == 0 && !((*be)[1] & 0x80)) || ((*be)[0] == 0xff && ((*be)[1] & 0x80))))
    be->erase(be->begin());  // minimal two's complement
  if (be->size() > kMaxDecimalBytes)
    return Status::DataError("decimal of more than " + std::to_string(kMaxDecimalBytes) + " bytes");
  return Status::Ok();
}

class Encoder {
 public:
  explicit Encoder(std::string* out) : out_(out) {}

  Status Datum(const Node& n, const rapidjson::Value& v, int depth) {
    if (depth > kMaxDepth)
      return Status::DataError("nested more than " + std::to_string(kMaxDepth) + " levels");
    switch (n.type) {
      case Type::kNull:
        if (!v.IsNull()) return Mismatch(n, v);
        return Status::Ok();
      case Type::kBoolean:
        if (!v.IsBool()) return Mismatch(n, v);
        out_->push_back(v.GetBool() ? 1 : 0);
        return Status::Ok();
      case Type::kInt:
      case Type::kLong: {
        int64_t i;
        if (n.logical == Logical::kDate && v.IsString()) {
          date::year_month_day ymd;
          std::istringstream in(std::string(v.GetString(), v.GetStringLength()));
          in >> date::parse("%F", ymd);
          if (in.fail() || in.peek() != EOF)
            return Status::DataError("'" + std::string(v.GetString()) + "' is not a date (YYYY-MM-DD)");
          i = date::sys_days(ymd).time_since_epoch().count();
        } else if (!IntegralOf(v, &i)) {
          return Mismatch(n, v, n.type == Type::kInt ? "an int" : "a long");
        }
        if (n.type == Type::kInt && (i < INT32_MIN || i > INT32_MAX))
          return Status::DataError(std::to_string(i) + " does not fit an int");
        PutLong(i, out_);
        return Status::Ok();
      }
      case Type::kFloat:
      case Type::kDouble: {
        double d;
        if (v.IsNumber()) {
          d = v.GetDouble();
        } else if (v.IsString() && std::string_view(v.GetString()) == "NaN") {
          d = std::numeric_limits<double>::quiet_NaN();
        } else if (v.IsString() && std::string_view(v.GetString()) == "Infinity") {
          d = std::numeric_limits<double>::infinity();
        } else if (v.IsString() && std::string_view(v.GetString()) == "-Infinity") {
          d = -std::numeric_limits<double>::infinity();
        } else {
          return Mismatch(n, v, "a number");
        }
        if (n.type == Type::kFloat) {
          // What rounds past the largest float (from its half step above on, 2^103) casts
          // undefined (x86 gives an infinity nobody wrote). Below that it rounds to the largest,
          // whose shortest text (3.4028235e+38) is itself a little above it.
          static const double kPastFloat = double{std::numeric_limits<float>::max()} + std::ldexp(1.0, 103);
          if (std::isfinite(d) && std::fabs(d) >= kPastFloat) {
            char text[32];
            auto r = std::to_chars(text, text + sizeof text, d);
            return Status::DataError(std::string(text, r.ptr) + " does not fit a float");
          }
          float f = static_cast<float>(d);
          out_->append(reinterpret_cast<const char*>(&f), 4);
        } else {
          out_->append(reinterpret_cast<const char*>(&d), 8);
        }
        return Status::Ok();
      }
      case Type::kString:
        if (!v.IsString()) return Mismatch(n, v, "a string");
        PutLong(v.GetStringLength(), out_);
        out_->append(v.GetString(), v.GetStringLength());
        return Status::Ok();
      case Type::kBytes:
      case Type::kFixed:
        return Binary(n, v);
      case Type::kEnum: {
        if (!v.IsString()) return Mismatch(n, v, "a symbol of enum");
        std::string_view s(v.GetString(), v.GetStringLength());
        for (size_t i = 0; i < n.symbols.size(); ++i)
          if (n.symbols[i] == s) return PutLong(static_cast<int64_t>(i), out_), Status::Ok();
        return Status::DataError("'" + std::string(s) + "' is not a symbol of enum " + n.name);
      }
      case Type::kUnion:
        return Union(n, v, depth);
      case Type::kRecord: {
        if (!v.IsObject()) return Mismatch(n, v);
        for (const Field& f : n.fields) {
          auto m = kt::FindName(v, f.name);
          const rapidjson::Value* fv = m != v.MemberEnd() ? &m->value : f.default_value;
          if (!fv) return Status::DataError("at " + f.name + ": missing, and the schema gives no default");
          if (Status s = Datum(*f.type, *fv, depth + 1); !s.ok()) return At(s, f.name);
        }
        return Status::Ok();
      }
      case Type::kArray: {
        if (!v.IsArray()) return Mismatch(n, v);
        if (!v.Empty()) PutLong(v.Size(), out_);
        for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
          if (Status s = Datum(*n.items, v[i], depth + 1); !s.ok())
            return At(s, "[" + std::to_string(i) + "]");
        out_->push_back(0);
        return Status::Ok();
      }
      case Type::kMap: {
        if (!v.IsObject()) return Mismatch(n, v, "an object (map)");
        if (v.MemberCount() > 0) PutLong(v.MemberCount(), out_);
        for (const auto& m : v.GetObject()) {
          PutLong(m.name.GetStringLength(), out_);
          out_->append(m.name.GetString(), m.name.GetStringLength());
          if (Status s = Datum(*n.items, m.value, depth + 1); !s.ok()) return At(s, m.name.GetString());
        }
        out_->push_back(0);
        return Status::Ok();
      }
    }
    return Status::DataError("unknown type");
  }

 private:
  Status Binary(const Node& n, const rapidjson::Value& v) {
    std::string bytes;
    if (n.logical == Logical::kDecimal) {
      std::string text;
      if (v.IsString()) {
        text.assign(v.GetString(), v.GetStringLength());
      } else if (v.IsNumber()) {
        char buf[64];
        auto r = v.IsInt64() ? std::to_chars(buf, buf + sizeof buf, v.GetInt64())
                             : std::to_chars(buf, buf + sizeof buf, v.GetDouble(), std::chars_format::fixed);
        text.assign(buf, r.ptr);
      } else {
        return Mismatch(n, v, "a decimal (string or number)");
      }
      std::vector<uint8_t> be;
      if (Status s = DecimalBytes(text, n.scale, &be); !s.ok()) return s;
      if (n.type == Type::kFixed) {
        if (be.size() > n.size)
          return Status::DataError("'" + text + "' does not fit fixed " + n.name + " of " +
                                   std::to_string(n.size) + " bytes");
        bytes.assign(n.size - be.size(), (be[0] & 0x80) ? '\xff' : '\0');
      }
      bytes.append(be.begin(), be.end());
    } else {
      if (!v.IsString()) return Mismatch(n, v, "a base64 string");
      if (Status s = Base64Decode(std::string_view(v.GetString(), v.GetStringLength()), &bytes); !s.ok())
        return Status::DataError("not base64: " + s.message());
      if (n.type == Type::kFixed && bytes.size() != n.size)
        return Status::DataError("fixed " + n.name + " takes " + std::to_string(n.size) + " bytes, not " +
                                 std::to_string(bytes.size()));
    }
    if (n.type == Type::kBytes) PutLong(static_cast<int64_t>(bytes.size()), out_);
    out_->append(bytes);
    return Status::Ok();
  }

  // Whether a datum of `b` may be written from `v`: one of the kinds of JSON it takes.
  static bool MayFit(const Node& b, const rapidjson::Value& v) { return (JsonKinds(b) & JsonKindOf(v)) != 0; }

  // Whether `v` is JSON of branch b's own kind: a string for string and enum (not the base64 of
  // bytes, a decimal's digits, a date, "NaN"); an integer for int and long; a number with a
  // fraction or an exponent for float and double. Other values: any branch they fit.
  static bool OwnKind(const Node& b, const rapidjson::Value& v) {
    if (v.IsString()) return b.type == Type::kString || b.type == Type::kEnum;
    if (!v.IsNumber()) return true;
    bool integer = v.IsInt64() || v.IsUint64();
    switch (b.type) {
      case Type::kInt:
      case Type::kLong:
        return integer;
      case Type::kFloat:
      case Type::kDouble:
        return !integer;
      default:
        return true;
    }
  }

  // Which branch: a one-member object naming a branch is that branch's value (Avro JSON's
  // {"type": value}), tried first; then the first branch of the value's own kind it fits
  // (OwnKind), then the first it fits. Reading writes every value so that it comes back here.
  Status Union(const Node& n, const rapidjson::Value& v, int depth) {
    size_t mark = out_->size();
    Status named = Status::Ok();
    if (v.IsObject() && v.MemberCount() == 1) {
      const auto& m = *v.MemberBegin();
      size_t i = NamedBranch(n, std::string_view(m.name.GetString(), m.name.GetStringLength()));
      if (i != std::string::npos) {
        PutLong(static_cast<int64_t>(i), out_);
        named = Datum(*n.branches[i], m.value, depth + 1);
        if (named.ok()) return named;
        out_->resize(mark);
      }
    }
    Status first = Status::Ok();
    for (int pass = 0; pass < 2; ++pass) {
      for (size_t i = 0; i < n.branches.size(); ++i) {
        const Node& b = *n.branches[i];
        if (!MayFit(b, v) || OwnKind(b, v) != (pass == 0)) continue;
        PutLong(static_cast<int64_t>(i), out_);
        Status s = Datum(b, v, depth + 1);
        if (s.ok()) return s;
        if (first.ok()) first = s;
        out_->resize(mark);
      }
    }
    if (!named.ok()) return named;
    if (!first.ok()) return first;
    std::string names;
    for (const Node* b : n.branches) names += (names.empty() ? "" : ", ") + BranchName(*b);
    return Status::DataError(std::string(JsonKind(v)) + " fits no branch of the union [" + names + "]");
  }

  std::string* out_;
};

}  // namespace

namespace datum {

Status EncodeDatum(const Node& n, const rapidjson::Value& v, std::string* out) {
  return Encoder(out).Datum(n, v, 0);
}

}  // namespace datum

Status EncodeFromJson(const Schema& schema, const rapidjson::Value& value, std::string* out) {
  Encoder e(out);
  return e.Datum(schema.root(), value, 0);
}

}  // namespace kt::avro
