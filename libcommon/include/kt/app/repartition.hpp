// Repartition stages (Kafka Streams' repartition topics): records that must meet by a key they
// are not partitioned by are first re-keyed into a repartition topic, where the producer's
// murmur2 partitioner puts equal keys in one partition, and the stage that needs them together
// reads that topic.
//
// RunRepartitioned runs every re-keying stage of a StatefulPlan and the stage after them in
// this process, each on its own thread, Runner and consumer group. A re-keying stage writes
// each record's original key and position as origin headers (core/origin.hpp), so the stage
// after it can give the key back and tell a re-sent record from a new one. With -e (or -n) the
// stage after them ends once every re-keying stage has finished and it has read everything
// they wrote; a failing re-keying stage stops the others and the stage after them (which drain
// what they have), and its exit code is the result.
#pragma once

#include <atomic>
#include <functional>

#include "kt/app/stateful_plan.hpp"
#include "kt/kafka/admin.hpp"

namespace kt {

// The stage after the re-keying stages: runs with `rekeys_done` as its source's end gate;
// returns its exit code.
using StageAfterRekeys = std::function<int(const std::atomic<bool>* rekeys_done)>;

// The repartition topic a re-keying stage writes: plan.partitions, the run's replication factor
// and topic configs.
TopicSpec RepartitionTopicSpec(const StatefulPlan& plan, const RekeyPlan& rekey);

// Creates the repartition topics (plan.partitions each; but not plan.created_together), then
// runs the stages. The stage after them starts once every repartition topic exists, or, with
// plan.after_rekeys, once every re-keying stage has finished (a bounded join: it then finds
// each repartition topic complete, so its timestamp-ordered merge of several inputs does not
// depend on how fast they were).
// Returns the process exit code.
int RunRepartitioned(const StatefulPlan& plan, const StageAfterRekeys& stage);

}  // namespace kt
