#include "kt/app/run_stateful.hpp"

#include <algorithm>
#include <atomic>
#include <map>

#include "kt/app/fail.hpp"
#include "kt/app/in_place.hpp"
#include "kt/app/repartition.hpp"
#include "kt/app/run_tool.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/kafka/admin.hpp"
#include "kt/state/changelog.hpp"

namespace kt {

Result<std::unique_ptr<PartitionedState>> OpenState(const StatefulPlan& plan) {
  const RunPlan& run = plan.stage;
  StoreOptions so;
  so.kind = plan.store.kind;
  if (plan.store.changelog.empty()) {
    auto state = std::make_unique<PartitionedState>(so, nullptr, run.tool, plan.store.single_task);
    state->RequireHomeKeys(plan.store.home_partitions, plan.store.route_keys);
    return state;
  }
  auto changelog = std::make_unique<Changelog>(run.kafka, plan.store.changelog, run.tool, run.verbose);
  if (!std::ranges::count(plan.created_together, plan.store.changelog))
    if (Status s = changelog->Ensure(plan.store.partitions, run.replication_factor, plan.topic_configs);
        !s.ok())
      return s;
  so.dir = plan.store.dir;
  auto state = std::make_unique<PartitionedState>(so, std::move(changelog), run.tool);
  state->RequireHomeKeys(plan.store.home_partitions, plan.store.route_keys);
  if (plan.store.standbys > 0 && !run.group.empty())  // the copies are found by their client ids
    state->SetStandbyPlanner(std::make_unique<StandbyPlanner>(run.kafka, run.tool, run.group, run.input,
                                                              "id=" + CopyToken(), plan.store.standbys));
  return state;
}

int RunStateful(const RunPlan& run, const StatefulIntent& intent, const StatefulFactory& make) {
  if (run.dump_config) {
    DumpConfig(run.kafka);
    return kExitOk;
  }
  std::map<std::string, int> counts;  // each topic looked up once
  PartitionLookup lookup = [&](const std::string& topic) -> Result<int> {
    if (auto it = counts.find(topic); it != counts.end()) return it->second;
    auto n = PartitionCount(run.kafka, topic, run.tool);
    if (n.ok()) counts[topic] = *n;
    return n;
  };
  auto plan = PlanStateful(run, intent, lookup);
  if (!plan.ok()) return FailWith(run.tool, plan.status());
  if (run.kafka_input()) {  // the changelog and repartition topics take what the inputs take
    std::vector<std::string> inputs;
    for (const StatefulIntent::Side& side : intent.sides) inputs.push_back(side.topic);
    auto largest = LargestRecordOf(run, inputs);
    if (!largest.ok()) return FailWith(run.tool, largest.status());
    plan->topic_configs = SizedTopicConfigs(*largest);
  }
  auto by = ParseSideKeys(*plan);
  if (!by.ok()) return FailWith(run.tool, by.status());
  if (!plan->rekeys.empty()) {  // the changelog and the repartition topics, in one request
    std::vector<TopicSpec> specs;
    if (!plan->store.changelog.empty())
      specs.push_back(Changelog::Spec(plan->store.changelog, plan->store.partitions, run.replication_factor,
                                      plan->topic_configs));
    // A batch run that may read in place does not make its repartition topic: reading in place
    // it never writes there, a missing one has nothing unread (MayReadInPlace), and a run that
    // goes through it makes it (RunRepartitioned). The broker takes a new topic's partitions on
    // one after another, so 16 more held up the changelog's: a batch run's first output on 16
    // partitions came 50-70 ms later.
    if (!plan->in_place || !run.bounded())
      for (const RekeyPlan& r : plan->rekeys) specs.push_back(RepartitionTopicSpec(*plan, r));
    plan->created_together = CreateMissingTogether(run.kafka, specs, run.tool);
  }
  if (plan->in_place && MayReadInPlace(run, *plan)) {
    bool handed_over = false;
    int rc = RunInPlace(run, intent, *plan, lookup, make, &handed_over);
    if (!handed_over || rc != kExitOk) return rc;
  }
  auto state = OpenState(*plan);
  if (!state.ok()) return FailWith(run.tool, state.status());
  std::unique_ptr<Transform> transform = make(std::move(*state), std::move(*by));
  if (plan->rekeys.empty()) return RunTool(plan->stage, *transform);
  if (plan->rekeys.size() == 1) plan->rekeys[0].keep_fields = transform->ValueFieldsRead();
  return RunRepartitioned(*plan, [&](const std::atomic<bool>* rekeys_done) {
    SourceSpec source;
    source.end_gate = rekeys_done;
    source.expected_partitions = plan->partitions;
    source.origin_headers = true;
    return RunTool(plan->stage, *transform, std::move(source));
  });
}

}  // namespace kt
