// The expression language's functions (SEMANTICS.md). Each takes evaluated arguments and
// returns null for arguments of the wrong type; none throws.
#include <cmath>
#include <limits>

#include "kt/core/murmur2.hpp"
#include "kt/core/strings.hpp"
#include "kt/core/time.hpp"
#include "node.hpp"

namespace kt::expr {

namespace {

constexpr size_t kMaxArgs = 16;
using Fn = Value (*)(const Value* a, size_t n, EvalContext& ctx);

Value Str(std::string* s) { return Value::String(*s); }

// UTF-8: byte offset of code point `cp` (clamped to the end).
size_t CodePointOffset(std::string_view s, int64_t cp) {
  size_t i = 0;
  for (int64_t k = 0; k < cp && i < s.size(); ++k) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xc0) == 0x80) ++i;
  }
  return i;
}

int64_t CodePoints(std::string_view s) {
  int64_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return n;
}

bool ToInt(double d, int64_t* out) {
  if (!std::isfinite(d) || d < -9.2233720368547758e18 || d >= 9.2233720368547758e18) return false;
  *out = static_cast<int64_t>(d);
  return true;
}

Value IntOrDouble(double d) {
  int64_t i;
  if (ToInt(d, &i)) return Value::Int(i);
  return std::isfinite(d) ? Value::Double(d) : Value::Null();
}

Value Len(const Value* a, size_t, EvalContext&) {
  if (a[0].IsString()) return Value::Int(CodePoints(a[0].AsString()));
  if (a[0].IsArray()) return Value::Int(static_cast<int64_t>(a[0].ArraySize()));
  if (a[0].IsObject()) return Value::Int(a[0].AsJson().MemberCount());
  return Value::Null();
}

template <int (*F)(int)>
Value MapAscii(const Value* a, size_t, EvalContext& ctx) {
  if (!a[0].IsString()) return Value::Null();
  std::string* s = ctx.NewString();
  s->assign(a[0].AsString());
  for (char& c : *s)
    if (static_cast<unsigned char>(c) < 0x80) c = static_cast<char>(F(static_cast<unsigned char>(c)));
  return Str(s);
}

Value TrimFn(const Value* a, size_t, EvalContext&) {
  if (!a[0].IsString()) return Value::Null();
  return Value::String(Trim(a[0].AsString()));
}

bool ArrayHas(const Value& hay, const Value& needle) {
  for (size_t i = 0; i < hay.ArraySize(); ++i)
    if (Equal(needle, hay.ArrayAt(i))) return true;
  return false;
}

Value Contains(const Value* a, size_t, EvalContext&) {
  if (a[0].IsString() && a[1].IsString())
    return Value::Bool(a[0].AsString().find(a[1].AsString()) != std::string_view::npos);
  if (a[0].IsArray()) return Value::Bool(ArrayHas(a[0], a[1]));
  return Value::Null();
}

Value StartsWith(const Value* a, size_t, EvalContext&) {
  if (!a[0].IsString() || !a[1].IsString()) return Value::Null();
  return Value::Bool(a[0].AsString().substr(0, a[1].AsString().size()) == a[1].AsString());
}

Value EndsWith(const Value* a, size_t, EvalContext&) {
  if (!a[0].IsString() || !a[1].IsString()) return Value::Null();
  std::string_view s = a[0].AsString(), t = a[1].AsString();
  return Value::Bool(s.size() >= t.size() && s.substr(s.size() - t.size()) == t);
}

// substr(s, start[, len]) in code points; a negative start counts from the end.
Value Substr(const Value* a, size_t n, EvalContext&) {
  if (!a[0].IsString() || !a[1].IsInt() || (n > 2 && !a[2].IsInt())) return Value::Null();
  std::string_view s = a[0].AsString();
  int64_t total = CodePoints(s);
  int64_t start = a[1].AsInt() < 0 ? std::max<int64_t>(0, total + a[1].AsInt()) : a[1].AsInt();
  int64_t len = n > 2 ? std::max<int64_t>(0, a[2].AsInt()) : total;
  size_t b = CodePointOffset(s, start);
  size_t e = b + CodePointOffset(s.substr(b), len);
  return Value::String(s.substr(b, e - b));
}

Value Replace(const Value* a, size_t, EvalContext& ctx) {
  if (!a[0].IsString() || !a[1].IsString() || !a[2].IsString()) return Value::Null();
  std::string_view s = a[0].AsString(), from = a[1].AsString(), to = a[2].AsString();
  if (from.empty()) return a[0];
  std::string* out = ctx.NewString();
  size_t pos = 0;
  while (true) {
    size_t f = s.find(from, pos);
    if (f == std::string_view::npos) break;
    out->append(s.substr(pos, f - pos)).append(to);
    pos = f + from.size();
  }
  out->append(s.substr(pos));
  return Str(out);
}

Value Abs(const Value* a, size_t, EvalContext&) {
  if (a[0].IsInt()) {
    if (a[0].AsInt() == std::numeric_limits<int64_t>::min())
      return Value::Double(-static_cast<double>(a[0].AsInt()));
    return Value::Int(a[0].AsInt() < 0 ? -a[0].AsInt() : a[0].AsInt());
  }
  if (a[0].IsDouble()) return Value::Double(std::fabs(a[0].AsDouble()));
  return Value::Null();
}

// round(x) half away from zero to an int; round(x, n) to n decimals (a double).
Value Round(const Value* a, size_t n, EvalContext&) {
  if (!a[0].IsNumber() || (n > 1 && !a[1].IsInt())) return Value::Null();
  if (a[0].IsInt()) return a[0];
  int64_t digits = n > 1 ? a[1].AsInt() : 0;
  if (digits <= 0) return IntOrDouble(std::round(a[0].AsDouble()));
  double scale = std::pow(10.0, static_cast<double>(std::min<int64_t>(digits, 15)));
  return Value::Double(std::round(a[0].AsDouble() * scale) / scale);
}

template <double (*F)(double)>
Value IntegralFn(const Value* a, size_t, EvalContext&) {
  if (a[0].IsInt()) return a[0];
  if (a[0].IsDouble()) return IntOrDouble(F(a[0].AsDouble()));
  return Value::Null();
}

// min/max over numeric arguments (or one array argument); nulls and non-numbers are ignored.
template <bool kMax>
Value Extreme(const Value* a, size_t n, EvalContext&) {
  Value best = Value::Null();
  auto consider = [&](const Value& v) {
    if (!v.IsNumber()) return;
    int c;
    if (best.IsNull() || (Compare(v, best, &c) && (kMax ? c > 0 : c < 0))) best = v;
  };
  if (n == 1 && a[0].IsArray()) {
    for (size_t i = 0; i < a[0].ArraySize(); ++i) consider(a[0].ArrayAt(i));
  } else {
    for (size_t i = 0; i < n; ++i) consider(a[i]);
  }
  return best;
}

Value IntFn(const Value* a, size_t, EvalContext&) {
  const Value& v = a[0];
  int64_t i;
  double d;
  if (v.IsInt()) return v;
  if (v.IsDouble()) return ToInt(std::trunc(v.AsDouble()), &i) ? Value::Int(i) : Value::Null();
  if (v.IsBool()) return Value::Int(v.AsBool() ? 1 : 0);
  if (v.IsString()) {
    std::string_view s = Trim(v.AsString());
    if (ParseInt64(s, &i)) return Value::Int(i);
    if (ParseDouble(s, &d) && ToInt(std::trunc(d), &i)) return Value::Int(i);
  }
  return Value::Null();
}

Value FloatFn(const Value* a, size_t, EvalContext&) {
  const Value& v = a[0];
  double d;
  if (v.IsNumber()) return Value::Double(v.AsDouble());
  if (v.IsBool()) return Value::Double(v.AsBool() ? 1.0 : 0.0);
  if (v.IsString() && ParseDouble(Trim(v.AsString()), &d)) return Value::Double(d);
  return Value::Null();
}

Value StrFn(const Value* a, size_t, EvalContext& ctx) {
  if (a[0].IsNull()) return Value::Null();
  if (a[0].IsString()) return a[0];
  std::string* s = ctx.NewString();
  a[0].KeyText(s);
  return Str(s);
}

Value Coalesce(const Value* a, size_t n, EvalContext&) {
  for (size_t i = 0; i < n; ++i)
    if (!a[i].IsNull()) return a[i];
  return Value::Null();
}

Value Exists(const Value* a, size_t, EvalContext&) { return Value::Bool(!a[0].IsMissing()); }

// murmur2 of the value's key bytes, made positive: hash(x) % N is the partition the Java
// client's default partitioner picks for key x on a topic with N partitions.
Value Hash(const Value* a, size_t, EvalContext& ctx) {
  std::string* s = ctx.NewString();
  if (!a[0].KeyText(s)) return Value::Null();
  return Value::Int(static_cast<int64_t>(static_cast<uint32_t>(Murmur2(*s)) & 0x7fffffffU));
}

Value Now(const Value*, size_t, EvalContext&) { return Value::Int(NowMs()); }

// time(x[, fmt]): an RFC 3339 string, a string in format fmt (UTC unless %z), or epoch ms.
Value TimeFn(const Value* a, size_t n, EvalContext&) {
  if (a[0].IsInt()) return a[0];
  if (a[0].IsDouble()) return IntOrDouble(std::trunc(a[0].AsDouble()));
  if (!a[0].IsString()) return Value::Null();
  Result<int64_t> t = Status::InvalidArgument("");
  if (n > 1) {
    if (!a[1].IsString()) return Value::Null();
    t = ParseTimeFormat(a[0].AsString(), std::string(a[1].AsString()));
  } else {
    t = ParseRfc3339(a[0].AsString());
  }
  return t.ok() ? Value::Int(*t) : Value::Null();
}

Value Iso(const Value* a, size_t, EvalContext& ctx) {
  int64_t ms;
  if (a[0].IsInt())
    ms = a[0].AsInt();
  else if (!a[0].IsDouble() || !ToInt(std::floor(a[0].AsDouble()), &ms))
    return Value::Null();
  if (ms < -62135596800000 || ms > 253402300799999) return Value::Null();  // years 1..9999
  std::string* s = ctx.NewString();
  *s = FormatRfc3339(ms);
  return Str(s);
}

Value Random(const Value*, size_t, EvalContext& ctx) { return Value::Double(ctx.rng().Unit()); }

struct FnSpec {
  const char* name;
  size_t min_args, max_args;
  Fn fn;
};

int Lower(int c) { return std::tolower(c); }
int Upper(int c) { return std::toupper(c); }

constexpr FnSpec kFunctions[] = {
    {"len", 1, 1, Len},
    {"lower", 1, 1, MapAscii<Lower>},
    {"upper", 1, 1, MapAscii<Upper>},
    {"trim", 1, 1, TrimFn},
    {"contains", 2, 2, Contains},
    {"startswith", 2, 2, StartsWith},
    {"endswith", 2, 2, EndsWith},
    {"substr", 2, 3, Substr},
    {"replace", 3, 3, Replace},
    {"abs", 1, 1, Abs},
    {"round", 1, 2, Round},
    {"floor", 1, 1, IntegralFn<std::floor>},
    {"ceil", 1, 1, IntegralFn<std::ceil>},
    {"min", 1, kMaxArgs, Extreme<false>},
    {"max", 1, kMaxArgs, Extreme<true>},
    {"int", 1, 1, IntFn},
    {"float", 1, 1, FloatFn},
    {"str", 1, 1, StrFn},
    {"coalesce", 1, kMaxArgs, Coalesce},
    {"exists", 1, 1, Exists},
    {"hash", 1, 1, Hash},
    {"now", 0, 0, Now},
    {"time", 1, 2, TimeFn},
    {"iso", 1, 1, Iso},
    {"random", 0, 0, Random},
};

class Call : public Node {
 public:
  Call(Fn fn, std::vector<NodePtr> args) : fn_(fn), args_(std::move(args)) {}
  Value Eval(EvalContext& ctx) const override {
    Value vals[kMaxArgs];
    for (size_t i = 0; i < args_.size(); ++i) vals[i] = args_[i]->Eval(ctx);
    return fn_(vals, args_.size(), ctx);
  }

 private:
  Fn fn_;
  std::vector<NodePtr> args_;
};

std::string Arity(const FnSpec& f) {
  if (f.min_args == f.max_args) return std::to_string(f.min_args);
  if (f.max_args == kMaxArgs) return std::to_string(f.min_args) + " or more";
  return std::to_string(f.min_args) + " to " + std::to_string(f.max_args);
}

}  // namespace

CallResult MakeCall(const std::string& name, std::vector<NodePtr> args) {
  for (const FnSpec& f : kFunctions) {
    if (name != f.name) continue;
    if (args.size() < f.min_args || args.size() > f.max_args)
      return {nullptr, name + "() takes " + Arity(f) + " argument" + (f.max_args == 1 ? "" : "s") + ", got " +
                           std::to_string(args.size())};
    return {std::make_unique<Call>(f.fn, std::move(args)), {}};
  }
  std::string best;
  size_t best_d = 99;
  for (const FnSpec& f : kFunctions) {
    size_t d = EditDistance(name, f.name);
    if (d < best_d) best_d = d, best = f.name;
  }
  std::string msg = "unknown function '" + name + "'";
  if (best_d <= 2) msg += "; did you mean '" + best + "'?";
  return {nullptr, msg};
}

}  // namespace kt::expr
