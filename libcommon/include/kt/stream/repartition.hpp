// Repartition stages (Kafka Streams' repartition topics): records that must meet by a key they
// are not partitioned by are first re-keyed into a repartition topic, where the producer's
// murmur2 partitioner puts equal keys in one partition, and the stage that needs them together
// reads that topic.
//
// RunRepartitioned runs every re-keying stage (stage 1) and the stage after them (stage 2) in
// this process, each on its own thread, Runner and consumer group. Stage 1 writes the record's
// original key and position as kt.origin.* headers (RekeyTransform keep_origin), so stage 2's
// state can tell a re-sent record from a new one. With -e (or -n) stage 2 ends once every
// stage 1 has finished and stage 2 has read everything they wrote; a failing stage 1 stops
// stage 2 (it drains what it has) and its exit code is the result.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "kt/expr/expr.hpp"
#include "kt/kafka/config.hpp"
#include "kt/run/options.hpp"

namespace kt {

struct RekeyStage {
  std::string input;  // the topic re-keyed
  std::string topic;  // the repartition topic written (created with the stages' partition count)
  std::string group;  // the consumer group `input` is read in
  expr::Expr by;      // the new key
};

// Stage 2: runs with `stage1_done` as its source's end gate; returns its exit code.
using SecondStage = std::function<int(const std::atomic<bool>* stage1_done)>;

// `common` gives stage 1 its options (-e, -n, --from, --on-error, ...: they apply to the input);
// stage 2 starts once every repartition topic exists, or with `stage2_after_stage1` once every
// stage 1 has finished (a bounded join: stage 2 then finds each repartition topic complete, so
// its timestamp-ordered merge of several inputs does not depend on how fast stage 1 was).
// Returns the process exit code.
int RunRepartitioned(const std::string& tool, const CommonOptions& common, const KafkaConfig& cfg, int partitions,
                     std::vector<RekeyStage> stages, const SecondStage& stage2, bool stage2_after_stage1 = false);

// The options stage 2 reads `repartition` with: from the beginning, to the end of what stage 1
// wrote when the run is bounded (-e, -n), in group `group`, the schema left to stage 1.
CommonOptions SecondStageOptions(const CommonOptions& common, const std::string& repartition, const std::string& group);

}  // namespace kt
