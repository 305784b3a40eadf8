// Arithmetic on expression values: int64 while exact, then double; null for what has no result.
#include <cmath>
#include <limits>

#include "node.hpp"

namespace kt::expr {

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
      default:
        return Value::Null();
    }
  }
  double x = a.AsDouble(), y = b.AsDouble(), r;
  switch (op) {
    case BinOp::kAdd:
      r = x + y;
      break;
    case BinOp::kSub:
      r = x - y;
      break;
    case BinOp::kMul:
      r = x * y;
      break;
    case BinOp::kDiv:
      if (y == 0) return Value::Null();
      r = x / y;
      break;
    case BinOp::kMod:
      if (y == 0) return Value::Null();
      r = std::fmod(x, y);
      break;
    default:
      return Value::Null();
  }
  return std::isfinite(r) ? Value::Double(r) : Value::Null();
}

}  // namespace kt::expr
