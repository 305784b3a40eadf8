// Recursive-descent parser for the grammar in SEMANTICS.md (tokens from lexer.hpp), producing the
// node tree; Expr::Parse reports syntax errors with a caret under the column.
#include <re2/re2.h>

#include <algorithm>
#include <optional>

#include "lexer.hpp"
#include "node.hpp"

namespace kt::expr {

namespace {

struct SyntaxError {
  size_t pos;
  std::string message;
};

class Parser {
 public:
  explicit Parser(std::string_view src) : lex_(src) { Advance(); }

  NodePtr ParseAll() {
    NodePtr n = ParseExpr();
    if (!error_ && tok_.type != Tok::kEnd) {
      if (IsCompareOp(tok_))
        Fail(tok_.pos, "comparisons do not chain (use 'and': a < b and b < c)");
      else
        Fail(tok_.pos, "expected an operator or the end of the expression");
    }
    return error_ ? nullptr : std::move(n);
  }
  const SyntaxError* error() const { return error_ ? &*error_ : nullptr; }
  bool reads_value() const { return reads_value_; }
  bool reads_fields() const { return reads_fields_; }
  bool reads_whole_value() const { return reads_whole_value_; }
  bool reads_headers() const { return reads_headers_; }
  std::vector<std::string>& fields() { return fields_; }

 private:
  void Advance() {
    tok_ = lex_.Next();
    if (tok_.type == Tok::kError) Fail(tok_.pos, tok_.text);
  }
  void Fail(size_t pos, std::string msg) {
    if (!error_) error_ = SyntaxError{pos, std::move(msg)};
  }
  bool IsKeyword(const char* kw) const { return tok_.type == Tok::kName && tok_.text == kw; }
  static bool IsCompareOp(const Token& t) {
    switch (t.type) {
      case Tok::kEq:
      case Tok::kNe:
      case Tok::kLt:
      case Tok::kLe:
      case Tok::kGt:
      case Tok::kGe:
      case Tok::kMatch:
      case Tok::kNotMatch:
        return true;
      case Tok::kName:
        return t.text == "in";
      default:
        return false;
    }
  }
  bool Expect(Tok type, const char* what) {
    if (error_) return false;
    if (tok_.type != type) {
      Fail(tok_.pos, std::string("expected ") + what);
      return false;
    }
    Advance();
    return true;
  }

  // expr := or ( '?' expr ':' expr )?
  NodePtr ParseExpr() {
    NodePtr c = ParseOr();
    if (error_ || tok_.type != Tok::kQuestion) return c;
    Advance();
    NodePtr a = ParseExpr();
    if (!Expect(Tok::kColon, "':' of the conditional (c ? a : b)")) return nullptr;
    NodePtr b = ParseExpr();
    return error_ ? nullptr : MakeCond(std::move(c), std::move(a), std::move(b));
  }

  NodePtr ParseOr() {
    NodePtr a = ParseAnd();
    while (!error_ && (IsKeyword("or") || tok_.type == Tok::kOrOr)) {
      Advance();
      a = MakeBinary(BinOp::kOr, std::move(a), ParseAnd());
    }
    return a;
  }

  NodePtr ParseAnd() {
    NodePtr a = ParseNot();
    while (!error_ && (IsKeyword("and") || tok_.type == Tok::kAndAnd)) {
      Advance();
      a = MakeBinary(BinOp::kAnd, std::move(a), ParseNot());
    }
    return a;
  }

  NodePtr ParseNot() {
    if (IsKeyword("not") || tok_.type == Tok::kBang) {
      Advance();
      return MakeNot(ParseNot());
    }
    return ParseCompare();
  }

  NodePtr ParseCompare() {
    NodePtr a = ParseSum();
    if (error_ || !IsCompareOp(tok_)) return a;
    BinOp op;
    switch (tok_.type) {
      case Tok::kEq:
        op = BinOp::kEq;
        break;
      case Tok::kNe:
        op = BinOp::kNe;
        break;
      case Tok::kLt:
        op = BinOp::kLt;
        break;
      case Tok::kLe:
        op = BinOp::kLe;
        break;
      case Tok::kGt:
        op = BinOp::kGt;
        break;
      case Tok::kGe:
        op = BinOp::kGe;
        break;
      case Tok::kMatch:
        op = BinOp::kMatch;
        break;
      case Tok::kNotMatch:
        op = BinOp::kNotMatch;
        break;
      default:
        op = BinOp::kIn;
        break;
    }
    Advance();
    size_t rhs_pos = tok_.pos;
    NodePtr b = ParseSum();
    if (error_) return nullptr;
    if (op != BinOp::kMatch && op != BinOp::kNotMatch) return MakeBinary(op, std::move(a), std::move(b));
    // A literal pattern is compiled once, here, so a bad one is a usage error.
    std::unique_ptr<re2::RE2> re;
    if (const Value* pat = b->Constant()) {
      if (!pat->IsString()) {
        Fail(rhs_pos, "the right side of ~ must be a string (a regular expression)");
        return nullptr;
      }
      std::string error;
      re = CompileRegex(pat->AsString(), &error);
      if (!re) {
        Fail(rhs_pos, "invalid regular expression: " + error);
        return nullptr;
      }
    }
    return MakeMatch(op == BinOp::kNotMatch, std::move(a), std::move(b), std::move(re));
  }

  NodePtr ParseSum() {
    NodePtr a = ParseProduct();
    while (!error_ && (tok_.type == Tok::kPlus || tok_.type == Tok::kMinus)) {
      BinOp op = tok_.type == Tok::kPlus ? BinOp::kAdd : BinOp::kSub;
      Advance();
      a = MakeBinary(op, std::move(a), ParseProduct());
    }
    return a;
  }

  NodePtr ParseProduct() {
    NodePtr a = ParseUnary();
    while (!error_ && (tok_.type == Tok::kStar || tok_.type == Tok::kSlash || tok_.type == Tok::kPercent)) {
      BinOp op = tok_.type == Tok::kStar ? BinOp::kMul : tok_.type == Tok::kSlash ? BinOp::kDiv : BinOp::kMod;
      Advance();
      a = MakeBinary(op, std::move(a), ParseUnary());
    }
    return a;
  }

  NodePtr ParseUnary() {
    if (tok_.type == Tok::kMinus) {
      Advance();
      return MakeNeg(ParseUnary());
    }
    return ParsePostfix();
  }

  NodePtr ParsePostfix() {
    NodePtr n = ParsePrimary();
    while (!error_) {
      if (tok_.type == Tok::kDot) {
        Advance();
        if (tok_.type != Tok::kName && tok_.type != Tok::kBacktick) {
          Fail(tok_.pos, "expected a field name after '.'");
          return nullptr;
        }
        std::string name = tok_.text;
        Advance();
        n = MakeMember(std::move(n), std::move(name));
      } else if (tok_.type == Tok::kLBracket) {
        Advance();
        NodePtr idx = ParseExpr();
        if (!Expect(Tok::kRBracket, "']'")) return nullptr;
        n = MakeIndex(std::move(n), std::move(idx));
      } else {
        break;
      }
    }
    return n;
  }

  NodePtr ParsePrimary() {
    if (error_) return nullptr;
    Token t = tok_;
    switch (t.type) {
      case Tok::kNumber:
        Advance();
        return MakeLiteral(t.number);
      case Tok::kString:
        Advance();
        return MakeStringLiteral(std::move(t.text));
      case Tok::kBacktick:
        Advance();
        reads_value_ = reads_fields_ = true;
        NameField(t.text);
        return MakeField(std::move(t.text));
      case Tok::kLParen: {
        Advance();
        NodePtr n = ParseExpr();
        if (!Expect(Tok::kRParen, "')'")) return nullptr;
        return n;
      }
      case Tok::kLBracket: {
        Advance();
        std::vector<NodePtr> elems;
        if (tok_.type != Tok::kRBracket) {
          do {
            if (tok_.type == Tok::kComma) Advance();
            elems.push_back(ParseExpr());
          } while (!error_ && tok_.type == Tok::kComma);
        }
        if (!Expect(Tok::kRBracket, "',' or ']'")) return nullptr;
        return MakeList(std::move(elems));
      }
      case Tok::kAt:
        return ParseMeta();
      case Tok::kName: {
        if (t.text == "true" || t.text == "false") {
          Advance();
          return MakeLiteral(Value::Bool(t.text == "true"));
        }
        if (t.text == "null") {
          Advance();
          return MakeLiteral(Value::Null());
        }
        if (t.text == "and" || t.text == "or" || t.text == "not" || t.text == "in") {
          Fail(t.pos, "expected an operand, found '" + t.text + "'");
          return nullptr;
        }
        Advance();
        if (tok_.type != Tok::kLParen) {
          reads_value_ = reads_fields_ = true;
          NameField(t.text);
          return MakeField(std::move(t.text));
        }
        Advance();
        std::vector<NodePtr> args;
        if (tok_.type != Tok::kRParen) {
          do {
            if (tok_.type == Tok::kComma) Advance();
            args.push_back(ParseExpr());
          } while (!error_ && tok_.type == Tok::kComma);
        }
        if (!Expect(Tok::kRParen, "',' or ')' after function arguments")) return nullptr;
        CallResult r = MakeCall(t.text, std::move(args));
        if (!r.node) Fail(t.pos, r.error);
        return std::move(r.node);
      }
      case Tok::kEnd:
        Fail(t.pos, "expected an operand, found the end of the expression");
        return nullptr;
      default:
        Fail(t.pos, "expected an operand");
        return nullptr;
    }
  }

  NodePtr ParseMeta() {
    size_t at = tok_.pos;
    Advance();
    if (tok_.type != Tok::kName) {
      Fail(tok_.pos,
           "expected a metadata name after '@' (@key, @value, @timestamp, @partition, @offset, @topic, "
           "@headers)");
      return nullptr;
    }
    std::string name = tok_.text;
    Advance();
    if (name == "key") return MakeMeta(Meta::kKey);
    if (name == "value") {  // the whole value, whatever it is: no field is read
      reads_value_ = reads_whole_value_ = true;
      return MakeMeta(Meta::kValue);
    }
    if (name == "timestamp") return MakeMeta(Meta::kTimestamp);
    if (name == "partition") return MakeMeta(Meta::kPartition);
    if (name == "offset") return MakeMeta(Meta::kOffset);
    if (name == "topic") return MakeMeta(Meta::kTopic);
    if (name == "headers") {
      reads_headers_ = true;
      if (tok_.type != Tok::kDot) return MakeMeta(Meta::kHeaders);
      // @headers.NAME: header names may contain '-' (trace-id).
      Advance();
      std::string header;
      if (tok_.type == Tok::kName || tok_.type == Tok::kBacktick) {
        header = tok_.text;
        Advance();
        while (!error_ && tok_.type == Tok::kMinus) {
          Advance();
          if (tok_.type != Tok::kName && tok_.type != Tok::kNumber) {
            Fail(tok_.pos, "expected the rest of the header name");
            return nullptr;
          }
          header += "-" + (tok_.type == Tok::kName ? tok_.text : NumberText(tok_.number));
          Advance();
        }
        return MakeMeta(Meta::kHeader, std::move(header));
      }
      Fail(tok_.pos, "expected a header name after '@headers.'");
      return nullptr;
    }
    Fail(at, "unknown metadata '@" + name +
                 "' (use @key, @value, @timestamp, @partition, @offset, @topic, @headers.NAME)");
    return nullptr;
  }

  static std::string NumberText(const Value& v) {
    std::string s;
    v.AppendJson(&s);
    return s;
  }

  Lexer lex_;
  Token tok_;
  std::optional<SyntaxError> error_;
  void NameField(const std::string& name) {
    if (std::find(fields_.begin(), fields_.end(), name) == fields_.end()) fields_.push_back(name);
  }

  bool reads_value_ = false, reads_fields_ = false, reads_whole_value_ = false, reads_headers_ = false;
  std::vector<std::string> fields_;
};

}  // namespace

Result<Expr> Expr::Parse(std::string_view source) {
  Parser p(source);
  NodePtr root = p.ParseAll();
  if (const SyntaxError* e = p.error()) {
    // Show the expression on one line with a caret under the column.
    std::string line(source);
    for (char& c : line)
      if (c == '\n' || c == '\t' || c == '\r') c = ' ';
    size_t col = std::min(e->pos, line.size());
    return Status::InvalidArgument("invalid expression at column " + std::to_string(col + 1) + ": " +
                                   e->message + "\n  " + line + "\n  " + std::string(col, ' ') + "^");
  }
  Expr x;
  x.source_ = std::string(source);
  x.root_ = std::move(root);
  x.reads_value_ = p.reads_value();
  x.reads_fields_ = p.reads_fields();
  x.reads_whole_value_ = p.reads_whole_value();
  x.reads_headers_ = p.reads_headers();
  x.fields_ = std::move(p.fields());
  return x;
}

Expr::Expr(Expr&&) noexcept = default;
Expr& Expr::operator=(Expr&&) noexcept = default;
Expr::~Expr() = default;

Value Expr::Eval(EvalContext& ctx) const { return root_->Eval(ctx); }

}  // namespace kt::expr
