// Internal: the expression language's tokens and lexer (SEMANTICS.md grammar).
#pragma once

#include <string>
#include <string_view>

#include "kt/expr/value.hpp"

namespace kt::expr {

enum class Tok {
  kEnd,
  kNumber,
  kString,
  kName,
  kBacktick,
  kAt,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kDot,
  kQuestion,
  kColon,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPercent,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kMatch,
  kNotMatch,
  kBang,
  kAndAnd,
  kOrOr,
  kError
};

struct Token {
  Tok type = Tok::kEnd;
  size_t pos = 0;    // byte offset in the source
  std::string text;  // names, string contents (unescaped), error message
  Value number;
};

// Splits an expression into tokens. A malformed token (bad number, unterminated string, an
// unknown character) is a kError token whose text says why; the parser reports it with its
// position.
class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}
  Token Next();
  size_t pos() const { return pos_; }

 private:
  Token Error(Token t, std::string msg);
  Token Number(Token t);
  Token String(Token t, char quote);
  bool Hex4(uint32_t* cp);

  std::string_view src_;
  size_t pos_ = 0;
};

}  // namespace kt::expr
