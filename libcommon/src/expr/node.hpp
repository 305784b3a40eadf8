// Internal: the compiled expression tree.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kt/expr/expr.hpp"

namespace re2 {
class RE2;
}

namespace kt::expr {

class Node {
 public:
  virtual ~Node() = default;
  virtual Value Eval(EvalContext& ctx) const = 0;
  // A constant node's value (literals, constant lists), else nullptr.
  virtual const Value* Constant() const { return nullptr; }
};
using NodePtr = std::unique_ptr<Node>;

enum class BinOp {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kMatch,
  kNotMatch,
  kIn,
  kAnd,
  kOr
};
enum class Meta { kKey, kValue, kTimestamp, kPartition, kOffset, kTopic, kHeaders, kHeader };

NodePtr MakeLiteral(Value v);  // REQUIRES: not a string (use MakeStringLiteral)
NodePtr MakeStringLiteral(std::string s);
NodePtr MakeList(std::vector<NodePtr> elems);
NodePtr MakeField(std::string name);                 // top-level field of the value
NodePtr MakeMember(NodePtr base, std::string name);  // base.name
NodePtr MakeIndex(NodePtr base, NodePtr index);      // base[index]
NodePtr MakeMeta(Meta m, std::string header = {});
NodePtr MakeNeg(NodePtr a);
NodePtr MakeNot(NodePtr a);
NodePtr MakeBinary(BinOp op, NodePtr a, NodePtr b);  // not for ~ / !~
// a ~ b (negate: a !~ b). `compiled` is the pattern when b is a literal, else null (b is then
// compiled at run time through the context's cache).
NodePtr MakeMatch(bool negate, NodePtr a, NodePtr b, std::unique_ptr<re2::RE2> compiled);
// RE2 with ktools' options; null and *error set when `pattern` does not compile.
std::unique_ptr<re2::RE2> CompileRegex(std::string_view pattern, std::string* error);
NodePtr MakeCond(NodePtr c, NodePtr a, NodePtr b);

// Functions: a call node, or an error message (unknown name with a suggestion, wrong arity).
struct CallResult {
  NodePtr node;
  std::string error;
};
CallResult MakeCall(const std::string& name, std::vector<NodePtr> args);

// Arithmetic shared by nodes and functions.
Value Arith(BinOp op, const Value& a, const Value& b, EvalContext& ctx);

}  // namespace kt::expr
