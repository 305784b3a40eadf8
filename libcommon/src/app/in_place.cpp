#include "kt/app/in_place.hpp"

#include <algorithm>
#include <vector>

#include "kt/app/fail.hpp"
#include "kt/app/repartition.hpp"
#include "kt/app/run_tool.hpp"
#include "kt/core/json_field_scan.hpp"
#include "kt/core/log.hpp"
#include "kt/core/murmur2.hpp"
#include "kt/kafka/admin.hpp"
#include "kt/kafka/groups.hpp"

namespace kt {

bool MayReadInPlace(const RunPlan& run, const StatefulPlan& plan) {
  auto input_group = DescribeGroup(run.kafka, run.tool, run.group);
  if (!input_group.ok() || input_group->members > 0) return false;
  // kbroker cannot tell a group's members, and keeps no offsets committed in a transaction (a
  // stateful stage's, at-least-once too): a continuous run there goes through the repartition
  // topic, whose re-keying stage commits the input's offsets as a plain consumer.
  if (!run.bounded() && !input_group->known) return false;
  const std::string& repartition = plan.rekeys[0].run.output;
  if (std::ranges::count(plan.created_together, repartition)) return true;
  auto stage_group = DescribeGroup(run.kafka, run.tool, plan.stage.group);
  if (!stage_group.ok() || stage_group->members > 0) return false;
  // Never made (a batch run in place does not make it, RunStateful): nothing in it to read first.
  // A continuous run holds its partitions, so it makes it now (empty). Not on kbroker, where a
  // repartition topic appears with its first record and a run in place keeps no offsets.
  auto made = PartitionCount(run.kafka, repartition, run.tool);
  if (!made.ok()) return false;
  if (*made == 0) {
    bool created = false;
    return input_group->known &&
           (run.bounded() ||
            EnsureTopic(run.kafka, RepartitionTopicSpec(plan, plan.rekeys[0]), run.tool, &created).ok());
  }
  std::vector<int32_t> parts;
  for (int32_t p = 0; p < plan.partitions; ++p) parts.push_back(p);
  auto marks = Watermarks(run.kafka, run.tool, repartition, parts);
  auto committed = CommittedOffsets(run.kafka, run.tool, plan.stage.group);
  if (!marks.ok() || !committed.ok() || marks->size() != parts.size()) return false;
  for (int32_t p : parts) {
    const PartitionOffsets& m = (*marks)[static_cast<size_t>(p)];
    int64_t next = m.low;  // no commit: the stage after reads from the beginning
    for (const TopicPartitionOffset& c : *committed)
      if (c.topic == repartition && c.partition == p) next = c.packed_done > 0 ? -1 : c.offset;
    if (next < m.high) return false;
  }
  return true;
}

namespace {

// Whether a record is in its own partition's task, told from its bytes alone (KafkaSourceOptions::
// home): on an input keyed by the group key, every record is, and the tasks may take turns. For
// a batch run (-e, no -n: the first N records are the merge's) of one input whose --by is a
// top-level field of JSON values; null otherwise. A record it cannot tell (its key is no plain
// string, a tombstone, another format) counts as not home: from there on, every partition is
// merged.
std::function<bool(const rd_kafka_message_t&)> HomeByField(const StatefulPlan& ip, const SideKeys& by) {
  const RunPlan& stage = ip.stage;
  int32_t n = ip.store.home_partitions;
  if (!stage.exit_at_end || stage.count >= 0 || !stage.more_inputs.empty() || stage.group.empty() || n <= 0 ||
      by.size() != 1 || !by[0] || !stage.value_codec.IsJson() || !stage.value_codec.IsIdentity())
    return nullptr;
  const expr::Expr& e = *by[0];
  if (e.Fields().size() != 1 || e.source() != e.Fields()[0] || e.ReadsHeaders()) return nullptr;
  return [field = e.Fields()[0], n](const rd_kafka_message_t& m) {
    std::string_view key;
    return m.payload &&
           ScanPlainStringField(std::string_view(static_cast<const char*>(m.payload), m.len), field, &key) &&
           Murmur2Partition(key, n) == m.partition;
  };
}

}  // namespace

int RunInPlace(const RunPlan& run, const StatefulIntent& intent, const StatefulPlan& plan,
               const PartitionLookup& lookup, const StatefulFactory& make, bool* handed_over) {
  *handed_over = false;
  StatefulIntent in_place = intent;
  in_place.store.no_repartition = true;
  auto ip = PlanStateful(run, in_place, lookup);
  if (!ip.ok()) return FailWith(run.tool, ip.status());
  ip->topic_configs = plan.topic_configs;
  ip->created_together = plan.created_together;
  ip->store.route_keys = true;
  // Each record to its key's task: every partition merged, or in turns while every record is in
  // its own partition's task (source.home).
  ip->stage.partition_tasks = false;
  SourceSpec source;
  auto by = ParseSideKeys(*ip);
  if (!by.ok()) return FailWith(run.tool, by.status());
  source.home = HomeByField(*ip, *by);
  auto state = OpenState(*ip);
  if (!state.ok()) return FailWith(run.tool, state.status());
  std::unique_ptr<Transform> transform = make(std::move(*state), std::move(*by));
  if (!run.bounded()) {  // a continuous run: until a copy joins
    // Its partitions keep librdkafka's prefetch each (KafkaSource::Open): the timestamp merge
    // waits whenever one runs dry, and a continuous run's fetches wait up to 10 ms at partitions
    // with nothing new (a batch run's 2 ms): catching up on 16 partitions of 1M click events
    // took 2.1 s with the shared prefetch, 1.2 s without (1.4 s through the repartition topic).
    ip->stage.prefetch_partitions = 0;
    source.hold = KafkaSourceOptions::Hold{plan.stage.group, plan.rekeys[0].run.output, plan.partitions};
    source.handed_over = handed_over;
  }
  if (run.verbose)
    LogInfo(run.tool, "reading " + run.input +
                          " in place: this run reads it alone, each record to its --by key's partition" +
                          (run.bounded() ? "" : ", until another copy joins group " + run.group));
  int rc = RunTool(ip->stage, *transform, std::move(source));
  if (*handed_over && !run.quiet)
    LogInfo(run.tool, "another copy joined: this run goes on through " + plan.rekeys[0].run.output);
  return rc;
}

Result<SideKeys> ParseSideKeys(const StatefulPlan& plan) {
  SideKeys by(plan.by.size());
  for (size_t i = 0; i < by.size(); ++i) {
    if (plan.by[i].empty()) continue;
    auto e = expr::Expr::Parse(plan.by[i]);
    if (!e.ok()) return Status::InvalidArgument("--by: " + e.status().message());
    by[i] = std::move(*e);
  }
  return by;
}

}  // namespace kt
