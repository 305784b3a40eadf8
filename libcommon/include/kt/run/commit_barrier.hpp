// The commit barrier (ARCHITECTURE.md, principle 3): what a run did since its last commit
// becomes durable in this order, every commit (periodic, before partitions are revoked, at the
// end, after a signal):
//   1. every output and dead letter sent so far is acknowledged,
//   2. the Transform writes its state (store writes staged, changelog records sent) and those
//      records are acknowledged,
//   3. the input offsets of records whose outputs were all acknowledged are committed: with
//      exactly-once (and for a stateful tool's changelog, app/run_tool.cpp) in the transaction,
//      which then commits; otherwise as the consumer group's offsets. They count as committed
//      only when the broker says so,
//   4. the Transform persists its state: the staged store writes, with each changelog
//      partition's last acknowledged offset as its checkpoint.
// A failure in 1-3 stops the chain: nothing later happens, and no offset is ever committed past
// a lost output or an unsaved state (the run then recovers or stops: run/runner.hpp). A failed
// group offset commit (3, at-least-once) is kept as commit_error(): the state is not persisted
// (a copy that lost its partitions must not persist what it wrote after the group moved on),
// and both are done again at the next commit.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "kt/io/sink.hpp"
#include "kt/io/source.hpp"
#include "kt/io/transactions.hpp"
#include "kt/run/offset_tracker.hpp"
#include "kt/run/transform.hpp"

namespace kt {

class CommitBarrier {
 public:
  struct Parts {
    std::string tool;  // for warnings
    bool quiet = false;
    int flush_timeout_ms = 60000;
    Source* source = nullptr;
    std::vector<Sink*> sinks;  // every distinct sink of the run
    Transform* transform = nullptr;
    Transactions* txn = nullptr;  // null: at-least-once
    OffsetTracker* tracker = nullptr;
  };
  // `fatal` is the run's first fatal error, which delivery reports set while the barrier waits
  // for them: the barrier stops as soon as it is not ok. Nothing is owned.
  CommitBarrier(Parts parts, const Status& fatal) : p_(std::move(parts)), fatal_(fatal) {}

  // Runs the barrier; the Transform's state writes go out through `out`. Returns ok; Aborted
  // when the transaction was rolled back (the caller reads again from the last commit); or the
  // error that stopped the chain.
  Status Run(Emitter& out);

  // An internal (changelog) record was acknowledged at `where`: its offset is a checkpoint at
  // the next step 4.
  void InternalAcked(const Delivered& where);
  // Forgets the acknowledgements since the last commit (an aborted transaction).
  void Reset() { internal_acked_.clear(); }
  // Waits until every sink acknowledged or failed what it was sent.
  Status FlushSinks();
  // ok, or why the last offset commit failed.
  const Status& commit_error() const { return commit_error_; }

 private:
  Status CommitOffsets(const std::vector<TopicPartitionOffset>& offsets);
  std::vector<TopicPartitionOffset> ChangelogAcked() const;

  Parts p_;
  const Status& fatal_;
  Status commit_error_;
  // Last acknowledged offset of each internal (changelog) topic partition since the last commit.
  std::map<std::pair<std::string, int32_t>, int64_t> internal_acked_;
};

}  // namespace kt
