// How a keyed, stateful tool (ktable, kwindow) runs, --by included.
//
// Without --by, or on stdin, or on a one-partition topic: one Runner; the Transform groups by
// --by (or the record key) itself. With --by on a topic with several partitions, equal group
// keys must meet in one partition first, as in Kafka Streams' groupBy: stage 1 re-keys records
// into <group>-<name>-repartition (same partition count, murmur2 by the new key) and stage 2
// aggregates from there, keyed by the record key. Both stages run in this process, each on its
// own Runner and consumer group: stage 1 in G, stage 2 in G-<name>. With -e (or -n) stage 2 ends
// once stage 1 has finished and stage 2 has read everything stage 1 wrote.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "kt/stream/aggregate.hpp"
#include "kt/expr/expr.hpp"
#include "kt/run/options.hpp"
#include "kt/state/partitioned_state.hpp"
#include "kt/state/stateful_transform.hpp"
#include "kt/run/transform.hpp"

namespace kt {

// What ktable and kwindow group and aggregate by: --agg specs (at least one) and --by.
struct Grouping {
  std::vector<AggSpec> aggs;
  std::optional<expr::Expr> by;
};
Result<Grouping> ParseGrouping(const std::vector<std::string>& aggs, const std::string& by);

// A record's group key: the key text of --by (SEMANTICS.md key rules), else the record key.
// False when it has none (a null key): no event for grouping. `ctx` is Reset to the record.
bool GroupKeyOf(const std::optional<expr::Expr>& by, expr::EvalContext& ctx, const Record& rec, std::string* key);

// Makes the aggregating Transform from its state and the --by it must group by itself (nullopt:
// group by the record key, as stage 2 does).
using KeyedTransformFactory =
    std::function<std::unique_ptr<Transform>(std::unique_ptr<PartitionedState>, std::optional<expr::Expr>)>;

// Runs `tool` with its state store state_opts.name (changelog <group>-<name>-changelog).
// Returns the process exit code; errors are logged.
int RunKeyed(const std::string& tool, CommonOptions& common, const StateCliOptions& state_opts,
             std::optional<expr::Expr> by, const KeyedTransformFactory& make);

}  // namespace kt
