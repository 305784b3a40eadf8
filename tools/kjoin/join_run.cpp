#include "join_run.hpp"

#include "kt/app/fail.hpp"
#include "kt/app/run_stateful.hpp"
#include "kt/app/run_tool.hpp"
#include "kt/core/exit_code.hpp"

namespace kt::kjoin {

int RunCoPartitionedJoin(const RunPlan& run, const StateCliOptions& state_opts,
                         const CoPartitionedJoin& join) {
  StatefulIntent intent;
  intent.sides = {{run.input, join.by, "left"}, {join.right, join.right_by, "right"}};
  intent.stage_name = "join";
  intent.store = state_opts;
  return RunStateful(run, intent, [&](std::unique_ptr<PartitionedState> state, SideKeys by) {
    std::unique_ptr<Transform> t;
    if (join.window)
      t = std::make_unique<WindowJoinTransform>(std::move(state), *join.window, std::move(by));
    else
      t = std::make_unique<JoinTransform>(std::move(state), join.table, std::move(by));
    return t;
  });
}

int RunGlobalJoin(const RunPlan& run, const StateCliOptions& state_opts, const std::string& table,
                  GlobalJoinOptions options) {
  if (run.dump_config) {
    DumpConfig(run.kafka);
    return kExitOk;
  }
  GlobalTableOptions go;
  go.topic = table;
  go.tool = run.tool;
  go.key_codec = run.key_codec;
  go.value_codec = run.value_codec;
  go.json_values = options.json_values;
  go.skip_bad = run.on_error != ErrorPolicy::kFail;
  go.verbose = run.verbose;
  auto kind = ParseStoreKind(state_opts.store);
  if (!kind.ok()) return FailWith(run.tool, kind.status());
  // Without a group (stdin, ad hoc) the replica lives in memory for the run.
  go.store.kind = run.group.empty() ? StoreOptions::Kind::kMemory : *kind;
  go.store.dir = StateDir(state_opts.state_dir, run.group, "global-" + table);
  auto replica = std::make_unique<GlobalTable>(run.kafka, std::move(go));
  if (Status s = replica->Bootstrap(); !s.ok()) return FailWith(run.tool, s);
  GlobalJoinTransform transform(std::move(replica), std::move(options));
  return RunTool(run, transform);
}

}  // namespace kt::kjoin
