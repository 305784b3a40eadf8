// The Runner: the loop every tool runs. It reads from a Source, decodes and validates values,
// hands records to the Transform, sends outputs to the Sink, applies the bad-record policy,
// tracks offsets and commits them, restores state, reacts to rebalances and signals, and
// reports stats.
//
// Every commit goes through the commit barrier (run/commit_barrier.hpp): outputs and dead
// letters acknowledged, state written and acknowledged, (exactly-once) the transaction
// committed, state persisted, (at-least-once) input offsets committed. A failure before the
// offsets stops the tool with exit 1: no offset is committed past a lost output or an unsaved
// state. With exactly-once, an aborted transaction drops the state of every partition back to
// the last commit (restored again from the changelog) and reads the input again from the last
// committed offsets.
//
// Partitions whose state must be restored stay paused while the Transform restores them, a
// slice at a time between polls of the input; partitions lost to the group are forgotten
// without a commit.
//
// Recovery (run/recovery.cpp): a failure the run can redo its work after (Status::
// IsRecoverable: an aborted transaction, Kafka unavailable, a fenced producer) drops the work
// since the last commit (the transaction aborted, the state of every task rolled back), then,
// once Kafka answers, renews a fenced producer, reads the input again from the last committed
// offsets and restores the state; retried with one log line per attempt until --task-timeout.
// A run that cannot read its input again (stdin, a file) fails instead.
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
#include "kt/core/log.hpp"
#include "kt/io/sink.hpp"
#include "kt/io/source.hpp"
#include "kt/io/transactions.hpp"
#include "kt/run/commit_barrier.hpp"
#include "kt/run/dead_letters.hpp"
#include "kt/run/field_watch.hpp"
#include "kt/run/offset_tracker.hpp"
#include "kt/run/stats.hpp"
#include "kt/run/transform.hpp"

namespace kt {

enum class ErrorPolicy { kFail, kSkip, kDlq };
Result<ErrorPolicy> ParseErrorPolicy(const std::string& text);

struct RunnerOptions {
  std::string tool;          // for messages
  int64_t max_records = -1;  // -n: stop after this many input records
  ErrorPolicy on_error = ErrorPolicy::kFail;
  std::string dlq_topic;
  const SchemaValidator* schema = nullptr;
  Codec value_codec;  // decides how values are parsed for the Transform
  bool quiet = false;
  bool verbose = false;
  bool progress = false;              // a progress line on stderr (when it is a TTY)
  bool stats_json = false;            // --stats json: the summary as one JSON line (even with -q)
  int64_t commit_interval_ms = 5000;  // --commit-interval; a Transform may ask sooner (WantsCommit)
  // --task-timeout: how long the run keeps trying to recover from a broker outage or a fenced
  // producer (Kafka Streams' task.timeout.ms) before it gives up (exit 1).
  int64_t task_timeout_ms = 300000;
  int flush_timeout_ms = 60000;
  std::string output = "-";  // -o, for --http's metrics ("" when records name their topics)
  std::string group;         // the consumer group of a Kafka input; "" none
  std::string input;         // the (first) input topic; "" stdin or a file
};

// Where a run's records go. `output` is -o: a topic or stdout. `internal` takes the Transform's
// internal records (changelogs): a Kafka producer, required when the Transform writes them
// (Transform::WritesInternal). `dead_letters` takes --on-error dlq's records: a Kafka producer,
// required for that policy. Any two may be one object (a Kafka output takes all three).
struct RunnerSinks {
  Sink* output = nullptr;
  Sink* internal = nullptr;
  Sink* dead_letters = nullptr;
};

class Runner : private RebalanceListener, private DeliveryListener, private Emitter {
 public:
  // Checks that the sinks serve what the Transform and the options need (InvalidArgument
  // otherwise). `txn` (exactly-once) makes every commit a transaction of the output; null:
  // at-least-once. Nothing is owned; everything must outlive the Runner.
  static Result<std::unique_ptr<Runner>> Create(RunnerOptions options, Source* source, RunnerSinks sinks,
                                                Transform* transform, Transactions* txn = nullptr);
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;
  ~Runner() override;

  // Runs to the end of input, -n, a signal, a closed stdout or a failure. Returns the exit code.
  int Run();
  const Stats& stats() const { return stats_; }

 private:
  enum class Outcome { kContinue, kStop };
  // One output sent on behalf of held records (EmitHeld): its delivery releases them.
  struct HeldOutput : DeliveryToken {
    HeldOutput() : DeliveryToken(Kind::kHeld) {}
    std::vector<OffsetTracker::Entry*> records;
  };

  Runner(RunnerOptions options, Source* source, RunnerSinks sinks, Transform* transform, Transactions* txn);
  bool Loop();
  Outcome ProcessOne(Record& rec, const Status& record_status);
  Status Decode(const Record& rec, rapidjson::Document** value);
  Outcome HandleBad(const Record& rec, OffsetTracker::Entry* entry, const Status& error);
  void SendDeadLetter(const Record& rec, OffsetTracker::Entry* entry, const Status& error);
  // Runs the commit barrier. Returns non-ok when the tool must stop.
  Status Commit();
  // Starts a recovery from `why` (see above), or, when the run cannot recover, fails with it.
  void RequestRecovery(const Status& why);
  // One attempt at the recovery; it ends (recovery_ ok) once every step succeeded.
  void TryRecover();
  bool CanRecover() const;
  // A fatal error: kept (the first one wins); Fail also returns it. A recoverable one starts a
  // recovery instead, where the run can recover.
  void SetFatal(const Status& s);
  Status Fail(const Status& s);
  void Tick(int64_t now);
  void RestoreSome(int budget_ms);
  void Progress(bool final);
  // --http (run/monitor.hpp): this run's counters for the monitor, and its state queries answered.
  PartitionCounters& CountersOf(const Record& rec);
  void Publish(bool final);
  void ServeMonitor(int64_t now);
  std::vector<int32_t> Tasks() const;
  std::vector<TopicPartition> PartitionsOf(const std::vector<int32_t>& tasks) const;
  std::vector<int32_t> TasksLeaving(const std::vector<TopicPartition>& partitions) const;
  // The tasks of `partitions` not assigned yet (in their order, once each).
  std::vector<int32_t> TasksAdded(const std::vector<TopicPartition>& partitions) const;

  // RebalanceListener
  void OnAssigning(const std::vector<TopicPartition>& partitions) override;
  void OnAssigned(const std::vector<TopicPartition>& partitions) override;
  void OnRevoking(const std::vector<TopicPartition>& partitions) override;
  void OnLost(const std::vector<TopicPartition>& partitions) override;
  // DeliveryListener
  void OnDelivered(DeliveryToken* token, const Status& status, const Delivered& where) override;
  // Emitter
  void Emit(const OutRecord& out) override;
  Hold HoldRecord() override;
  void EmitHeld(const OutRecord& out, const std::vector<Hold>& holds) override;
  void Drop(const std::vector<Hold>& holds) override;

  RunnerOptions opt_;
  Source* source_;
  RunnerSinks sinks_;
  std::vector<Sink*> distinct_sinks_;  // each sink once
  Transform* transform_;
  Transactions* txn_;
  OffsetTracker tracker_;
  bool value_is_json_ = false;  // the value Decode parsed last is JSON (not a string of its bytes)
  ValueParser parser_;
  // Whether the transform reads record values (as documents), and whether the source builds
  // them in parser_ itself as it decodes (avro, protobuf: Source::BuildValueDocuments).
  bool ReadsValues() const { return transform_->WantsValue() || opt_.schema || transform_->ReadsFields(); }
  bool value_documents_ = false;
  DocumentTarget document_target_;
  Stats stats_;
  FieldWatch fields_;  // the fields the Transform names that no record had so far
  std::unique_ptr<DeadLetterWriter> dead_letters_;  // --on-error dlq
  std::unique_ptr<CommitBarrier> barrier_;
  DeliveryToken internal_token_{DeliveryToken::Kind::kInternal};
  // Outputs on behalf of held records, until their delivery reports (owned here, so that one a
  // closed stdout never reports is freed too).
  std::map<HeldOutput*, std::unique_ptr<HeldOutput>> held_outputs_;
  OffsetTracker::Entry* current_ = nullptr;  // the record being processed; null in Finish
  Status emit_error_;                        // first Emit failure for the current record
  Status fatal_;                             // failed delivery, state write or Kafka error: exit 1
  Status fault_;     // the first fatal or recoverable failure since the last commit: stops the barrier
  Status recovery_;  // why the run is recovering; ok when it is not
  int64_t recovery_since_ms_ = 0, next_recovery_ms_ = 0;
  bool recovery_dropped_ = false;  // the work since the last commit is dropped
  int64_t recoveries_ = 0;         // recoveries started
  bool renew_producer_ = false;    // the producer was fenced, or its transaction could not be aborted
  Status data_error_;              // bad record under --on-error fail: exit 3
  LogWhere data_error_where_;      // its record (its topic in data_error_topic_)
  std::string data_error_topic_;
  std::set<TopicPartition> assigned_;
  std::set<int32_t> restoring_;     // tasks (partition numbers) whose state restores
  bool aborting_ = false;           // delivery reports of an aborted transaction
  bool renewing_ = false;           // the producer is replaced: its reports are of dropped work
  bool work_since_commit_ = false;  // records processed or outputs sent since the last commit
  int64_t last_commit_ms_ = 0;
  int64_t last_progress_ms_ = 0;
  int64_t last_restore_ms_ = 0;
  int64_t last_maintain_ms_ = 0;
  int64_t bad_reported_ = 0;
  // --http: -1 when no monitor runs.
  int monitor_id_ = -1;
  int64_t last_publish_ms_ = 0;
  std::map<TopicPartition, PartitionCounters> partition_counters_;
  PartitionCounters* last_counters_ = nullptr;  // the partition of the previous record
  TopicPartition last_partition_{"", -2};
  int64_t commits_ = 0, commit_failures_ = 0, rebalances_ = 0;
  double commit_seconds_ = 0;
  bool assigned_once_ = false;
};

}  // namespace kt
