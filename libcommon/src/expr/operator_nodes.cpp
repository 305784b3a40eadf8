// Operator nodes: unary minus, not, binary operators (comparison, membership, arithmetic,
// and/or), regex match and the conditional.
#include <re2/re2.h>

#include <atomic>
#include <cerrno>
#include <limits>
#include <string>

#include "kt/core/log.hpp"
#include "node.hpp"

namespace kt::expr {

namespace {

class Neg : public Node {
 public:
  explicit Neg(NodePtr a) : a_(std::move(a)) {}
  Value Eval(EvalContext& ctx) const override {
    Value v = a_->Eval(ctx);
    if (v.IsInt()) {
      if (v.AsInt() == std::numeric_limits<int64_t>::min())
        return Value::Double(-static_cast<double>(v.AsInt()));
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

  // A comparison of a number with a string is false (==, <, ...) or true (!=) by the rules, with
  // no conversion; it is nearly always a field read as text ("price": "100"). Said once per
  // operator in the expression, on stderr.
  void NoteMixed(bool number_left) const {
    const char* op = nullptr;
    switch (op_) {
      case BinOp::kEq:
        op = "==";
        break;
      case BinOp::kNe:
        op = "!=";
        break;
      case BinOp::kLt:
        op = "<";
        break;
      case BinOp::kLe:
        op = "<=";
        break;
      case BinOp::kGt:
        op = ">";
        break;
      case BinOp::kGe:
        op = ">=";
        break;
      default:
        return;
    }
    if (noted_.test_and_set()) return;
    LogWarning(program_invocation_short_name,
               std::string("a number was compared with a string (") + (number_left ? "number " : "string ") +
                   op + (number_left ? " string" : " number") +
                   "): such a comparison never converts, so it is false (!= true); convert one side with "
                   "int(), float() or str()");
  }
  Value Eval(EvalContext& ctx) const override {
    switch (op_) {
      case BinOp::kAnd:
        return Value::Bool(a_->Eval(ctx).Truthy() && b_->Eval(ctx).Truthy());
      case BinOp::kOr:
        return Value::Bool(a_->Eval(ctx).Truthy() || b_->Eval(ctx).Truthy());
      default:
        break;
    }
    Value a = a_->Eval(ctx);
    Value b = b_->Eval(ctx);
    if ((a.IsNumber() && b.IsString()) || (a.IsString() && b.IsNumber())) NoteMixed(a.IsNumber());
    int c;
    switch (op_) {
      case BinOp::kEq:
        return Value::Bool(Equal(a, b));
      case BinOp::kNe:
        return Value::Bool(!Equal(a, b));
      case BinOp::kLt:
        return Value::Bool(Compare(a, b, &c) && c < 0);
      case BinOp::kLe:
        return Value::Bool(Compare(a, b, &c) && c <= 0);
      case BinOp::kGt:
        return Value::Bool(Compare(a, b, &c) && c > 0);
      case BinOp::kGe:
        return Value::Bool(Compare(a, b, &c) && c >= 0);
      case BinOp::kIn:
        return Value::Bool(In(a, b));
      default:
        return Arith(op_, a, b, ctx);
    }
  }

 private:
  BinOp op_;
  NodePtr a_, b_;
  mutable std::atomic_flag noted_ = ATOMIC_FLAG_INIT;
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

NodePtr MakeNeg(NodePtr a) { return std::make_unique<Neg>(std::move(a)); }
NodePtr MakeNot(NodePtr a) { return std::make_unique<Not>(std::move(a)); }
NodePtr MakeBinary(BinOp op, NodePtr a, NodePtr b) {
  return std::make_unique<Binary>(op, std::move(a), std::move(b));
}
NodePtr MakeMatch(bool negate, NodePtr a, NodePtr b, std::unique_ptr<re2::RE2> compiled) {
  return std::make_unique<Match>(negate, std::move(a), std::move(b), std::move(compiled));
}
NodePtr MakeCond(NodePtr c, NodePtr a, NodePtr b) {
  return std::make_unique<Cond>(std::move(c), std::move(a), std::move(b));
}

}  // namespace kt::expr
