#include "kt/stream/keyed_run.hpp"

#include <atomic>

#include "kt/core/exit_code.hpp"
#include "kt/kafka/admin.hpp"
#include "kt/core/log.hpp"
#include "kt/stream/repartition.hpp"
#include "kt/run/tool.hpp"

namespace kt {

namespace {

int Fail(const std::string& tool, const Status& s) {
  LogError(tool, s.message());
  return ExitCodeFor(s);
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

int RunKeyed(const std::string& tool, CommonOptions& common, const StateCliOptions& state_opts,
             std::optional<expr::Expr> by, const KeyedTransformFactory& make) {
  if (by && common.input != "-") {
    auto cfg = ResolveKafkaConfig(common);
    if (!cfg.ok()) return Fail(tool, cfg.status());
    auto n = PartitionCount(*cfg, common.input, tool);
    if (!n.ok()) return Fail(tool, n.status());
    if (*n > 1) {
      const std::string& name = state_opts.name;
      if (common.group.empty()) common.group = DefaultGroup(tool, common.input);
      // Stage 1 reads the input in G, stage 2 aggregates <G>-<name>-repartition in G-<name>.
      std::string repartition = common.group + "-" + name + "-repartition";
      std::vector<RekeyStage> stages;
      stages.push_back({common.input, repartition, common.group, std::move(*by)});
      auto state = OpenToolState(common, tool, state_opts, *n);  // <G>-<name>-changelog
      if (!state.ok()) return Fail(tool, state.status());
      std::unique_ptr<Transform> aggregate = make(std::move(*state), std::nullopt);
      return RunRepartitioned(tool, common, *cfg, *n, std::move(stages), [&](const std::atomic<bool>* stage1_done) {
        SourceSpec source;
        source.end_gate = stage1_done;
        source.origin_headers = true;
        return RunTool(tool, SecondStageOptions(common, repartition, common.group + "-" + name), *aggregate,
                       std::move(source), SinkSpec{.internal = true});
      });
    }
  }
  auto state = OpenToolState(common, tool, state_opts);
  if (!state.ok()) return Fail(tool, state.status());
  bool internal = (*state)->changelog() != nullptr;
  std::unique_ptr<Transform> transform = make(std::move(*state), std::move(by));
  return RunTool(tool, common, *transform, {}, SinkSpec{.internal = internal});
}

}  // namespace kt
