// Base of Transforms that keep per-key state (ktable, kscore --zscore/--ewma, kwindow): owns the
// PartitionedState, restores partitions when assigned, checkpoints them when revoked, persists
// them before offsets are committed, and writes changelog records as internal outputs of the
// record being processed (so its offset waits for them).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kt/options.hpp"
#include "kt/partitioned_state.hpp"
#include "kt/tool.hpp"
#include "kt/transform.hpp"

namespace kt {

class StatefulTransform : public Transform {
 public:
  explicit StatefulTransform(std::unique_ptr<PartitionedState> state) : state_(std::move(state)) {}

  void OnAssigned(const std::vector<int32_t>& partitions) override;
  void OnRevoked(const std::vector<int32_t>& partitions) override;
  void BeforeCommit() override { state_->Commit(); }

 protected:
  // The store for the record's partition (stdin: the single in-memory store). Fails when the
  // partition's restore failed.
  Result<StateStore*> StoreFor(const Record& rec);
  // Writes key -> value to the changelog partition of the record's partition (no-op on stdin).
  void WriteChangelog(const Record& rec, std::string_view key, std::string_view value, Emitter& out);
  std::string RestoredSummary() const;

 private:
  std::unique_ptr<PartitionedState> state_;
  Status state_error_;
};

// The state options every stateful tool takes.
struct StateCliOptions {
  std::string store = "rocksdb";
  std::string state_dir;
};
void AddStateOptions(CLI::App& app, StateCliOptions& o);

// Sets up a stateful tool's state: for a Kafka input, the consumer group (default
// ktools-<tool>-<input>), the changelog <group>-<name>-changelog created or checked for
// co-partitioning with the input, and the state directory <state-dir>/<name>; for stdin, memory.
// Marks `spec` as writing internal records. `partitions` > 0 gives the input's partition count
// (for an input this process creates, like ktable's repartition topic); 0 looks it up.
Result<std::unique_ptr<PartitionedState>> OpenToolState(CommonOptions& common, const std::string& tool,
                                                        const std::string& name, const StateCliOptions& o,
                                                        ToolSpec* spec, int partitions = 0);

}  // namespace kt
