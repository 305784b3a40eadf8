// Turns for a forwarding stage whose records keep their keys (Transform::KeepsKeys: kfilter,
// kmap without --key).
//
// Such a stage merges every input partition in timestamp order (SEMANTICS.md, "Input order"), and
// its producer puts each record in its key's partition (murmur2, KafkaSink). On an input keyed by
// the same keys with as many partitions as the output, each output partition then gets exactly one
// input partition's records, in offset order: the interleaving of the partitions is not seen in
// any output partition. Reading each partition in turns gives the same output per partition, and
// on 16 partitions keeps a partition's records in the cache while it is read (the merge reads
// each record after the 15 others'): kfilter 'number >= 100' -e of 1M click events keyed by uri
// into 16 partitions took 0.99-1.20 s (median 1.12) merged, 0.91-1.00 s (median 0.97) in turns,
// 13% less CPU; 0.69-0.84 s from one partition (bench/README).
//
// The turns hold only while each record read is in its key's output partition, told from the
// message alone (SyncedInput::TakeTurnsWhileHome, as a run in place does): from the first that is
// not (a null or empty key, another partitioning) every partition is merged, and each output
// partition's records still come in the merge's order. A batch run (-e, no -n) of one Kafka input
// into one Kafka output, with keys passed through as their bytes.
#pragma once

#include <librdkafka/rdkafka.h>

#include <functional>
#include <memory>

#include "kt/app/run_plan.hpp"

namespace kt {

// The check for KafkaSourceOptions::home: whether a message's key puts it in the output partition
// of its own number, among *output_partitions (set once the output is open, before the first
// record; 0: unknown, so no record is). Null where `plan`, of a Transform that keeps its keys or
// not (`keeps_keys`), may not take turns this way.
std::function<bool(const rd_kafka_message_t&)> KeyTurns(const RunPlan& plan, bool keeps_keys,
                                                        std::shared_ptr<const int> output_partitions);

}  // namespace kt
