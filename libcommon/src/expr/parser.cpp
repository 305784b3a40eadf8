// Lexer and recursive-descent parser for the grammar in SEMANTICS.md, producing the node tree.
#include <re2/re2.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

#include "node.hpp"

namespace kt::expr {

namespace {

enum class Tok {
  kEnd, kNumber, kString, kName, kBacktick, kAt,
  kLParen, kRParen, kLBracket, kRBracket, kComma, kDot, kQuestion, kColon,
  kPlus, kMinus, kStar, kSlash, kPercent,
  kEq, kNe, kLt, kLe, kGt, kGe, kMatch, kNotMatch, kBang, kAndAnd, kOrOr,
  kError
};

struct Token {
  Tok type = Tok::kEnd;
  size_t pos = 0;       // byte offset in the source
  std::string text;     // names, string contents (unescaped), error message
  Value number;
};

bool NameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool NameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  Token Next() {
    while (pos_ < src_.size() && std::isspace(static_cast<unsigned char>(src_[pos_]))) ++pos_;
    Token t;
    t.pos = pos_;
    if (pos_ >= src_.size()) return t;
    char c = src_[pos_];
    auto two = [&](char n) { return pos_ + 1 < src_.size() && src_[pos_ + 1] == n; };
    auto op = [&](Tok type, size_t len) {
      t.type = type;
      pos_ += len;
      return t;
    };
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && pos_ + 1 < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_ + 1]))))
      return Number(t);
    if (c == '"' || c == '\'') return String(t, c);
    if (NameStart(c)) {
      size_t s = pos_;
      while (pos_ < src_.size() && NameChar(src_[pos_])) ++pos_;
      t.type = Tok::kName;
      t.text = std::string(src_.substr(s, pos_ - s));
      return t;
    }
    switch (c) {
      case '`': {
        size_t end = src_.find('`', pos_ + 1);
        if (end == std::string_view::npos) return Error(t, "unterminated `quoted name`");
        t.type = Tok::kBacktick;
        t.text = std::string(src_.substr(pos_ + 1, end - pos_ - 1));
        pos_ = end + 1;
        return t;
      }
      case '@': return op(Tok::kAt, 1);
      case '(': return op(Tok::kLParen, 1);
      case ')': return op(Tok::kRParen, 1);
      case '[': return op(Tok::kLBracket, 1);
      case ']': return op(Tok::kRBracket, 1);
      case ',': return op(Tok::kComma, 1);
      case '.': return op(Tok::kDot, 1);
      case '?': return op(Tok::kQuestion, 1);
      case ':': return op(Tok::kColon, 1);
      case '+': return op(Tok::kPlus, 1);
      case '-': return op(Tok::kMinus, 1);
      case '*': return op(Tok::kStar, 1);
      case '/': return op(Tok::kSlash, 1);
      case '%': return op(Tok::kPercent, 1);
      case '~': return op(Tok::kMatch, 1);
      case '=':
        if (two('=')) return op(Tok::kEq, 2);
        return Error(t, "'=' is not an operator (use == to compare)");
      case '!':
        if (two('=')) return op(Tok::kNe, 2);
        if (two('~')) return op(Tok::kNotMatch, 2);
        return op(Tok::kBang, 1);
      case '<': return two('=') ? op(Tok::kLe, 2) : op(Tok::kLt, 1);
      case '>': return two('=') ? op(Tok::kGe, 2) : op(Tok::kGt, 1);
      case '&':
        if (two('&')) return op(Tok::kAndAnd, 2);
        return Error(t, "'&' is not an operator (use 'and' or &&)");
      case '|':
        if (two('|')) return op(Tok::kOrOr, 2);
        return Error(t, "'|' is not an operator (use 'or' or ||)");
    }
    return Error(t, std::string("unexpected character '") + c + "'");
  }

  size_t pos() const { return pos_; }

 private:
  Token Error(Token t, std::string msg) {
    t.type = Tok::kError;
    t.text = std::move(msg);
    return t;
  }

  Token Number(Token t) {
    size_t s = pos_;
    bool is_double = false;
    while (pos_ < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_]))) ++pos_;
    if (pos_ < src_.size() && src_[pos_] == '.' && pos_ + 1 < src_.size() &&
        std::isdigit(static_cast<unsigned char>(src_[pos_ + 1]))) {
      is_double = true;
      ++pos_;
      while (pos_ < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_]))) ++pos_;
    }
    if (pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
      size_t save = pos_++;
      if (pos_ < src_.size() && (src_[pos_] == '+' || src_[pos_] == '-')) ++pos_;
      if (pos_ < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_]))) {
        is_double = true;
        while (pos_ < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_]))) ++pos_;
      } else {
        pos_ = save;
      }
    }
    if (pos_ < src_.size() && NameStart(src_[pos_])) return Error(t, "invalid number");
    std::string_view text = src_.substr(s, pos_ - s);
    t.type = Tok::kNumber;
    int64_t i;
    if (!is_double) {
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
      if (ec == std::errc() && p == text.data() + text.size()) {
        t.number = Value::Int(i);
        return t;
      }
    }
    double d = 0;
    std::from_chars(text.data(), text.data() + text.size(), d);
    if (!std::isfinite(d)) return Error(t, "number out of range");
    t.number = Value::Double(d);
    return t;
  }

  Token String(Token t, char quote) {
    ++pos_;
    std::string out;
    while (true) {
      if (pos_ >= src_.size()) return Error(t, "unterminated string");
      char c = src_[pos_++];
      if (c == quote) break;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= src_.size()) return Error(t, "unterminated string");
      char e = src_[pos_++];
      switch (e) {
        case '"': case '\'': case '\\': case '/': out.push_back(e); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          uint32_t cp;
          if (!Hex4(&cp)) return Error(t, "invalid \\u escape");
          if (cp >= 0xd800 && cp <= 0xdbff) {
            uint32_t lo;
            if (pos_ + 1 < src_.size() && src_[pos_] == '\\' && src_[pos_ + 1] == 'u') {
              pos_ += 2;
              if (!Hex4(&lo) || lo < 0xdc00 || lo > 0xdfff) return Error(t, "invalid surrogate pair");
              cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else {
              return Error(t, "invalid surrogate pair");
            }
          }
          AppendUtf8(cp, &out);
          break;
        }
        default: return Error(t, std::string("invalid escape '\\") + e + "'");
      }
    }
    t.type = Tok::kString;
    t.text = std::move(out);
    return t;
  }

  bool Hex4(uint32_t* cp) {
    if (pos_ + 4 > src_.size()) return false;
    *cp = 0;
    for (int i = 0; i < 4; ++i) {
      char h = src_[pos_++];
      int v = std::isdigit(static_cast<unsigned char>(h)) ? h - '0'
              : (h >= 'a' && h <= 'f')                   ? h - 'a' + 10
              : (h >= 'A' && h <= 'F')                   ? h - 'A' + 10
                                                         : -1;
      if (v < 0) return false;
      *cp = *cp * 16 + static_cast<uint32_t>(v);
    }
    return true;
  }

  std::string_view src_;
  size_t pos_ = 0;
};

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
      case Tok::kEq: case Tok::kNe: case Tok::kLt: case Tok::kLe: case Tok::kGt: case Tok::kGe:
      case Tok::kMatch: case Tok::kNotMatch: return true;
      case Tok::kName: return t.text == "in";
      default: return false;
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
      case Tok::kEq: op = BinOp::kEq; break;
      case Tok::kNe: op = BinOp::kNe; break;
      case Tok::kLt: op = BinOp::kLt; break;
      case Tok::kLe: op = BinOp::kLe; break;
      case Tok::kGt: op = BinOp::kGt; break;
      case Tok::kGe: op = BinOp::kGe; break;
      case Tok::kMatch: op = BinOp::kMatch; break;
      case Tok::kNotMatch: op = BinOp::kNotMatch; break;
      default: op = BinOp::kIn; break;
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
        reads_value_ = true;
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
      case Tok::kAt: return ParseMeta();
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
          reads_value_ = true;
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
      Fail(tok_.pos, "expected a metadata name after '@' (@key, @timestamp, @partition, @offset, @topic, @headers)");
      return nullptr;
    }
    std::string name = tok_.text;
    Advance();
    if (name == "key") return MakeMeta(Meta::kKey);
    if (name == "timestamp") return MakeMeta(Meta::kTimestamp);
    if (name == "partition") return MakeMeta(Meta::kPartition);
    if (name == "offset") return MakeMeta(Meta::kOffset);
    if (name == "topic") return MakeMeta(Meta::kTopic);
    if (name == "headers") {
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
    Fail(at, "unknown metadata '@" + name + "' (use @key, @timestamp, @partition, @offset, @topic, @headers.NAME)");
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
  bool reads_value_ = false;
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
  return x;
}

Expr::Expr(Expr&&) noexcept = default;
Expr& Expr::operator=(Expr&&) noexcept = default;
Expr::~Expr() = default;

Value Expr::Eval(EvalContext& ctx) const { return root_->Eval(ctx); }

}  // namespace kt::expr
