// kwindow: windowed aggregates (tumbling, hopping, sliding, session) by event time.
#include "kt/app/fail.hpp"
#include "kt/app/run_plan.hpp"
#include "kt/app/run_stateful.hpp"
#include "kt/app/run_tool.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/core/time.hpp"
#include "kt/kafka/start_spec.hpp"
#include "kt/run/options.hpp"
#include "kt/stream/grouping.hpp"
#include "window_query.hpp"
#include "window_transform.hpp"

namespace {

int Fail(const kt::Status& s) {
  if (s.ok()) return kt::kExitOk;
  kt::LogError("kwindow", s.message());
  return kt::ExitCodeFor(s);
}

// A duration option, or -1 when not given.
kt::Result<int64_t> Duration(const std::string& flag, const std::string& text) {
  if (text.empty()) return int64_t{-1};
  auto d = kt::ParseDuration(text);
  if (!d.ok()) return kt::Status::InvalidArgument(flag + ": " + d.status().message());
  return *d;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Windowed aggregates by event time: tumbling, hopping, sliding and session windows with "
      "grace, retention and final results (Kafka Streams' rules).",
      "kwindow"};
  kt::CommonOptions common;
  kt::StateCliOptions state_opts{.name = "window"};
  std::string tumbling, hopping, step, sliding, session, grace, retention;
  std::string time = "@timestamp", time_format, time_unit = "ms", by, emit = "update";
  std::vector<std::string> aggs;
  auto* kind = app.add_option_group("window", "Window type (exactly one)");
  kind->add_option("--tumbling", tumbling, "Tumbling windows of this size, e.g. 10s");
  kind->add_option("--hopping", hopping, "Hopping windows of this size (with --step)");
  kind->add_option("--sliding", sliding, "Sliding windows: records at most this far apart (inclusive)");
  kind->add_option("--session", session, "Session windows closed by this inactivity gap");
  kind->require_option(0, 1);  // exactly one unless get/dump: checked below
  app.add_option("--step", step, "Advance of --hopping windows (0 < step <= size)");
  app.add_option("--grace", grace, "How long after its end a window still takes late records (default 0)");
  app.add_option("--retention", retention, "How long past its end a window is kept (default size + grace)");
  app.add_option("--time", time, "Record time: @timestamp (Kafka timestamp), now, or a FIELD (or expression)")
      ->capture_default_str();
  app.add_option("--time-format", time_format,
                 "strftime format of a string time (UTC), e.g. '%Y-%m-%d %H:%M:%S' "
                 "(default: RFC 3339)");
  app.add_option("--time-unit", time_unit, "Unit of a numeric time: ms or s")
      ->check(CLI::IsMember({"ms", "s"}))
      ->capture_default_str();
  app.add_option("--by", by, "Group by this expression instead of the record key");
  app.add_option("--agg", aggs,
                 "Aggregate: count, sum(x), min(x), max(x), avg(x), first(x), last(x), "
                 "optionally NAME=... (required unless get/dump)")
      ->allow_extra_args(false);
  app.add_option("--emit", emit, "update: every change of a window; final: each window once, when it closes")
      ->check(CLI::IsMember({"update", "final"}))
      ->capture_default_str();
  bool close_at_end = false;
  app.add_flag("--close-at-end", close_at_end,
               "At the end of input (stdin, -e, -n) close every window: --emit final writes them all");
  kt::AddStateOptions(app, state_opts);
  kt::AddRenamedOption(app, "--window", "--name", state_opts.name);
  kt::AddCommonOptions(app, common, kt::kOptAll | kt::kOptCreate);
  // kwindow get KEY / kwindow dump: live windows from the changelog (or --local stores).
  kt::kwindow::WindowQuery query;
  query.where.store = "window";
  std::string get_key, at;
  bool now = false;
  CLI::App* get = app.add_subcommand("get", "Print one key's live windows (or the one containing a time)");
  CLI::App* dump = app.add_subcommand("dump", "Print every live window of every key");
  for (CLI::App* sub : {get, dump}) {
    kt::AddStoreLocationOptions(*sub, query.where, "kwindow", "--window");
    sub->add_option("--at", at, "Only windows containing this time: RFC 3339, -DURATION, epoch ms");
    sub->add_flag("--now", now, "Only windows containing the current time (Faust's .now())");
    kt::AddCommonOptions(*sub, common, kt::kOptKafka | kt::kOptVerbosity);
  }
  get->add_option("key", get_key, "The group key")->required();
  app.require_subcommand(0, 1);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  if (get->parsed() || dump->parsed()) {
    if (get->parsed()) query.key = get_key;
    if (now && !at.empty()) return Fail(kt::Status::InvalidArgument("--at and --now exclude each other"));
    if (now) query.at = kt::NowMs();
    if (!at.empty()) {
      auto t = kt::ParseTimeSpec(at, kt::NowMs());
      if (!t.ok()) return Fail(kt::Status::InvalidArgument("--at: " + t.status().message()));
      query.at = *t;
    }
    auto cfg = kt::KafkaConfigOf(common);
    if (!cfg.ok()) return Fail(cfg.status());
    if (kt::DumpConfigIfAsked(common, *cfg)) return kt::kExitOk;
    query.where.verbose = common.verbose;
    return Fail(kt::kwindow::RunWindowQuery(query, *cfg));
  }
  if (tumbling.empty() && hopping.empty() && sliding.empty() && session.empty())
    return Fail(
        kt::Status::InvalidArgument("give a window type: --tumbling, --hopping, --sliding or --session"));
  if (aggs.empty()) return Fail(kt::Status::InvalidArgument("--agg is required"));

  auto grace_ms = Duration("--grace", grace);
  auto retention_ms = Duration("--retention", retention);
  if (!grace_ms.ok()) return Fail(grace_ms.status());
  if (!retention_ms.ok()) return Fail(retention_ms.status());
  int64_t g = std::max<int64_t>(0, *grace_ms);
  if (!step.empty() && hopping.empty())
    return Fail(kt::Status::InvalidArgument("--step goes with --hopping"));
  if (!hopping.empty() && step.empty()) return Fail(kt::Status::InvalidArgument("--hopping needs --step"));
  kt::Result<kt::WindowSpec> spec = kt::Status::InvalidArgument("no window type");
  auto size_of = [](const std::string& flag, const std::string& text) -> kt::Result<int64_t> {
    auto d = kt::ParseDuration(text);
    if (!d.ok()) return kt::Status::InvalidArgument(flag + ": " + d.status().message());
    if (*d <= 0) return kt::Status::InvalidArgument(flag + " must be positive");
    return *d;
  };
  if (!tumbling.empty()) {
    auto s = size_of("--tumbling", tumbling);
    spec = s.ok() ? kt::WindowSpec::Hopping(*s, *s, g, *retention_ms) : s.status();
  } else if (!hopping.empty()) {
    auto s = size_of("--hopping", hopping), a = size_of("--step", step);
    spec = !s.ok() ? s.status() : !a.ok() ? a.status() : kt::WindowSpec::Hopping(*s, *a, g, *retention_ms);
  } else if (!sliding.empty()) {
    auto s = size_of("--sliding", sliding);
    spec = s.ok() ? kt::WindowSpec::Sliding(*s, g, *retention_ms) : s.status();
  } else {
    auto s = size_of("--session", session);
    spec = s.ok() ? kt::WindowSpec::Session(*s, g, *retention_ms) : s.status();
  }
  if (!spec.ok()) return Fail(spec.status());
  auto event_time = kt::EventTime::Parse(time, time_format, time_unit);
  if (!event_time.ok()) return Fail(event_time.status());
  auto grouping = kt::ParseGrouping(aggs, by);
  if (!grouping.ok()) return Fail(grouping.status());
  kt::Aggregator agg(std::move(grouping->aggs));
  bool final = emit == "final";
  auto plan = kt::PlanRun("kwindow", common);
  if (!plan.ok()) return Fail(plan.status());
  return kt::RunStateful(
      *plan, kt::KeyedIntent(common.input, by, state_opts),
      [&](std::unique_ptr<kt::PartitionedState> state, std::optional<kt::expr::Expr> by_key) {
        return std::make_unique<kt::kwindow::WindowTransform>(std::move(state), *spec, agg, std::move(by_key),
                                                              std::move(*event_time), final, close_at_end);
      });
}
