// The plan of a stateful run (ktable, kwindow, kscore --zscore/--ewma, kjoin): the run plan of
// its stateful stage, the stages that re-key its input sides, its state store and the internal
// topics that serve them. One planner serves every stateful tool, single-stage or repartitioned.
//
// An input side is read as it is, or re-keyed by an expression first (Kafka Streams' groupBy):
// equal keys must meet in one partition, so a re-keying stage writes the side to a repartition
// topic, where the producer's murmur2 partitioner puts equal keys together, and the stateful
// stage reads that topic. A single-input tool whose input has one partition (or is stdin)
// groups by the expression itself: no repartition topic, one stage.
//
// An ad-hoc run (RunPlan::ad_hoc: no group) creates nothing: its state lives in memory for the
// run, one store per input partition as in a group's run; or, where keys would have to move
// between partitions (a side re-keyed by an expression, sides of different sizes), one store
// for the whole run, in which the Transform groups every side by its expression itself.
//
// Names (G: the run's group, -G or DefaultGroup; S: the stage name; N: the store name):
//   repartition topic of side s    <G>-<S>[-<label of s>]-repartition
//   group of its re-keying stage   G for side 0, <G>-<S>-<label of s> for the others
//   group of the stateful stage    <G>-<S> behind a re-keyed side 0, else G
//   changelog of the store         <G>-<N>-changelog, as many partitions as the stage's input
//   local state                    <state dir>/<G>/<N>
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "kt/app/run_plan.hpp"
#include "kt/state/store.hpp"

namespace kt {

struct StatefulIntent {
  struct Side {
    std::string topic;  // sides[0]: -i (also "-", stdin)
    std::string by;     // the re-keying expression; "" reads the side keyed as it is
    std::string label;  // names the side's repartition topic and group when there are several sides
  };
  std::vector<Side> sides;
  std::string stage_name;  // S above: the store name (ktable, kwindow, kscore), "join" (kjoin)
  // One side: the Transform can group by sides[0].by itself. (Every Transform groups every side
  // by itself in a one-store run.)
  bool groups_itself = false;
  StateCliOptions store;
};

struct StorePlan {
  std::string name;
  StoreOptions::Kind kind = StoreOptions::Kind::kRocksDb;
  std::string dir;        // local state; "" in memory
  std::string changelog;  // "" without one (stdin input, ad hoc: state lives in memory for the run)
  int partitions = 0;     // of the changelog
  // One store for every input partition (stdin; an ad-hoc run whose keys must meet across
  // partitions); else one store per partition.
  bool single_task = false;
  int standbys = 0;  // --standbys (with a changelog and a group only)
  // --no-repartition on a partitioned input: the input's partition count, which every record's
  // group key must hash to its own partition of (PartitionedState::RequireHomeKeys); 0: no check.
  int home_partitions = 0;
  // With home_partitions: a record whose key belongs elsewhere goes to that partition's state
  // instead of being a bad record (a batch run reading in place: StatefulPlan::in_place).
  bool route_keys = false;
};

// A stage that re-keys one side into its repartition topic.
struct RekeyPlan {
  RunPlan run;     // reads the side in its group, writes run.output (the repartition topic)
  std::string by;  // the new key
  // The value fields the stage reads (Transform::ValueFieldsRead); nullopt: the whole value.
  std::optional<std::vector<std::string>> keep_fields;
};

struct StatefulPlan {
  RunPlan stage;  // the stateful stage
  // What the Transform groups each side by itself (one per side; "": the record key, which a
  // re-keying stage may have set).
  std::vector<std::string> by;
  std::vector<RekeyPlan> rekeys;  // empty: a single stage
  int partitions = 0;             // of the stage's input topics (repartition topics included)
  bool after_rekeys = false;      // the stage starts once every re-keying stage has finished
  StorePlan store;
  Properties topic_configs;  // of the topics the run creates (RunStateful: sized as its inputs)
  // The changelog and repartition topics RunStateful created together (CreateMissingTogether):
  // OpenState and RunRepartitioned do not ensure them again.
  std::vector<std::string> created_together;
  // An at-least-once run of one input re-keyed by a --by it groups by itself: RunStateful may
  // read the input in place, each record applied to the state of its group key's partition, as
  // the repartition topic would have taken it there (app/in_place.hpp); a continuous one until
  // another copy joins. The results are the same either way (ktools(7), STATE,
  // "Repartitioning").
  bool in_place = false;
};

// One input (-i), grouped by `by` ("" : the record key): ktable, kwindow, kscore. Its stage
// name is the store's.
StatefulIntent KeyedIntent(const std::string& input, const std::string& by, const StateCliOptions& store);

// A topic's partition count (0: it does not exist).
using PartitionLookup = std::function<Result<int>(const std::string& topic)>;

// Plans `intent` on `run` (the tool's run plan). Kafka topics' sizes come from `partitions`.
// Errors: a missing input topic, sides that are not co-partitioned and not re-keyed, a bad
// store name.
Result<StatefulPlan> PlanStateful(const RunPlan& run, const StatefulIntent& intent,
                                  const PartitionLookup& partitions);

}  // namespace kt
