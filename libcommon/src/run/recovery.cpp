// The Runner's recovery (run/runner.hpp): after an aborted transaction, a broker outage or a
// fenced producer, the work since the last commit is dropped and done again.
#include "kt/core/log.hpp"
#include "kt/core/time.hpp"
#include "kt/run/runner.hpp"

namespace kt {

namespace {
constexpr int64_t kRetryMs = 1000;  // between attempts while Kafka does not answer
}  // namespace

bool Runner::CanRecover() const { return source_->Commits(); }

void Runner::RequestRecovery(const Status& why) {
  if (!fatal_.ok()) return;
  if (fault_.ok()) fault_ = why;
  if (why.IsFenced()) renew_producer_ = true;
  if (recovery_.ok()) {
    ++recoveries_;
    recovery_ = why;
    recovery_since_ms_ = NowMs();
    recovery_dropped_ = false;
    if (!opt_.quiet)
      LogWarning(opt_.tool, why.message() + ": doing the work since the last commit again" +
                                (why.IsFenced() ? ", with a new producer" : ""));
  }
  // Not here: a request comes from inside a delivery report (whose batch still holds reports
  // for records the recovery would forget) or a rebalance callback. The Loop recovers first
  // thing, before it reads another record; commits wait meanwhile (Commit).
  next_recovery_ms_ = 0;
}

void Runner::TryRecover() {
  int64_t now = NowMs();
  next_recovery_ms_ = now + kRetryMs;
  auto retry = [&](const Status& s) {
    if (now - recovery_since_ms_ >= opt_.task_timeout_ms) {
      if (fatal_.ok())
        fatal_ = s.WithContext("gave up after " + FormatDuration(opt_.task_timeout_ms) +
                               " of recovery (--task-timeout)");
      return;
    }
    if (!opt_.quiet) LogWarning(opt_.tool, "recovering, retried in 1s: " + s.message());
  };
  // 1. Drop the work since the last commit: nothing of it may be committed or written now.
  if (!recovery_dropped_) {
    aborting_ = true;
    if (txn_ && !renew_producer_) {
      // A transaction that cannot be aborted now is aborted by the next producer's init.
      if (Status a = txn_->Abort(); !a.ok()) renew_producer_ = true;
    }
    for (Sink* s : distinct_sinks_) s->Purge();
    aborting_ = false;
    barrier_->Reset();
    transform_->OnLost(Tasks());
    tracker_.Clear();
    restoring_.clear();
    work_since_commit_ = false;
    recovery_dropped_ = true;
  }
  // 2. A new producer in place of a fenced one (its init aborts what the old one left open).
  if (renew_producer_ && txn_) {
    // A producer in a fatal state may still hold records of the work dropped above: they are
    // reported (purged) as it is destroyed, and their tokens are gone. They settle nothing.
    renewing_ = true;
    Status r = txn_->Renew();
    renewing_ = false;
    if (!r.ok()) return retry(r);
    renew_producer_ = false;
  }
  // 3. Read again from the last committed offsets; restore the state of every task.
  if (Status s = source_->Rewind(); !s.ok()) return retry(s);
  if (txn_) {
    if (Status b = txn_->Begin(); !b.ok()) {
      if (b.IsFenced()) renew_producer_ = true;
      return retry(b);
    }
  }
  std::vector<TopicPartition> tps(assigned_.begin(), assigned_.end());
  assigned_.clear();
  fault_ = Status::Ok();
  Status why = recovery_;
  recovery_ = Status::Ok();
  OnAssigned(tps);
  if (!opt_.quiet && NowMs() - recovery_since_ms_ >= kRetryMs)
    LogInfo(opt_.tool,
            "recovered after " + FormatDuration(NowMs() - recovery_since_ms_) + " (" + why.message() + ")");
}

}  // namespace kt
