#include "kt/stream/keyed_run.hpp"

#include <atomic>
#include <chrono>
#include <thread>

#include "kt/core/exit_code.hpp"
#include "kt/kafka/admin.hpp"
#include "kt/core/log.hpp"
#include "kt/stream/rekey.hpp"
#include "kt/core/signals.hpp"
#include "kt/run/tool.hpp"

namespace kt {

namespace {

int Fail(const std::string& tool, const Status& s) {
  LogError(tool, s.message());
  return ExitCodeFor(s);
}

int RunRepartitioned(const std::string& tool, const CommonOptions& common, const KafkaConfig& cfg, int partitions,
                     expr::Expr by, const std::string& name, const StateCliOptions& state_opts,
                     const KeyedTransformFactory& make) {
  std::string repartition = common.group + "-" + name + "-repartition";
  bool created = false;
  TopicSpec topic{.name = repartition, .partitions = partitions, .replication_factor = common.replication_factor};
  if (Status s = EnsureTopic(cfg, topic, tool, &created); !s.ok())
    return Fail(tool, Status::KafkaError("repartition " + s.message()));
  CommonOptions s1 = common, s2 = common;
  s1.output = repartition;
  s2.input = repartition;
  s2.from = "beginning";
  s2.count = -1;
  s2.schema_file.clear();  // the schema applies to the input, in stage 1
  s2.exit_at_end = common.exit_at_end || common.count >= 0;

  auto state = OpenToolState(s2, tool, name, state_opts, partitions);  // <G>-<name>-changelog
  if (!state.ok()) return Fail(tool, state.status());
  s2.group = common.group + "-" + name;
  std::unique_ptr<Transform> aggregate = make(std::move(*state), std::nullopt);
  RekeyTransform rekey(std::move(by), /*seed=*/0, /*keep_origin=*/true);

  std::atomic<bool> stage1_done{false};
  SourceSpec source2;
  source2.end_gate = &stage1_done;
  source2.origin_headers = true;
  int rc2 = 0;
  std::thread stage2([&] {
    // Where CreateTopics is unavailable (kbroker) the repartition topic appears with stage 1's
    // first record; with nothing to regroup there is nothing to aggregate.
    auto exists = [&] {
      auto n = PartitionCount(cfg, repartition, tool);
      return n.ok() && *n > 0;
    };
    while (!exists()) {
      if (stage1_done || StopRequested()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    rc2 = RunTool(tool, s2, *aggregate, std::move(source2), SinkSpec{.internal = true});
  });
  int rc1 = RunTool(tool + "-repartition", s1, rekey);
  if (rc1 != kExitOk) RequestStop();  // stage 2 drains what it has and stops
  stage1_done = true;
  stage2.join();
  return rc1 != kExitOk ? rc1 : rc2;
}

}  // namespace

Result<Grouping> ParseGrouping(const std::vector<std::string>& aggs, const std::string& by) {
  if (aggs.empty()) return Status::InvalidArgument("give at least one --agg (e.g. --agg count)");
  Grouping g;
  for (const std::string& a : aggs) {
    auto spec = ParseAggSpec(a);
    if (!spec.ok()) return spec.status();
    g.aggs.push_back(std::move(*spec));
  }
  if (!by.empty()) {
    auto e = expr::Expr::Parse(by);
    if (!e.ok()) return Status::InvalidArgument("--by: " + e.status().message());
    g.by = std::move(*e);
  }
  return g;
}

bool GroupKeyOf(const std::optional<expr::Expr>& by, expr::EvalContext& ctx, const Record& rec, std::string* key) {
  if (by) return by->Eval(ctx).KeyText(key);
  if (!rec.key) return false;
  key->assign(*rec.key);
  return true;
}

int RunKeyed(const std::string& tool, CommonOptions& common, const std::string& name,
             const StateCliOptions& state_opts, std::optional<expr::Expr> by, const KeyedTransformFactory& make) {
  if (by && common.input != "-") {
    auto cfg = ResolveKafkaConfig(common);
    if (!cfg.ok()) return Fail(tool, cfg.status());
    auto n = PartitionCount(*cfg, common.input, tool);
    if (!n.ok()) return Fail(tool, n.status());
    if (*n > 1) {
      if (common.group.empty()) common.group = DefaultGroup(tool, common.input);
      return RunRepartitioned(tool, common, *cfg, *n, std::move(*by), name, state_opts, make);
    }
  }
  auto state = OpenToolState(common, tool, name, state_opts);
  if (!state.ok()) return Fail(tool, state.status());
  bool internal = (*state)->changelog() != nullptr;
  std::unique_ptr<Transform> transform = make(std::move(*state), std::move(by));
  return RunTool(tool, common, *transform, {}, SinkSpec{.internal = internal});
}

}  // namespace kt
