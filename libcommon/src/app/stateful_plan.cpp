#include "kt/app/stateful_plan.hpp"

#include <algorithm>
#include <numeric>

namespace kt {

namespace {

// "<G>-<S>[-<label>]": the stem of a side's repartition topic and group.
std::string SideStem(const std::string& group, const StatefulIntent& in, size_t side) {
  std::string stem = group + "-" + in.stage_name;
  if (in.sides.size() > 1) stem += "-" + in.sides[side].label;
  return stem;
}

Codec JsonCodec() { return *Codec::Parse("json"); }

}  // namespace

StatefulIntent KeyedIntent(const std::string& input, const std::string& by, const StateCliOptions& store) {
  StatefulIntent in;
  in.sides.push_back({input, by, ""});
  in.stage_name = store.name;
  in.groups_itself = true;
  in.store = store;
  return in;
}

Result<StatefulPlan> PlanStateful(const RunPlan& run, const StatefulIntent& in,
                                  const PartitionLookup& lookup) {
  if (in.sides.empty()) return Status::InvalidArgument("a stateful run needs an input");
  if (Status s = CheckStoreName(in.store.name); !s.ok()) return s;
  auto kind = ParseStoreKind(in.store.store);
  if (!kind.ok()) return kind.status();
  StatefulPlan p;
  p.stage = run;
  p.store.name = in.store.name;
  p.store.kind = *kind;
  p.by.assign(in.sides.size(), "");
  if (!run.kafka_input()) {  // stdin: one stage; the state lives in memory for the run
    if (in.sides.size() > 1 || !in.groups_itself)
      return Status::InvalidArgument("a stdin input (-i -) cannot be co-partitioned with a topic");
    p.by[0] = in.sides[0].by;
    p.store.kind = StoreOptions::Kind::kMemory;
    p.store.single_task = true;
    return p;
  }

  std::vector<int> counts;
  for (const StatefulIntent::Side& side : in.sides) {
    auto n = lookup(side.topic);
    if (!n.ok()) return n.status();
    if (*n == 0)
      return Status::KafkaError("topic '" + side.topic + "' does not exist on " + run.kafka.brokers);
    counts.push_back(*n);
  }
  // --no-repartition: the user says the input is partitioned by the --by key already (Kafka
  // Streams' groupByKey); every record is checked against it, since a wrong claim would
  // silently split a key's state.
  bool grouped_here =
      in.store.no_repartition && in.sides.size() == 1 && in.groups_itself && !in.sides[0].by.empty();
  if (grouped_here && counts[0] > 1) p.store.home_partitions = counts[0];
  if (run.ad_hoc()) {  // no group: nothing created, state in memory for the run
    bool moves = std::any_of(in.sides.begin(), in.sides.end(), [](auto& s) { return !s.by.empty(); }) &&
                 (in.sides.size() > 1 || counts[0] > 1) && !grouped_here;
    for (int n : counts) moves = moves || n != counts[0];
    for (size_t i = 0; i < in.sides.size(); ++i) p.by[i] = in.sides[i].by;
    p.store.kind = StoreOptions::Kind::kMemory;
    p.store.single_task = moves;
    p.stage.partition_tasks = !moves && in.sides.size() == 1;
    p.partitions = counts[0];
    p.stage.prefetch_partitions = std::accumulate(counts.begin(), counts.end(), 0);
    p.stage.more_inputs.clear();
    for (size_t i = 1; i < in.sides.size(); ++i) p.stage.more_inputs.push_back(in.sides[i].topic);
    return p;
  }
  // A side given an expression is re-keyed, unless the Transform can group by it itself
  // because every record is in one partition anyway.
  std::vector<bool> rekeyed;
  for (const StatefulIntent::Side& side : in.sides)
    rekeyed.push_back(!side.by.empty() &&
                      !(in.sides.size() == 1 && in.groups_itself && (counts[0] <= 1 || grouped_here)));
  // Co-partitioned: key k is in the same partition number of every input, one task per number.
  // A re-keyed side follows the sides that are not (the larger count when all are).
  int partitions = counts[0];
  if (in.sides.size() > 1) {
    bool all = std::all_of(rekeyed.begin(), rekeyed.end(), [](bool r) { return r; });
    int fixed = -1;
    for (size_t i = 0; i < counts.size(); ++i) {
      if (rekeyed[i]) continue;
      if (fixed >= 0 && counts[i] != fixed)
        return Status::InvalidArgument("the topics are not co-partitioned: '" + in.sides[0].topic + "' has " +
                                       std::to_string(counts[0]) + " partitions, '" + in.sides[i].topic +
                                       "' has " + std::to_string(counts[i]) +
                                       "; a key must be in the same partition of both (or re-key a side with "
                                       "--by / --right-by)");
      fixed = counts[i];
    }
    partitions = all ? *std::max_element(counts.begin(), counts.end()) : fixed;
  }
  p.partitions = partitions;
  p.stage.prefetch_partitions = partitions * static_cast<int>(in.sides.size());
  // One input: a task's records are its partition's, in offset order, whatever the turns. Two
  // (kjoin) keep the merge of every partition: in turns, while one side's partition is at its
  // end, the other's buffered records ran ahead by up to a turn, and the join expired what the
  // lagging side's records would still have matched (crash.py kjoin, 1 run in 5 with 2 s of
  // grace); the merge keeps both sides near the whole input's time.
  p.stage.partition_tasks = in.sides.size() == 1;
  if (in.sides.size() == 1 && !rekeyed[0]) p.by[0] = in.sides[0].by;

  const std::string& group = run.group;
  p.stage.more_inputs.clear();
  for (size_t i = 0; i < in.sides.size(); ++i) {
    std::string topic = in.sides[i].topic;
    if (rekeyed[i]) {
      RekeyPlan r;
      r.run = run;
      r.run.tool = run.tool + "-repartition";
      r.run.input = topic;
      r.run.more_inputs.clear();
      topic = SideStem(group, in, i) + "-repartition";
      r.run.output = topic;
      r.run.outputs = {topic};
      r.run.partitions = partitions;  // created so by RunRepartitioned
      r.run.internal_output = true;
      // Internal topics carry plain JSON: schemas are the user's topics' business, not theirs.
      if (r.run.out_key_codec.UsesRegistry()) r.run.out_key_codec = JsonCodec();
      if (r.run.out_value_codec.UsesRegistry()) r.run.out_value_codec = JsonCodec();
      r.run.group = i == 0 ? group : SideStem(group, in, i);
      r.by = in.sides[i].by;
      p.rekeys.push_back(std::move(r));
    }
    if (i == 0 && rekeyed[i]) {  // the stage reads what the re-keying stage wrote
      p.stage.key_codec = p.rekeys.back().run.out_key_codec;
      p.stage.value_codec = p.rekeys.back().run.out_value_codec;
    }
    if (i == 0)
      p.stage.input = topic;
    else
      p.stage.more_inputs.push_back(topic);
  }
  if (!p.rekeys.empty()) {
    if (rekeyed[0]) {  // the stage reads what its re-keying stage writes, all of it
      p.stage.group = group + "-" + in.stage_name;
      p.stage.from = StartSpec();
      p.stage.count = -1;
      p.stage.schema_file.clear();  // the schema applies to the input, in the re-keying stage
    }
    p.stage.exit_at_end = run.bounded();
    // A bounded join joins once the re-keying is done: deterministic, whatever the stages' speeds.
    p.after_rekeys = in.sides.size() > 1 && p.stage.exit_at_end;
    p.in_place = in.sides.size() == 1 && rekeyed[0] && in.groups_itself && !run.exactly_once;
  }
  p.store.changelog = group + "-" + in.store.name + "-changelog";
  p.store.partitions = partitions;
  p.store.dir = StateDir(in.store.state_dir, group, in.store.name);
  p.store.standbys = in.store.standbys;
  return p;
}

}  // namespace kt
