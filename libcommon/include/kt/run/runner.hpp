// The Runner: the loop every tool runs. It reads from a Source, decodes and validates values,
// hands records to the Transform, sends outputs to the Sink, applies the bad-record policy,
// tracks offsets and commits them, reacts to rebalances and signals, and reports stats.
//
// Commit contract (at-least-once): an input offset is committed only after the record and all
// records before it in its partition were processed and every output they caused (records,
// dead letters) was acknowledged by the sink. Commits happen every commit interval (async),
// before partitions are revoked (sync), and at the end (sync).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kt/codec/codec.hpp"
#include "kt/run/offset_tracker.hpp"
#include "kt/codec/schema.hpp"
#include "kt/io/sink.hpp"
#include "kt/io/source.hpp"
#include "kt/run/stats.hpp"
#include "kt/run/transform.hpp"
#include "kt/codec/value_parser.hpp"

namespace kt {

enum class ErrorPolicy { kFail, kSkip, kDlq };
Result<ErrorPolicy> ParseErrorPolicy(const std::string& text);

struct RunnerOptions {
  std::string tool;                 // for messages
  std::string input_topic;          // Kafka input topic ("" for stdin)
  int64_t max_records = -1;         // -n: stop after this many input records
  ErrorPolicy on_error = ErrorPolicy::kFail;
  std::string dlq_topic;
  const SchemaValidator* schema = nullptr;
  Codec value_codec;                // decides how values are parsed for the Transform
  bool quiet = false;
  bool verbose = false;
  bool progress = false;            // a progress line on stderr (when it is a TTY)
  int64_t commit_interval_ms = 5000;  // --commit-interval; a Transform may ask sooner (WantsCommit)
  int flush_timeout_ms = 60000;
};

class Runner : private RebalanceListener, private DeliveryListener, private Emitter {
 public:
  // `kafka` receives dead letters and internal records (changelogs); it may be null (no --dlq,
  // no state) or the same object as `sink` when the output is Kafka. Nothing is owned.
  Runner(RunnerOptions options, Source* source, Sink* sink, Sink* kafka, Transform* transform);
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Runs to the end of input, -n, a signal, a closed stdout or a failure. Returns the exit code.
  int Run();
  const Stats& stats() const { return stats_; }

 private:
  enum class Outcome { kContinue, kStop };

  Outcome ProcessOne(Record& rec, const Status& record_status);
  Outcome HandleBad(const Record& rec, OffsetTracker::Entry* entry, const Status& error);
  void SendDeadLetter(const Record& rec, OffsetTracker::Entry* entry, const Status& error);
  void Commit(bool sync);
  void BeforeCommit();
  void Idle();
  void Progress(bool final);
  Status FlushSinks();

  // RebalanceListener
  void OnAssigned(const std::vector<int32_t>& partitions) override;
  void OnRevoking(const std::vector<int32_t>& partitions) override;
  // DeliveryListener
  void OnDelivered(void* token, const Status& status) override;
  // Emitter
  void Emit(const OutRecord& out) override;

  RunnerOptions opt_;
  Source* source_;
  Sink* sink_;
  Sink* dlq_;
  Transform* transform_;
  OffsetTracker tracker_;
  ValueParser parser_;
  Stats stats_;
  OffsetTracker::Entry* current_ = nullptr;  // the record being processed; null in Finish
  Status emit_error_;                        // first Emit failure for the current record
  Status fatal_;                             // failed delivery or Kafka error: exit 1
  Status data_error_;                        // bad record under --on-error fail: exit 3
  int64_t last_commit_ms_ = 0;
  int64_t last_progress_ms_ = 0;
  int64_t bad_reported_ = 0;
  int64_t internal_emitted_ = 0;  // internal records sent (BeforeCommit's changelog writes)
};

}  // namespace kt
