// The in-place start of a repartitioned batch run (StatefulPlan::in_place_first). A stateful
// tool grouping by --by re-keys its input through a repartition topic: every record crosses
// Kafka twice, on the same machine, and a 16-partition run does half the work per second of a
// one-partition run (bench/README). When the input is partitioned by the group key already (a
// topic kgroupby or `kmap --key` wrote), that hop changes nothing: each key's records are in
// the partition the repartition topic would put them in, in the same order.
//
// A batch run that reads its input alone can find out as it goes: it reads the input in place,
// as --no-repartition does, and stops before the first record whose key belongs in another
// partition (Status::Elsewhere: what came before is committed, that record is not); the
// repartitioned run then starts where it stopped, with the same state. Each task sees the same
// records in the same order either way (ktools(7), STATE, "Repartitioning"). Where it cannot read
// alone (a group with members, a repartition topic holding records not yet read) or the first
// records show it would stop at once, the run repartitions from the start.
#pragma once

#include <functional>
#include <optional>

#include "kt/app/run_plan.hpp"
#include "kt/app/run_stateful.hpp"
#include "kt/app/stateful_plan.hpp"
#include "kt/expr/expr.hpp"

namespace kt {

// Whether the first `per_partition` records of a few partitions of run.input (four at most,
// spread over its `partitions`), from where the run starts (its group's committed offsets, else
// --from), all have their `by` key in their own partition (Java's murmur2, as a repartition
// topic's producer). Records without a group key do not count. A hint, not a guarantee: false
// also when it cannot tell (values that are not plain JSON, an expression that reads headers, no
// answer in time).
// Calls `answer` once, as soon as it knows (before its consumer is closed).
void FirstRecordsHome(const RunPlan& run, const expr::Expr& by, int partitions, int per_partition,
                      const std::function<void(bool)>& answer);

// Whether `plan` may start in place: its group has no members (the batch reads by direct
// assignment and is its only user), its repartition topic holds nothing the stage after it has
// not read (created by this run, or that stage's group has no members and committed its end),
// and `first_home` (FirstRecordsHome's answer) says the input looks partitioned by --by.
bool MayStartInPlace(const RunPlan& run, const StatefulPlan& plan, bool first_home);

// Runs the in-place start: `intent` planned as --no-repartition, stopping before the first record
// whose key belongs elsewhere. Returns the exit code when the run is over; nullopt when it
// stopped before such a record, its state closed, for the repartitioned run to go on from there.
std::optional<int> StartInPlace(const RunPlan& run, const StatefulIntent& intent, const StatefulPlan& plan,
                                const PartitionLookup& lookup, const StatefulFactory& make);

// The expressions of plan.by, parsed (InvalidArgument naming --by).
Result<SideKeys> ParseSideKeys(const StatefulPlan& plan);

}  // namespace kt
