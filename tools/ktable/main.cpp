// ktable: keyed aggregates with changelog-backed state.
#include <atomic>
#include <thread>

#include "kt/exit_code.hpp"
#include "kt/kafka_admin.hpp"
#include "kt/log.hpp"
#include "kt/options.hpp"
#include "kt/rekey.hpp"
#include "kt/signals.hpp"
#include "kt/tool.hpp"
#include "table_transform.hpp"

namespace {

int Fail(const std::string& msg, int code) {
  kt::LogError("ktable", msg);
  return code;
}

// --by on a topic with several partitions: like Kafka Streams' groupBy, records are first
// re-keyed into <group>-<table>-repartition (same partition count, murmur2 by the new key), so
// equal keys meet in one partition, and aggregated from there. Both stages run in this process,
// each on its own Runner and consumer group: stage 1 (group G) reads the input, stage 2 (group
// G-<table>) the repartition topic. With -e (or -n) stage 2 ends once stage 1 has finished and
// stage 2 has read everything stage 1 wrote.
int RunRepartitioned(const kt::CommonOptions& common, const kt::KafkaConfig& cfg, int partitions,
                     const std::string& by, const std::string& table, kt::StoreOptions so,
                     const std::string& state_dir, std::vector<kt::AggSpec> specs, const std::string& emit) {
  std::string repartition = common.group + "-" + table + "-repartition";
  bool created = false;
  if (kt::Status s = kt::EnsureTopic(cfg, repartition, partitions, 1, "ktable", &created); !s.ok())
    return Fail("repartition " + s.message(), kt::kExitRuntime);
  kt::CommonOptions s1 = common, s2 = common;
  s1.output = repartition;
  s2.input = repartition;
  s2.group = common.group + "-" + table;
  s2.from = "beginning";
  s2.count = -1;
  s2.schema_file.clear();  // the schema applies to the input, in stage 1
  s2.exit_at_end = common.exit_at_end || common.count >= 0;

  auto changelog = std::make_unique<kt::Changelog>(cfg, common.group + "-" + table + "-changelog", "ktable");
  if (kt::Status s = changelog->Ensure(partitions); !s.ok()) return Fail(s.message(), kt::kExitRuntime);
  so.dir = (state_dir.empty() ? kt::DefaultStateDir(common.group) : state_dir) + "/" + table;
  auto state = std::make_unique<kt::PartitionedState>(so, std::move(changelog));
  kt::TableTransform aggregate(std::move(state), kt::Aggregator(std::move(specs)), std::nullopt, emit == "update");
  kt::RekeyTransform rekey(std::move(*kt::expr::Expr::Parse(by)));

  std::atomic<bool> stage1_done{false};
  int rc2 = 0;
  kt::ToolSpec spec2{.name = "ktable"};
  spec2.needs_kafka = true;
  spec2.end_gate = &stage1_done;
  std::thread stage2([&] { rc2 = kt::RunTool(std::move(spec2), s2, aggregate); });
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
  std::string by, table = "table", store = "rocksdb", state_dir, emit = "update";
  std::vector<std::string> aggs;
  app.add_option("--agg", aggs, "Aggregate: count, sum(x), min(x), max(x), avg(x), first(x), last(x), "
                                "optionally NAME=...")->required()->allow_extra_args(false);
  app.add_option("--by", by, "Group by this expression instead of the record key");
  app.add_option("--emit", emit, "update: write every new aggregate to the output; none: only keep state")
      ->check(CLI::IsMember({"update", "none"}))->capture_default_str();
  app.add_option("--table", table, "Table name: the changelog is <group>-<table>-changelog")->capture_default_str();
  app.add_option("--store", store, "State store: rocksdb or memory")->check(CLI::IsMember({"rocksdb", "memory"}))
      ->capture_default_str();
  app.add_option("--state-dir", state_dir, "Where RocksDB keeps state (default $XDG_STATE_HOME/ktools/<group>)");
  kt::AddCommonOptions(app, common, kt::kOptAll);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  std::vector<kt::AggSpec> specs;
  for (auto& a : aggs) {
    auto s = kt::ParseAggSpec(a);
    if (!s.ok()) return Fail(s.status().message(), kt::kExitUsage);
    specs.push_back(*s);
  }
  std::optional<kt::expr::Expr> by_expr;
  if (!by.empty()) {
    auto e = kt::expr::Expr::Parse(by);
    if (!e.ok()) return Fail("--by: " + e.status().message(), kt::kExitUsage);
    by_expr = std::move(*e);
  }

  kt::ToolSpec spec{.name = "ktable"};
  std::unique_ptr<kt::Changelog> changelog;
  kt::StoreOptions so;
  so.kind = *kt::ParseStoreKind(store);
  if (common.input != "-") {
    auto cfg = kt::ResolveKafkaConfig(common);
    if (!cfg.ok()) return Fail(cfg.status().message(), kt::kExitUsage);
    if (common.group.empty()) common.group = "ktools-ktable-" + common.input;
    auto n = kt::PartitionCount(*cfg, common.input, "ktable");
    if (!n.ok()) return Fail(n.status().message(), kt::kExitRuntime);
    if (*n == 0) return Fail("topic '" + common.input + "' does not exist on " + cfg->brokers, kt::kExitRuntime);
    if (by_expr && *n > 1) return RunRepartitioned(common, *cfg, *n, by, table, so, state_dir, std::move(specs), emit);
    changelog = std::make_unique<kt::Changelog>(*cfg, common.group + "-" + table + "-changelog", "ktable");
    if (kt::Status s = changelog->Ensure(*n); !s.ok()) return Fail(s.message(), kt::kExitRuntime);
    so.dir = (state_dir.empty() ? kt::DefaultStateDir(common.group) : state_dir) + "/" + table;
    spec.needs_kafka = true;
  }
  auto state = std::make_unique<kt::PartitionedState>(so, std::move(changelog));
  kt::TableTransform transform(std::move(state), kt::Aggregator(std::move(specs)), std::move(by_expr), emit == "update");
  return kt::RunTool(std::move(spec), common, transform);
}
