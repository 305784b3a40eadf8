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
// run may use either (ktools(7), STATE, "Repartitioning"). A batch run whose --by is a field of
// JSON values lets the tasks take turns while every record is in its key's partition (an input
// keyed by the group key), each task's records still in the merge's order
// (SyncedInput::TakeTurnsWhileHome): the speed of --no-repartition on such an input, without the
// claim.
//
// Only where the run reads alone: its group has no members (a batch reads by direct assignment
// and is its only user), and the repartition topic holds nothing the stage after it has not read
// (records the hop moved earlier come first). Otherwise the run repartitions. A batch run does not
// make a missing repartition topic (RunStateful): whichever run first goes through it does.
//
// A continuous run alone reads in place too, for as long as it stays alone. It joins its group on
// the input and holds the stage's group on the repartition topic (kafka/group_hold): a copy
// started meanwhile sees members and goes through the topic, and its stage gets no task before
// this run lets go of it. At the first change of either group (a copy joining), the run commits
// what it applied, its state written, before the partitions go, and ends its in-place part
// (Source::HandingOver); RunStateful then goes on through the repartition topic like the copy.
// No record is applied before the run holds every partition of both topics, so two copies
// starting at once both go through the topic.
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
// partition. Returns the exit code. A continuous run ends with *handed_over set when another
// copy joins either group: what it applied is committed, and the caller goes on through the
// repartition topic.
int RunInPlace(const RunPlan& run, const StatefulIntent& intent, const StatefulPlan& plan,
               const PartitionLookup& lookup, const StatefulFactory& make, bool* handed_over);

// The expressions of plan.by, parsed (InvalidArgument naming --by).
Result<SideKeys> ParseSideKeys(const StatefulPlan& plan);

}  // namespace kt
