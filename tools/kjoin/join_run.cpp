#include "join_run.hpp"

#include <algorithm>

#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/kafka/admin.hpp"
#include "kt/run/tool.hpp"
#include "kt/stream/repartition.hpp"

namespace kt {

namespace {

int Fail(const Status& s) {
  LogError("kjoin", s.message());
  return ExitCodeFor(s);
}

Result<int> ExistingPartitions(const KafkaConfig& cfg, const std::string& topic) {
  auto n = PartitionCount(cfg, topic, "kjoin");
  if (!n.ok()) return n.status();
  if (*n == 0) return Status::KafkaError("topic '" + topic + "' does not exist on " + cfg.brokers);
  return *n;
}

}  // namespace

int RunCoPartitionedJoin(CommonOptions& common, const StateCliOptions& state_opts, CoPartitionedJoin join) {
  auto cfg = ResolveKafkaConfig(common);
  if (!cfg.ok()) return Fail(cfg.status());
  if (DumpKafkaConfigIfAsked(common, *cfg)) return kExitOk;
  auto left_n = ExistingPartitions(*cfg, common.input);
  if (!left_n.ok()) return Fail(left_n.status());
  auto right_n = ExistingPartitions(*cfg, join.right);
  if (!right_n.ok()) return Fail(right_n.status());
  // Co-partitioned: key k is in the same partition number of both sides, one task per number.
  int partitions = *left_n;
  if (join.by && join.right_by) partitions = std::max(*left_n, *right_n);
  else if (join.by) partitions = *right_n;
  else if (!join.right_by && *left_n != *right_n)
    return Fail(Status::InvalidArgument("the topics are not co-partitioned: '" + common.input + "' has " +
                                        std::to_string(*left_n) + " partitions, '" + join.right + "' has " +
                                        std::to_string(*right_n) +
                                        "; a key must be in the same partition of both (or re-key a side with "
                                        "--by / --right-by)"));

  if (common.group.empty()) common.group = DefaultGroup("kjoin", common.input);
  auto state = OpenToolState(common, "kjoin", state_opts, partitions);  // <G>-<name>-changelog
  if (!state.ok()) return Fail(state.status());
  std::unique_ptr<Transform> transform;
  if (join.window) transform = std::make_unique<WindowJoinTransform>(std::move(*state), *join.window);
  else transform = std::make_unique<JoinTransform>(std::move(*state), join.table);

  std::vector<RekeyStage> stages;
  std::string left = common.input, right = join.right, stage2_group = common.group;
  if (join.by) {
    left = common.group + "-join-left-repartition";
    stages.push_back({common.input, left, common.group, std::move(*join.by)});
    stage2_group = common.group + "-join";
  }
  if (join.right_by) {
    right = common.group + "-join-right-repartition";
    stages.push_back({join.right, right, common.group + "-join-right", std::move(*join.right_by)});
  }
  auto run = [&](const CommonOptions& opts, const std::atomic<bool>* stage1_done) {
    SourceSpec source;
    source.more_inputs = {right};
    source.end_gate = stage1_done;
    source.origin_headers = !stages.empty();
    return RunTool("kjoin", opts, *transform, std::move(source), SinkSpec{.internal = true});
  };
  if (stages.empty()) return run(common, nullptr);
  CommonOptions s2 = join.by ? SecondStageOptions(common, left, stage2_group) : common;
  if (!join.by) s2.exit_at_end = common.exit_at_end || common.count >= 0;
  // A bounded run joins once the re-keying is done: deterministic, whatever the stages' speeds.
  // A continuous one joins as records arrive (--max-idle lets it wait for a lagging side).
  return RunRepartitioned("kjoin", common, *cfg, partitions, std::move(stages),
                          [&](const std::atomic<bool>* stage1_done) { return run(s2, stage1_done); },
                          /*stage2_after_stage1=*/s2.exit_at_end);
}

int RunGlobalJoin(CommonOptions& common, const StateCliOptions& state_opts, const std::string& table,
                  GlobalJoinOptions options) {
  auto cfg = ResolveKafkaConfig(common);
  if (!cfg.ok()) return Fail(cfg.status());
  if (DumpKafkaConfigIfAsked(common, *cfg)) return kExitOk;
  GlobalTableOptions go;
  go.topic = table;
  go.tool = "kjoin";
  auto key_codec = Codec::Parse(common.key_format);
  if (!key_codec.ok()) return Fail(key_codec.status());
  auto value_codec = Codec::Parse(common.value_format);
  if (!value_codec.ok()) return Fail(value_codec.status());
  go.key_codec = *key_codec;
  go.value_codec = *value_codec;
  go.json_values = options.json_values;
  go.skip_bad = !(common.on_error.empty() ? common.dlq.empty() : common.on_error == "fail");
  go.verbose = common.verbose;
  auto kind = ParseStoreKind(state_opts.store);
  if (!kind.ok()) return Fail(kind.status());
  go.store.kind = common.input == "-" ? StoreOptions::Kind::kMemory : *kind;  // stdin state lives in memory
  if (common.input != "-" && common.group.empty()) common.group = DefaultGroup("kjoin", common.input);
  go.store.dir = StateDir(state_opts.state_dir, common.group, "global-" + table);
  auto replica = std::make_unique<GlobalTable>(*cfg, std::move(go));
  if (Status s = replica->Bootstrap(); !s.ok()) return Fail(s);
  GlobalJoinTransform join(std::move(replica), std::move(options));
  return RunTool("kjoin", common, join);
}

}  // namespace kt
