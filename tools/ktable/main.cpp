// ktable: keyed aggregates with changelog-backed state; `ktable get|dump` read a table.
#include <atomic>
#include <chrono>
#include <thread>

#include "kt/exit_code.hpp"
#include "kt/kafka_admin.hpp"
#include "kt/log.hpp"
#include "kt/options.hpp"
#include "kt/rekey.hpp"
#include "kt/signals.hpp"
#include "kt/tool.hpp"
#include "table_query.hpp"
#include "table_transform.hpp"

namespace {

int Fail(const kt::Status& s) {
  kt::LogError("ktable", s.message());
  return kt::ExitCodeFor(s);
}

// --by on a topic with several partitions: like Kafka Streams' groupBy, records are first
// re-keyed into <group>-<table>-repartition (same partition count, murmur2 by the new key), so
// equal keys meet in one partition, and aggregated from there. Both stages run in this process,
// each on its own Runner and consumer group: stage 1 (group G) reads the input, stage 2 (group
// G-<table>) the repartition topic. With -e (or -n) stage 2 ends once stage 1 has finished and
// stage 2 has read everything stage 1 wrote.
int RunRepartitioned(const kt::CommonOptions& common, const kt::KafkaConfig& cfg, int partitions,
                     kt::expr::Expr by, const std::string& table, const kt::StateCliOptions& state_opts,
                     kt::Aggregator agg, bool emit) {
  std::string repartition = common.group + "-" + table + "-repartition";
  bool created = false;
  if (kt::Status s = kt::EnsureTopic(cfg, repartition, partitions, 1, "ktable", &created); !s.ok())
    return Fail(kt::Status::KafkaError("repartition " + s.message()));
  kt::CommonOptions s1 = common, s2 = common;
  s1.output = repartition;
  s2.input = repartition;
  s2.from = "beginning";
  s2.count = -1;
  s2.schema_file.clear();  // the schema applies to the input, in stage 1
  s2.exit_at_end = common.exit_at_end || common.count >= 0;

  kt::ToolSpec spec2{.name = "ktable"};
  auto state = kt::OpenToolState(s2, "ktable", table, state_opts, &spec2, partitions);  // <G>-<table>-changelog
  if (!state.ok()) return Fail(state.status());
  s2.group = common.group + "-" + table;
  kt::TableTransform aggregate(std::move(*state), std::move(agg), std::nullopt, emit);
  kt::RekeyTransform rekey(std::move(by));

  std::atomic<bool> stage1_done{false};
  spec2.end_gate = &stage1_done;
  int rc2 = 0;
  std::thread stage2([&] {
    // Where CreateTopics is unavailable (kbroker) the repartition topic appears with stage 1's
    // first record; with nothing to regroup there is nothing to aggregate.
    auto exists = [&] {
      auto n = kt::PartitionCount(cfg, repartition, "ktable");
      return n.ok() && *n > 0;
    };
    while (!exists()) {
      if (stage1_done || kt::StopRequested()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    rc2 = kt::RunTool(std::move(spec2), s2, aggregate);
  });
  int rc1 = kt::RunTool({.name = "ktable-repartition"}, s1, rekey);
  if (rc1 != kt::kExitOk) kt::RequestStop();  // stage 2 drains what it has and stops
  stage1_done = true;
  stage2.join();
  return rc1 != kt::kExitOk ? rc1 : rc2;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Keyed aggregates (count, sum, min, max, avg, first, last) kept in a state store "
               "backed by a changelog topic; emits every update.", "ktable"};
  kt::CommonOptions common;
  kt::StateCliOptions state_opts;
  std::string by, table = "table", emit = "update";
  std::vector<std::string> aggs;
  app.add_option("--agg", aggs, "Aggregate: count, sum(x), min(x), max(x), avg(x), first(x), last(x), "
                                "optionally NAME=... (required unless get/dump)")->allow_extra_args(false);
  app.add_option("--by", by, "Group by this expression instead of the record key");
  app.add_option("--emit", emit, "update: write every new aggregate to the output; none: only keep state")
      ->check(CLI::IsMember({"update", "none"}))->capture_default_str();
  app.add_option("--table", table, "Table name: the changelog is <group>-<table>-changelog")->capture_default_str();
  kt::AddStateOptions(app, state_opts);
  kt::AddCommonOptions(app, common, kt::kOptAll);
  // ktable get KEY / ktable dump: the table's contents from its changelog (or --local stores).
  kt::TableQuery query;
  std::string get_key;
  CLI::App* get = app.add_subcommand("get", "Print one key's aggregates, read from the changelog topic");
  CLI::App* dump = app.add_subcommand("dump", "Print every key's aggregates, read from the changelog topic");
  for (CLI::App* sub : {get, dump}) {
    sub->add_option("-G,--group", query.group, "The table's consumer group (as given to ktable -G)")->required();
    sub->add_option("--table", query.table, "The table's name")->capture_default_str();
    sub->add_flag("--local", query.local, "Read the local state stores instead of the changelog");
    sub->add_option("--state-dir", query.state_dir, "State directory for --local");
    sub->add_option("-b,--brokers", common.brokers, "Bootstrap servers");
    sub->add_option("-X,--property", common.properties, "librdkafka property name=value")->allow_extra_args(false);
    sub->add_option("-F,--config", common.config_file, "Properties file");
  }
  get->add_option("key", get_key, "The key")->required();
  app.require_subcommand(0, 1);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  if (get->parsed() || dump->parsed()) {
    if (get->parsed()) query.key = get_key;
    auto cfg = kt::ResolveKafkaConfig(common);
    if (!cfg.ok()) return Fail(cfg.status());
    kt::Status s = kt::RunTableQuery(query, *cfg);
    return s.ok() ? kt::kExitOk : (kt::LogError("ktable", s.message()), kt::kExitRuntime);
  }
  if (aggs.empty()) return Fail(kt::Status::InvalidArgument("give at least one --agg (e.g. --agg count)"));
  std::vector<kt::AggSpec> specs;
  for (auto& a : aggs) {
    auto s = kt::ParseAggSpec(a);
    if (!s.ok()) return Fail(s.status());
    specs.push_back(*s);
  }
  std::optional<kt::expr::Expr> by_expr;
  if (!by.empty()) {
    auto e = kt::expr::Expr::Parse(by);
    if (!e.ok()) return Fail(kt::Status::InvalidArgument("--by: " + e.status().message()));
    by_expr = std::move(*e);
  }
  kt::Aggregator agg(std::move(specs));
  if (by_expr && common.input != "-") {
    auto cfg = kt::ResolveKafkaConfig(common);
    if (!cfg.ok()) return Fail(cfg.status());
    auto n = kt::PartitionCount(*cfg, common.input, "ktable");
    if (!n.ok()) return Fail(n.status());
    if (*n > 1) {
      if (common.group.empty()) common.group = "ktools-ktable-" + common.input;
      return RunRepartitioned(common, *cfg, *n, std::move(*by_expr), table, state_opts, std::move(agg),
                              emit == "update");
    }
  }
  kt::ToolSpec spec{.name = "ktable"};
  auto state = kt::OpenToolState(common, "ktable", table, state_opts, &spec);
  if (!state.ok()) return Fail(state.status());
  kt::TableTransform transform(std::move(*state), std::move(agg), std::move(by_expr), emit == "update");
  return kt::RunTool(std::move(spec), common, transform);
}
