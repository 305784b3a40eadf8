// The expression language (SEMANTICS.md): parsed and compiled once, evaluated per record on the
// parsed JSON value without copying strings. Evaluation never throws and never fails: a runtime
// type problem yields null.
//
//   auto e = expr::Expr::Parse("number >= 100 and uri ~ '^/prod'");  // usage error if invalid
//   expr::EvalContext ctx(seed);
//   ctx.Reset(&record, value);       // once per record
//   bool keep = e->Eval(ctx).Truthy();
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kt/core/record.hpp"
#include "kt/core/rng.hpp"
#include "kt/core/status.hpp"
#include "kt/expr/value.hpp"

namespace re2 {
class RE2;
}

namespace kt::expr {

// Per-evaluation state: the record, the random generator (random(); reproducible with a seed)
// and an arena for strings and lists computed during evaluation. Values returned by Eval are
// valid until the next Reset.
class EvalContext {
 public:
  explicit EvalContext(uint64_t seed = 0);
  ~EvalContext();
  EvalContext(const EvalContext&) = delete;
  EvalContext& operator=(const EvalContext&) = delete;

  // REQUIRES: record and value outlive the evaluations until the next Reset. value may be null
  // (a tombstone, or a tool that does not parse values).
  void Reset(const Record* record, const rapidjson::Value* value);

  const Record* record() const { return record_; }
  const rapidjson::Value* value() const { return value_; }
  Rng& rng() { return rng_; }
  // Arena: storage that stays valid until the next Reset; capacity is reused across records.
  std::string* NewString();
  std::vector<Value>* NewList();
  // A compiled regex for a pattern computed at run time (cached); null if it does not compile.
  const re2::RE2* Regex(std::string_view pattern);

 private:
  const Record* record_ = nullptr;
  const rapidjson::Value* value_ = nullptr;
  Rng rng_;
  std::vector<std::unique_ptr<std::string>> strings_;
  size_t strings_used_ = 0;
  std::vector<std::unique_ptr<std::vector<Value>>> lists_;
  size_t lists_used_ = 0;
  std::unordered_map<std::string, std::unique_ptr<re2::RE2>> regexes_;
};

class Node;

class Expr {
 public:
  // Parses and compiles `source`. A syntax error, an unknown function or a wrong number of
  // arguments is InvalidArgument whose message shows the expression with a caret under the
  // column and what was expected:
  //   invalid expression at column 11: expected an operand
  //     number >= and x
  //               ^
  static Result<Expr> Parse(std::string_view source);

  Expr(Expr&&) noexcept;
  Expr& operator=(Expr&&) noexcept;
  ~Expr();

  Value Eval(EvalContext& ctx) const;
  const std::string& source() const { return source_; }
  // True if the expression reads the record value (fields, or @value); metadata-only
  // expressions (@key, @timestamp, ...) let tools skip parsing values.
  bool ReadsValue() const { return reads_value_; }
  // True if it names fields of the value: tools then take a value that is not a JSON object as
  // a bad record (ktools(7), BAD RECORDS). @value alone reads the value whatever it is.
  bool ReadsFields() const { return reads_fields_; }
  // True if it reads the whole value (@value), not only the fields it names.
  bool ReadsWholeValue() const { return reads_whole_value_; }
  // True if it reads headers (@headers, @headers.NAME).
  bool ReadsHeaders() const { return reads_headers_; }
  // The top-level fields of the value it names ("nested" for nested.x.y), each once, in order.
  const std::vector<std::string>& Fields() const { return fields_; }

 private:
  Expr() = default;
  std::string source_;
  std::unique_ptr<Node> root_;
  bool reads_value_ = false;
  bool reads_fields_ = false;
  bool reads_whole_value_ = false;
  bool reads_headers_ = false;
  std::vector<std::string> fields_;
};

}  // namespace kt::expr
