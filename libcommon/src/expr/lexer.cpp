// The expression lexer: numbers (int64 when integral), quoted strings with JSON escapes, names,
// `quoted names`, operators.
#include "lexer.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

namespace kt::expr {

namespace {

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

}  // namespace

Token Lexer::Next() {
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
    case '@':
      return op(Tok::kAt, 1);
    case '(':
      return op(Tok::kLParen, 1);
    case ')':
      return op(Tok::kRParen, 1);
    case '[':
      return op(Tok::kLBracket, 1);
    case ']':
      return op(Tok::kRBracket, 1);
    case ',':
      return op(Tok::kComma, 1);
    case '.':
      return op(Tok::kDot, 1);
    case '?':
      return op(Tok::kQuestion, 1);
    case ':':
      return op(Tok::kColon, 1);
    case '+':
      return op(Tok::kPlus, 1);
    case '-':
      return op(Tok::kMinus, 1);
    case '*':
      return op(Tok::kStar, 1);
    case '/':
      return op(Tok::kSlash, 1);
    case '%':
      return op(Tok::kPercent, 1);
    case '~':
      return op(Tok::kMatch, 1);
    case '=':
      if (two('=')) return op(Tok::kEq, 2);
      return Error(t, "'=' is not an operator (use == to compare)");
    case '!':
      if (two('=')) return op(Tok::kNe, 2);
      if (two('~')) return op(Tok::kNotMatch, 2);
      return op(Tok::kBang, 1);
    case '<':
      return two('=') ? op(Tok::kLe, 2) : op(Tok::kLt, 1);
    case '>':
      return two('=') ? op(Tok::kGe, 2) : op(Tok::kGt, 1);
    case '&':
      if (two('&')) return op(Tok::kAndAnd, 2);
      return Error(t, "'&' is not an operator (use 'and' or &&)");
    case '|':
      if (two('|')) return op(Tok::kOrOr, 2);
      return Error(t, "'|' is not an operator (use 'or' or ||)");
  }
  return Error(t, std::string("unexpected character '") + c + "'");
}

Token Lexer::Error(Token t, std::string msg) {
  t.type = Tok::kError;
  t.text = std::move(msg);
  return t;
}

Token Lexer::Number(Token t) {
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

Token Lexer::String(Token t, char quote) {
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
      case '"':
      case '\'':
      case '\\':
      case '/':
        out.push_back(e);
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
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
        } else if (cp >= 0xdc00 && cp <= 0xdfff) {  // a low surrogate alone: no character, no UTF-8
          return Error(t, "invalid surrogate pair");
        }
        AppendUtf8(cp, &out);
        break;
      }
      default:
        return Error(t, std::string("invalid escape '\\") + e + "'");
    }
  }
  t.type = Tok::kString;
  t.text = std::move(out);
  return t;
}

bool Lexer::Hex4(uint32_t* cp) {
  if (pos_ + 4 > src_.size()) return false;
  *cp = 0;
  for (int i = 0; i < 4; ++i) {
    char h = src_[pos_++];
    int v = std::isdigit(static_cast<unsigned char>(h)) ? h - '0'
            : (h >= 'a' && h <= 'f')                    ? h - 'a' + 10
            : (h >= 'A' && h <= 'F')                    ? h - 'A' + 10
                                                        : -1;
    if (v < 0) return false;
    *cp = *cp * 16 + static_cast<uint32_t>(v);
  }
  return true;
}

}  // namespace kt::expr
