#include "kt/stream/event_time.hpp"

#include <cmath>

#include "kt/core/time.hpp"

namespace kt {

Result<EventTime> EventTime::Parse(const std::string& spec, const std::string& format,
                                   const std::string& unit) {
  EventTime t;
  t.spec_ = spec;
  t.format_ = format;
  if (unit == "s")
    t.unit_ms_ = 1000;
  else if (unit != "ms")
    return Status::InvalidArgument("--time-unit must be ms or s, not '" + unit + "'");
  if (spec == "@timestamp" || spec.empty()) {
    t.source_ = Source::kTimestamp;
  } else if (spec == "now") {
    t.source_ = Source::kNow;
  } else {
    auto e = expr::Expr::Parse(spec);
    if (!e.ok()) return Status::InvalidArgument("--time: " + e.status().message());
    t.source_ = Source::kValue;
    t.expr_ = std::move(*e);
  }
  return t;
}

Result<int64_t> EventTime::Of(const Record& rec, expr::EvalContext& ctx) const {
  switch (source_) {
    case Source::kTimestamp:
      if (rec.timestamp < 0)
        return Status::DataError(
            "the record has no timestamp (" +
            std::string(rec.line > 0 ? "a bare NDJSON line has none: use -J envelopes with \"timestamp\", or "
                                     : "use ") +
            "--time FIELD or --time now)");
      if (rec.timestamp > kMaxTimeMs)
        return Status::DataError("the record's timestamp " + std::to_string(rec.timestamp) +
                                 " is after the year 9999");
      return rec.timestamp;
    case Source::kNow:
      return NowMs();
    case Source::kValue:
      break;
  }
  expr::Value v = expr_->Eval(ctx);
  int64_t ms;
  if (v.IsInt()) {
    if (__builtin_mul_overflow(v.AsInt(), unit_ms_, &ms))
      return Status::DataError("--time " + spec_ + " out of range");
  } else if (v.IsDouble()) {
    double d = std::floor(v.AsDouble() * static_cast<double>(unit_ms_));
    if (!(d >= 0 && d < 9.2e18)) return Status::DataError("--time " + spec_ + " out of range");
    ms = static_cast<int64_t>(d);
  } else if (v.IsString()) {
    auto r = format_.empty() ? ParseRfc3339(v.AsString()) : ParseTimeFormat(v.AsString(), format_);
    if (!r.ok()) return Status::DataError("--time " + spec_ + ": " + r.status().message());
    ms = *r;
  } else {
    return Status::DataError("--time " + spec_ + " is " +
                             (v.IsMissing() ? "missing" : "not a string or number"));
  }
  if (ms < 0) return Status::DataError("--time " + spec_ + " is before 1970 (" + std::to_string(ms) + " ms)");
  if (ms > kMaxTimeMs)
    return Status::DataError("--time " + spec_ + " is after the year 9999 (" + std::to_string(ms) + " ms)");
  return ms;
}

}  // namespace kt
