#include "window_options.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>

#include "kt/core/time.hpp"

namespace kt::kwindow {

namespace {

// A duration flag, or -1 when not given.
Result<int64_t> Duration(const std::string& flag, const std::string& text) {
  if (text.empty()) return int64_t{-1};
  auto d = ParseDuration(text);
  if (!d.ok()) return Status::InvalidArgument(flag + ": " + d.status().message());
  return *d;
}

// A window size: a positive duration.
Result<int64_t> Size(const std::string& flag, const std::string& text) {
  auto d = ParseDuration(text);
  if (!d.ok()) return Status::InvalidArgument(flag + ": " + d.status().message());
  if (*d <= 0) return Status::InvalidArgument(flag + " must be positive");
  return *d;
}

Result<WindowSpec> Spec(const WindowFlags& f) {
  auto grace = Duration("--grace", f.grace);
  if (!grace.ok()) return grace.status();
  auto retention = Duration("--retention", f.retention);
  if (!retention.ok()) return retention.status();
  int64_t g = std::max<int64_t>(0, *grace);
  if (!f.step.empty() && f.hopping.empty()) return Status::InvalidArgument("--step goes with --hopping");
  if (!f.hopping.empty() && f.step.empty()) return Status::InvalidArgument("--hopping needs --step");
  if (!f.tumbling.empty()) {
    auto s = Size("--tumbling", f.tumbling);
    if (!s.ok()) return s.status();
    return WindowSpec::Hopping(*s, *s, g, *retention);
  }
  if (!f.hopping.empty()) {
    auto s = Size("--hopping", f.hopping);
    if (!s.ok()) return s.status();
    auto a = Size("--step", f.step);
    if (!a.ok()) return a.status();
    return WindowSpec::Hopping(*s, *a, g, *retention);
  }
  if (!f.sliding.empty()) {
    auto s = Size("--sliding", f.sliding);
    if (!s.ok()) return s.status();
    return WindowSpec::Sliding(*s, g, *retention);
  }
  auto s = Size("--session", f.session);
  if (!s.ok()) return s.status();
  return WindowSpec::Session(*s, g, *retention);
}

}  // namespace

void AddWindowFlags(CLI::App& app, WindowFlags& f) {
  auto* kind = app.add_option_group("window", "Window type (exactly one)");
  kind->add_option("--tumbling", f.tumbling, "Tumbling windows of this size, e.g. 10s");
  kind->add_option("--hopping", f.hopping, "Hopping windows of this size (with --step)");
  kind->add_option("--sliding", f.sliding, "Sliding windows: records at most this far apart (inclusive)");
  kind->add_option("--session", f.session, "Session windows closed by this inactivity gap");
  kind->require_option(0, 1);  // exactly one unless get/dump: ResolveWindowFlags checks
  app.add_option("--step", f.step, "Advance of --hopping windows (0 < step <= size)");
  app.add_option("--grace", f.grace, "How long after its end a window still takes late records (default 0)");
  app.add_option("--retention", f.retention, "How long past its end a window is kept (default size + grace)");
  app.add_option("--time", f.time,
                 "Record time: @timestamp (Kafka timestamp), now, or a FIELD (or expression)")
      ->capture_default_str();
  app.add_option("--time-format", f.time_format,
                 "strftime format of a string time (UTC), e.g. '%Y-%m-%d %H:%M:%S' (default: RFC 3339)");
  app.add_option("--time-unit", f.time_unit, "Unit of a numeric time: ms or s")
      ->check(CLI::IsMember({"ms", "s"}))
      ->capture_default_str();
  app.add_option("--by", f.by, "Group by this expression instead of the record key");
  app.add_option("--agg", f.aggs,
                 "Aggregate: count, sum(x), min(x), max(x), avg(x), first(x), last(x), "
                 "optionally NAME=... (required unless get/dump)")
      ->allow_extra_args(false);
  app.add_option("--emit", f.emit,
                 "update: every change of a window; final: each window once, when it closes")
      ->check(CLI::IsMember({"update", "final"}))
      ->capture_default_str();
  app.add_flag("--close-at-end", f.close_at_end,
               "At the end of input (stdin, -e, -n) close every window: --emit final writes them all");
}

Result<WindowSetup> ResolveWindowFlags(const WindowFlags& f) {
  if (f.tumbling.empty() && f.hopping.empty() && f.sliding.empty() && f.session.empty())
    return Status::InvalidArgument("give a window type: --tumbling, --hopping, --sliding or --session");
  if (f.aggs.empty()) return Status::InvalidArgument("--agg is required");
  auto spec = Spec(f);
  if (!spec.ok()) return spec.status();
  auto time = EventTime::Parse(f.time, f.time_format, f.time_unit);
  if (!time.ok()) return time.status();
  auto grouping = ParseGrouping(f.aggs, f.by);
  if (!grouping.ok()) return grouping.status();
  return WindowSetup{*spec, std::move(*time), std::move(*grouping), f.emit == "final", f.close_at_end};
}

}  // namespace kt::kwindow
