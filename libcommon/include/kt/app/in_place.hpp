// A batch run reading its input in place (StatefulPlan::in_place). A stateful tool grouping
// by --by re-keys its input through a repartition topic: every record crosses Kafka
// twice, on the same machine, and a 16-partition run did half the work per second of a
// one-partition run (bench/README). What the hop does, a task per partition of the repartition
// topic holding the records whose group key's murmur2 partition it is, in the order the
// re-keying stage read them, one process reading the whole input can do in memory: it reads the
// input in place, as --no-repartition does, and applies each record to the state of its key's
// partition (PartitionedState::RequireHomeKeys with `route`). Each task sees the same records in
// the same order either way, and each key's state carries the same input positions (those the
// hop's origin headers carry), so a replay after a crash is recognised in either mode and a later
// run may use either (ktools(7), STATE, "Repartitioning").
//
// Only where the run reads alone: its group has no members (a batch reads by direct assignment
// and is its only user), and the repartition topic holds nothing the stage after it has not read
// (records the hop moved earlier come first). Otherwise the run repartitions.
#pragma once

#include "kt/app/run_plan.hpp"
#include "kt/app/run_stateful.hpp"
#include "kt/app/stateful_plan.hpp"
#include "kt/expr/expr.hpp"

namespace kt {

// Whether `plan` may read in place: its group has no members and its repartition topic holds
// nothing the stage after it has not read (created by this run, or that stage's group has no
// members and committed its end).
bool MayReadInPlace(const RunPlan& run, const StatefulPlan& plan);

// Runs `intent` in place: planned as --no-repartition, each record's state in its group key's
// partition. Returns the exit code.
int RunInPlace(const RunPlan& run, const StatefulIntent& intent, const StatefulPlan& plan,
               const PartitionLookup& lookup, const StatefulFactory& make);

// The expressions of plan.by, parsed (InvalidArgument naming --by).
Result<SideKeys> ParseSideKeys(const StatefulPlan& plan);

}  // namespace kt
