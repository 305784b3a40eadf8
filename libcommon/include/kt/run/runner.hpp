// The Runner: the loop every tool runs. It reads from a Source, decodes and validates values,
// hands records to the Transform, sends outputs to the Sink, applies the bad-record policy,
// tracks offsets and commits them, restores state, reacts to rebalances and signals, and
// reports stats.
//
// The commit barrier (at-least-once; every commit: periodic, before revocation, at the end,
// after a signal):
//   1. every output and dead letter sent so far is acknowledged,
//   2. the Transform writes its state (changelog records) and those are acknowledged,
//   3. the Transform persists its state (store writes with the changelog checkpoints),
//   4. input offsets of records whose outputs were all acknowledged are committed; they count
//      as committed only when the broker says so.
// A failure in 1-3 stops the chain (nothing later happens), stops the tool and exits 1: no
// offset is committed past a lost output or an unsaved state. A failed offset commit (4) is a
// warning; the offsets are committed again at the next commit, and a failed final commit
// exits 1.
//
// With exactly-once (a Transactions object), 1-2 run inside a producer transaction, which
// then commits with the input offsets (4 in the same transaction), and 3 follows the
// transaction's commit, so local state is never ahead of a committed transaction. An aborted
// transaction drops the state of every partition back to the last commit (restored again from
// the changelog) and reads the input again from the last committed offsets.
//
// Partitions whose state must be restored stay paused while the Transform restores them, a
// slice at a time between polls of the input; partitions lost to the group are forgotten
// without a commit.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "kt/codec/codec.hpp"
#include "kt/codec/schema.hpp"
#include "kt/codec/value_parser.hpp"
#include "kt/io/sink.hpp"
#include "kt/io/source.hpp"
#include "kt/io/transactions.hpp"
#include "kt/run/offset_tracker.hpp"
#include "kt/run/stats.hpp"
#include "kt/run/transform.hpp"

namespace kt {

enum class ErrorPolicy { kFail, kSkip, kDlq };
Result<ErrorPolicy> ParseErrorPolicy(const std::string& text);

struct RunnerOptions {
  std::string tool;                 // for messages
  int64_t max_records = -1;         // -n: stop after this many input records
  ErrorPolicy on_error = ErrorPolicy::kFail;
  std::string dlq_topic;
  const SchemaValidator* schema = nullptr;
  Codec value_codec;                // decides how values are parsed for the Transform
  bool quiet = false;
  bool verbose = false;
  bool progress = false;            // a progress line on stderr (when it is a TTY)
  bool stats_json = false;          // --stats json: the summary as one JSON line (even with -q)
  int64_t commit_interval_ms = 5000;  // --commit-interval; a Transform may ask sooner (WantsCommit)
  int flush_timeout_ms = 60000;
};

class Runner : private RebalanceListener, private DeliveryListener, private Emitter {
 public:
  // `kafka` receives dead letters and internal records (changelogs); it may be null (no --dlq,
  // no state) or the same object as `sink` when the output is Kafka. `txn` (exactly-once) makes
  // every commit a transaction of `sink`; null: at-least-once. Nothing is owned.
  Runner(RunnerOptions options, Source* source, Sink* sink, Sink* kafka, Transform* transform,
         Transactions* txn = nullptr);
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Runs to the end of input, -n, a signal, a closed stdout or a failure. Returns the exit code.
  int Run();
  const Stats& stats() const { return stats_; }

 private:
  enum class Outcome { kContinue, kStop };

  bool Loop();
  Outcome ProcessOne(Record& rec, const Status& record_status);
  Status Decode(const Record& rec, rapidjson::Document** value);
  Outcome HandleBad(const Record& rec, OffsetTracker::Entry* entry, const Status& error);
  void SendDeadLetter(const Record& rec, OffsetTracker::Entry* entry, const Status& error);
  // The commit barrier (see above). Returns non-ok when the tool must stop.
  Status Commit();
  Status CommitOffsets(const std::vector<TopicPartitionOffset>& offsets);
  // Exactly-once: rolls the open transaction back and starts again from the last commit.
  void Rewind(const Status& why);
  // A fatal error: kept (the first one wins); Fail also returns it.
  void SetFatal(const Status& s);
  Status Fail(const Status& s);
  void Tick(int64_t now);
  void RestoreSome(int budget_ms);
  void Progress(bool final);
  Status FlushSinks();
  std::vector<TopicPartitionOffset> ChangelogAcked() const;
  std::vector<int32_t> Tasks() const;
  std::vector<TopicPartition> PartitionsOf(const std::vector<int32_t>& tasks) const;
  std::vector<int32_t> TasksLeaving(const std::vector<TopicPartition>& partitions) const;

  // RebalanceListener
  void OnAssigned(const std::vector<TopicPartition>& partitions) override;
  void OnRevoking(const std::vector<TopicPartition>& partitions) override;
  void OnLost(const std::vector<TopicPartition>& partitions) override;
  // DeliveryListener
  void OnDelivered(void* token, const Status& status, const Delivered& where) override;
  // Emitter
  void Emit(const OutRecord& out) override;
  void* Hold() override;
  void EmitHeld(const OutRecord& out, const std::vector<void*>& holds) override;
  void Drop(const std::vector<void*>& holds) override;

  RunnerOptions opt_;
  Source* source_;
  Sink* sink_;
  Sink* dlq_;
  Transform* transform_;
  Transactions* txn_;
  OffsetTracker tracker_;
  ValueParser parser_;
  Stats stats_;
  OffsetTracker::Entry* current_ = nullptr;  // the record being processed; null in Finish
  Status emit_error_;                        // first Emit failure for the current record
  Status fatal_;                             // failed delivery, state write or Kafka error: exit 1
  Status data_error_;                        // bad record under --on-error fail: exit 3
  Status commit_error_;                      // the last offset commit failed (retried next time)
  std::set<TopicPartition> assigned_;
  std::set<int32_t> restoring_;  // tasks (partition numbers) whose state restores
  // Last acknowledged offset of each internal (changelog) topic partition since the last commit.
  std::map<std::pair<std::string, int32_t>, int64_t> internal_acked_;
  // Outputs sent on behalf of held records (EmitHeld), each the delivery token of one output.
  std::set<std::vector<OffsetTracker::Entry*>*> held_outputs_;
  bool aborting_ = false;                    // delivery reports of an aborted transaction
  bool rewound_ = false;                     // a transaction aborted: its input is read again
  bool work_since_commit_ = false;           // records processed or outputs sent since the last commit
  int64_t last_commit_ms_ = 0;
  int64_t last_progress_ms_ = 0;
  int64_t last_restore_ms_ = 0;
  int64_t bad_reported_ = 0;
};

}  // namespace kt
