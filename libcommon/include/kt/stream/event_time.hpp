// The time a windowed tool assigns to a record (SEMANTICS.md, Windows): its Kafka timestamp
// (`@timestamp`), the wall clock (`now`), or a value read from the record (`--time FIELD`; any
// expression works): an RFC 3339 / ISO-8601 string, a string in --time-format (strftime
// directives, UTC), or a number of --time-unit (ms or s) since the epoch.
#pragma once

#include <optional>
#include <string>

#include "kt/core/record.hpp"
#include "kt/core/status.hpp"
#include "kt/expr/expr.hpp"

namespace kt {

class EventTime {
 public:
  // Usage errors (a bad expression, an unknown unit) are InvalidArgument.
  static Result<EventTime> Parse(const std::string& spec, const std::string& format, const std::string& unit);

  // The record's time in epoch milliseconds. `ctx` must have been Reset to the record. A time
  // that is missing, unreadable or negative is a DataError saying what was found.
  Result<int64_t> Of(const Record& rec, expr::EvalContext& ctx) const;

  // Whether the time is read from the record value (--time FIELD).
  bool ReadsValue() const { return source_ == Source::kValue && expr_->ReadsValue(); }
  bool ReadsFields() const { return source_ == Source::kValue && expr_->ReadsFields(); }
  bool ReadsHeaders() const { return source_ == Source::kValue && expr_->ReadsHeaders(); }
  // The time expression, when the time is read from the value.
  const std::optional<expr::Expr>& expr() const { return expr_; }
  // How it was specified, for messages: "@timestamp", "now", "field 'timestamp'".
  const std::string& spec() const { return spec_; }

 private:
  enum class Source { kTimestamp, kNow, kValue };
  Source source_ = Source::kTimestamp;
  std::string spec_;
  std::optional<expr::Expr> expr_;
  std::string format_;   // empty: RFC 3339
  int64_t unit_ms_ = 1;  // milliseconds per unit of a numeric time
};

}  // namespace kt
