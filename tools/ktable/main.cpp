// ktable: keyed aggregates with changelog-backed state; `ktable get|dump` read a table.
#include "kt/app/fail.hpp"
#include "kt/app/run_plan.hpp"
#include "kt/app/run_stateful.hpp"
#include "kt/app/run_tool.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/run/options.hpp"
#include "kt/stream/grouping.hpp"
#include "table_query.hpp"
#include "table_transform.hpp"

namespace {

int Fail(const kt::Status& s) {
  kt::LogError("ktable", s.message());
  return kt::ExitCodeFor(s);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Keyed aggregates (count, sum, min, max, avg, first, last) kept in a state store "
      "backed by a changelog topic; emits every update.",
      "ktable"};
  kt::CommonOptions common;
  kt::StateCliOptions state_opts{.name = "table"};
  std::string by, emit = "update";
  std::vector<std::string> aggs;
  app.add_option("--agg", aggs,
                 "Aggregate: count, sum(x), min(x), max(x), avg(x), first(x), last(x), "
                 "optionally NAME=... (required unless get/dump)")
      ->allow_extra_args(false);
  app.add_option("--by", by, "Group by this expression instead of the record key");
  app.add_option("--emit", emit, "update: write every new aggregate to the output; none: only keep state")
      ->check(CLI::IsMember({"update", "none"}))
      ->capture_default_str();
  kt::AddStateOptions(app, state_opts);
  kt::AddRenamedOption(app, "--table", "--name", state_opts.name);
  kt::AddCommonOptions(app, common, kt::kOptAll | kt::kOptCreate);
  // ktable get KEY / ktable dump: the table's contents from its changelog (or --local stores).
  kt::ktable::TableQuery query;
  std::string get_key;
  CLI::App* get = app.add_subcommand("get", "Print one key's aggregates, read from the changelog topic");
  CLI::App* dump = app.add_subcommand("dump", "Print every key's aggregates, read from the changelog topic");
  for (CLI::App* sub : {get, dump}) {
    kt::AddStoreLocationOptions(*sub, query.where, "ktable", "--table");
    kt::AddCommonOptions(*sub, common, kt::kOptKafka | kt::kOptVerbosity);
  }
  get->add_option("key", get_key, "The key")->required();
  app.require_subcommand(0, 1);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  if (get->parsed() || dump->parsed()) {
    if (get->parsed()) query.key = get_key;
    auto cfg = kt::KafkaConfigOf(common);
    if (!cfg.ok()) return Fail(cfg.status());
    if (kt::DumpConfigIfAsked(common, *cfg)) return kt::kExitOk;
    query.where.verbose = common.verbose;
    kt::Status s = kt::ktable::RunTableQuery(query, *cfg);
    return s.ok() ? kt::kExitOk : (kt::LogError("ktable", s.message()), kt::kExitRuntime);
  }
  auto grouping = kt::ParseGrouping(aggs, by);
  if (!grouping.ok()) return Fail(grouping.status());
  kt::Aggregator agg(std::move(grouping->aggs));
  bool updates = emit == "update";
  auto plan = kt::PlanRun("ktable", common);
  if (!plan.ok()) return Fail(plan.status());
  return kt::RunStateful(*plan, kt::KeyedIntent(common.input, by, state_opts),
                         [&](std::unique_ptr<kt::PartitionedState> state, std::optional<kt::expr::Expr> by) {
                           return std::make_unique<kt::ktable::TableTransform>(std::move(state), agg,
                                                                               std::move(by), updates);
                         });
}
