// The node types of compiled expressions, the evaluation context, and arithmetic.
#include <re2/re2.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "node.hpp"

namespace kt::expr {

// ---- EvalContext ----

EvalContext::EvalContext(uint64_t seed) : rng_(seed) {}
EvalContext::~EvalContext() = default;

void EvalContext::Reset(const Record* record, const rapidjson::Value* value) {
  record_ = record;
  value_ = value;
  strings_used_ = 0;
  lists_used_ = 0;
}

std::string* EvalContext::NewString() {
  if (strings_used_ == strings_.size()) strings_.push_back(std::make_unique<std::string>());
  std::string* s = strings_[strings_used_++].get();
  s->clear();
  return s;
}

std::vector<Value>* EvalContext::NewList() {
  if (lists_used_ == lists_.size()) lists_.push_back(std::make_unique<std::vector<Value>>());
  std::vector<Value>* l = lists_[lists_used_++].get();
  l->clear();
  return l;
}

const re2::RE2* EvalContext::Regex(std::string_view pattern) {
  auto it = regexes_.find(std::string(pattern));
  if (it != regexes_.end()) return it->second.get();
  if (regexes_.size() >= 256) regexes_.clear();  // bounded: patterns computed per record
  std::string error;
  auto re = CompileRegex(pattern, &error);
  const re2::RE2* raw = re.get();
  regexes_.emplace(std::string(pattern), std::move(re));
  return raw;
}

std::unique_ptr<re2::RE2> CompileRegex(std::string_view pattern, std::string* error) {
  auto re = std::make_unique<re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), re2::RE2::Quiet);
  if (!re->ok()) {
    *error = re->error();
    return nullptr;
  }
  return re;
}

// ---- arithmetic ----

Value Arith(BinOp op, const Value& a, const Value& b, EvalContext& ctx) {
  if (a.IsNull() || b.IsNull()) return Value::Null();
  if (op == BinOp::kAdd && a.IsString() && b.IsString()) {
    std::string* s = ctx.NewString();
    s->reserve(a.AsString().size() + b.AsString().size());
    s->append(a.AsString()).append(b.AsString());
    return Value::String(*s);
  }
  if (!a.IsNumber() || !b.IsNumber()) return Value::Null();
  if (a.IsInt() && b.IsInt()) {
    int64_t x = a.AsInt(), y = b.AsInt(), r;
    switch (op) {
      case BinOp::kAdd:
        if (!__builtin_add_overflow(x, y, &r)) return Value::Int(r);
        return Value::Double(static_cast<double>(x) + static_cast<double>(y));
      case BinOp::kSub:
        if (!__builtin_sub_overflow(x, y, &r)) return Value::Int(r);
        return Value::Double(static_cast<double>(x) - static_cast<double>(y));
      case BinOp::kMul:
        if (!__builtin_mul_overflow(x, y, &r)) return Value::Int(r);
        return Value::Double(static_cast<double>(x) * static_cast<double>(y));
      case BinOp::kDiv:
        if (y == 0) return Value::Null();
        if (!(x == std::numeric_limits<int64_t>::min() && y == -1) && x % y == 0) return Value::Int(x / y);
        return Value::Double(static_cast<double>(x) / static_cast<double>(y));
      case BinOp::kMod:
        if (y == 0) return Value::Null();
        if (y == -1) return Value::Int(0);
        return Value::Int(x % y);
      default: return Value::Null();
    }
  }
  double x = a.AsDouble(), y = b.AsDouble(), r;
  switch (op) {
    case BinOp::kAdd: r = x + y; break;
    case BinOp::kSub: r = x - y; break;
    case BinOp::kMul: r = x * y; break;
    case BinOp::kDiv:
      if (y == 0) return Value::Null();
      r = x / y;
      break;
    case BinOp::kMod:
      if (y == 0) return Value::Null();
      r = std::fmod(x, y);
      break;
    default: return Value::Null();
  }
  return std::isfinite(r) ? Value::Double(r) : Value::Null();
}

namespace {

bool NameIs(const rapidjson::Value& name, const std::string& want) {
  return name.GetStringLength() == want.size() && std::memcmp(name.GetString(), want.data(), want.size()) == 0;
}

// Member lookup that first tries the position the name had in the previous record: records of a
// topic usually share their field order, which makes most lookups one comparison.
Value Lookup(const rapidjson::Value& obj, const std::string& name, uint32_t* hint) {
  uint32_t n = obj.MemberCount();
  auto begin = obj.MemberBegin();
  if (*hint < n && NameIs(begin[*hint].name, name)) return Value::FromJson(begin[*hint].value);
  for (uint32_t i = 0; i < n; ++i) {
    if (NameIs(begin[i].name, name)) {
      *hint = i;
      return Value::FromJson(begin[i].value);
    }
  }
  return Value::Missing();
}

class Literal : public Node {
 public:
  explicit Literal(Value v) : v_(v) {}
  explicit Literal(std::string s) : owned_(std::move(s)) { v_ = Value::String(owned_); }
  Literal(const Literal&) = delete;  // v_ may view owned_
  Value Eval(EvalContext&) const override { return v_; }
  const Value* Constant() const override { return &v_; }

 private:
  std::string owned_;
  Value v_;
};

class List : public Node {
 public:
  explicit List(std::vector<NodePtr> elems) : elems_(std::move(elems)) {
    constant_ = true;
    for (auto& e : elems_) constant_ = constant_ && e->Constant();
    if (constant_) {
      for (auto& e : elems_) values_.push_back(*e->Constant());
      v_ = Value::List(&values_);
    }
  }
  Value Eval(EvalContext& ctx) const override {
    if (constant_) return v_;
    std::vector<Value>* l = ctx.NewList();
    for (auto& e : elems_) l->push_back(e->Eval(ctx));
    return Value::List(l);
  }
  const Value* Constant() const override { return constant_ ? &v_ : nullptr; }

 private:
  std::vector<NodePtr> elems_;
  bool constant_;
  std::vector<Value> values_;
  Value v_;
};

class Field : public Node {
 public:
  explicit Field(std::string name) : name_(std::move(name)) {}
  Value Eval(EvalContext& ctx) const override {
    const rapidjson::Value* root = ctx.value();
    if (!root || !root->IsObject()) return Value::Missing();
    return Lookup(*root, name_, &hint_);
  }

 private:
  std::string name_;
  mutable uint32_t hint_ = 0;
};

class Member : public Node {
 public:
  Member(NodePtr base, std::string name) : base_(std::move(base)), name_(std::move(name)) {}
  Value Eval(EvalContext& ctx) const override {
    Value b = base_->Eval(ctx);
    if (!b.IsObject()) return Value::Missing();
    return Lookup(b.AsJson(), name_, &hint_);
  }

 private:
  NodePtr base_;
  std::string name_;
  mutable uint32_t hint_ = 0;
};

class Index : public Node {
 public:
  Index(NodePtr base, NodePtr index) : base_(std::move(base)), index_(std::move(index)) {}
  Value Eval(EvalContext& ctx) const override {
    Value b = base_->Eval(ctx);
    Value i = index_->Eval(ctx);
    if (b.IsArray() && i.IsInt()) {
      int64_t n = static_cast<int64_t>(b.ArraySize());
      int64_t k = i.AsInt() < 0 ? n + i.AsInt() : i.AsInt();
      if (k < 0 || k >= n) return Value::Missing();
      return b.ArrayAt(static_cast<size_t>(k));
    }
    if (b.IsObject() && i.IsString()) {
      auto it = b.AsJson().FindMember(rapidjson::StringRef(i.AsString().data(), i.AsString().size()));
      return it == b.AsJson().MemberEnd() ? Value::Missing() : Value::FromJson(it->value);
    }
    if (b.kind() == Value::Kind::kMissing) return Value::Missing();
    return Value::Null();
  }

 private:
  NodePtr base_, index_;
};

class MetaNode : public Node {
 public:
  MetaNode(Meta m, std::string header) : m_(m), header_(std::move(header)) {}
  Value Eval(EvalContext& ctx) const override {
    const Record* r = ctx.record();
    if (!r) return Value::Null();
    switch (m_) {
      case Meta::kKey: return r->key ? Value::String(*r->key) : Value::Null();
      case Meta::kTimestamp: return r->timestamp >= 0 ? Value::Int(r->timestamp) : Value::Null();
      case Meta::kPartition: return r->partition >= 0 ? Value::Int(r->partition) : Value::Null();
      case Meta::kOffset: return r->offset >= 0 ? Value::Int(r->offset) : Value::Null();
      case Meta::kTopic: return r->topic.empty() ? Value::Null() : Value::String(r->topic);
      case Meta::kHeaders: {
        std::vector<Value>* l = ctx.NewList();
        if (r->headers)
          for (const Header& h : *r->headers) l->push_back(Value::String(h.name));
        return Value::List(l);
      }
      case Meta::kHeader: {
        if (!r->headers) return Value::Missing();
        // Like Java's Headers.lastHeader: the last header with the name wins.
        for (auto it = r->headers->rbegin(); it != r->headers->rend(); ++it)
          if (it->name == header_) return it->value ? Value::String(*it->value) : Value::Null();
        return Value::Missing();
      }
    }
    return Value::Null();
  }

 private:
  Meta m_;
  std::string header_;
};

class Neg : public Node {
 public:
  explicit Neg(NodePtr a) : a_(std::move(a)) {}
  Value Eval(EvalContext& ctx) const override {
    Value v = a_->Eval(ctx);
    if (v.IsInt()) {
      if (v.AsInt() == std::numeric_limits<int64_t>::min()) return Value::Double(-static_cast<double>(v.AsInt()));
      return Value::Int(-v.AsInt());
    }
    if (v.IsDouble()) return Value::Double(-v.AsDouble());
    return Value::Null();
  }

 private:
  NodePtr a_;
};

class Not : public Node {
 public:
  explicit Not(NodePtr a) : a_(std::move(a)) {}
  Value Eval(EvalContext& ctx) const override { return Value::Bool(!a_->Eval(ctx).Truthy()); }

 private:
  NodePtr a_;
};

bool In(const Value& a, const Value& b) {
  if (b.IsString()) return a.IsString() && b.AsString().find(a.AsString()) != std::string_view::npos;
  if (b.IsArray()) {
    for (size_t i = 0; i < b.ArraySize(); ++i)
      if (Equal(a, b.ArrayAt(i))) return true;
    return false;
  }
  if (b.IsObject() && a.IsString())
    return b.AsJson().HasMember(rapidjson::StringRef(a.AsString().data(), a.AsString().size()));
  return false;
}

class Binary : public Node {
 public:
  Binary(BinOp op, NodePtr a, NodePtr b) : op_(op), a_(std::move(a)), b_(std::move(b)) {}
  Value Eval(EvalContext& ctx) const override {
    switch (op_) {
      case BinOp::kAnd: return Value::Bool(a_->Eval(ctx).Truthy() && b_->Eval(ctx).Truthy());
      case BinOp::kOr: return Value::Bool(a_->Eval(ctx).Truthy() || b_->Eval(ctx).Truthy());
      default: break;
    }
    Value a = a_->Eval(ctx);
    Value b = b_->Eval(ctx);
    int c;
    switch (op_) {
      case BinOp::kEq: return Value::Bool(Equal(a, b));
      case BinOp::kNe: return Value::Bool(!Equal(a, b));
      case BinOp::kLt: return Value::Bool(Compare(a, b, &c) && c < 0);
      case BinOp::kLe: return Value::Bool(Compare(a, b, &c) && c <= 0);
      case BinOp::kGt: return Value::Bool(Compare(a, b, &c) && c > 0);
      case BinOp::kGe: return Value::Bool(Compare(a, b, &c) && c >= 0);
      case BinOp::kIn: return Value::Bool(In(a, b));
      default: return Arith(op_, a, b, ctx);
    }
  }

 private:
  BinOp op_;
  NodePtr a_, b_;
};

// a ~ b: RE2 search (unanchored unless the pattern anchors). A non-string subject or pattern,
// or a run-time pattern that does not compile, gives false for both ~ and !~.
class Match : public Node {
 public:
  Match(bool negate, NodePtr a, NodePtr b, std::unique_ptr<re2::RE2> re)
      : negate_(negate), a_(std::move(a)), b_(std::move(b)), re_(std::move(re)) {}
  Value Eval(EvalContext& ctx) const override {
    Value a = a_->Eval(ctx);
    if (!a.IsString()) return Value::Bool(false);
    const re2::RE2* re = re_.get();
    if (!re) {
      Value p = b_->Eval(ctx);
      if (!p.IsString()) return Value::Bool(false);
      re = ctx.Regex(p.AsString());
      if (!re) return Value::Bool(false);
    }
    bool m = re2::RE2::PartialMatch(re2::StringPiece(a.AsString().data(), a.AsString().size()), *re);
    return Value::Bool(m != negate_);
  }

 private:
  bool negate_;
  NodePtr a_, b_;
  std::unique_ptr<re2::RE2> re_;
};

class Cond : public Node {
 public:
  Cond(NodePtr c, NodePtr a, NodePtr b) : c_(std::move(c)), a_(std::move(a)), b_(std::move(b)) {}
  Value Eval(EvalContext& ctx) const override {
    return c_->Eval(ctx).Truthy() ? a_->Eval(ctx) : b_->Eval(ctx);
  }

 private:
  NodePtr c_, a_, b_;
};

}  // namespace

NodePtr MakeLiteral(Value v) { return std::make_unique<Literal>(v); }
NodePtr MakeStringLiteral(std::string s) { return std::make_unique<Literal>(std::move(s)); }
NodePtr MakeList(std::vector<NodePtr> elems) { return std::make_unique<List>(std::move(elems)); }
NodePtr MakeField(std::string name) { return std::make_unique<Field>(std::move(name)); }
NodePtr MakeMember(NodePtr base, std::string name) { return std::make_unique<Member>(std::move(base), std::move(name)); }
NodePtr MakeIndex(NodePtr base, NodePtr index) { return std::make_unique<Index>(std::move(base), std::move(index)); }
NodePtr MakeMeta(Meta m, std::string header) { return std::make_unique<MetaNode>(m, std::move(header)); }
NodePtr MakeNeg(NodePtr a) { return std::make_unique<Neg>(std::move(a)); }
NodePtr MakeNot(NodePtr a) { return std::make_unique<Not>(std::move(a)); }
NodePtr MakeBinary(BinOp op, NodePtr a, NodePtr b) { return std::make_unique<Binary>(op, std::move(a), std::move(b)); }
NodePtr MakeMatch(bool negate, NodePtr a, NodePtr b, std::unique_ptr<re2::RE2> compiled) {
  return std::make_unique<Match>(negate, std::move(a), std::move(b), std::move(compiled));
}
NodePtr MakeCond(NodePtr c, NodePtr a, NodePtr b) { return std::make_unique<Cond>(std::move(c), std::move(a), std::move(b)); }

}  // namespace kt::expr
