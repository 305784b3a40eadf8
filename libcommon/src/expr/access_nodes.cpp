// Nodes that produce values: literals, lists, fields of the record value, members, indexes and
// record metadata (@key, @value, @timestamp, ...).
#include <cstring>

#include "kt/core/json.hpp"
#include "node.hpp"

namespace kt::expr {

namespace {

bool NameIs(const rapidjson::Value& name, const std::string& want) {
  return name.GetStringLength() == want.size() &&
         std::memcmp(name.GetString(), want.data(), want.size()) == 0;
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
      auto it = kt::FindName(b.AsJson(), i.AsString());
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
    if (m_ == Meta::kValue)
      return ctx.value() ? Value::FromJson(*ctx.value()) : Value::Null();  // null: a tombstone
    const Record* r = ctx.record();
    if (!r) return Value::Null();
    switch (m_) {
      case Meta::kKey:
        return r->key ? Value::String(*r->key) : Value::Null();
      case Meta::kValue:
        break;  // above
      case Meta::kTimestamp:
        return r->timestamp >= 0 ? Value::Int(r->timestamp) : Value::Null();
      case Meta::kPartition:
        return r->partition >= 0 ? Value::Int(r->partition) : Value::Null();
      case Meta::kOffset:
        return r->offset >= 0 ? Value::Int(r->offset) : Value::Null();
      case Meta::kTopic:
        return r->topic.empty() ? Value::Null() : Value::String(r->topic);
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

}  // namespace

NodePtr MakeLiteral(Value v) { return std::make_unique<Literal>(v); }
NodePtr MakeStringLiteral(std::string s) { return std::make_unique<Literal>(std::move(s)); }
NodePtr MakeList(std::vector<NodePtr> elems) { return std::make_unique<List>(std::move(elems)); }
NodePtr MakeField(std::string name) { return std::make_unique<Field>(std::move(name)); }
NodePtr MakeMember(NodePtr base, std::string name) {
  return std::make_unique<Member>(std::move(base), std::move(name));
}
NodePtr MakeIndex(NodePtr base, NodePtr index) {
  return std::make_unique<Index>(std::move(base), std::move(index));
}
NodePtr MakeMeta(Meta m, std::string header) { return std::make_unique<MetaNode>(m, std::move(header)); }

}  // namespace kt::expr
