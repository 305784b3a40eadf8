// The commit barrier with fault injection: outputs, state writes and state persistence that
// fail, offset commits that fail, lost partitions, restoring partitions, aborted transactions.
// Every failure on the path to a commit must stop the commit (no offset past unsaved work).
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "fakes.hpp"
#include "kt/run/runner.hpp"

namespace {

using fakes::FakeSink;
using fakes::FakeSource;
using fakes::FakeTransactions;
using fakes::Records;

// Every one of the 400 records' outputs committed exactly once, and both partitions committed
// to their end (200 records each).
void CheckEachOutputCommittedOnce(const FakeTransactions& txn, FakeSource& src) {
  std::multiset<std::string> outputs;
  for (auto& v : txn.committed_values)
    if (v[0] == 'v') outputs.insert(v);
  CHECK(outputs.size() == 400);
  CHECK(std::set<std::string>(outputs.begin(), outputs.end()).size() == 400);
  CHECK(src.committed[0] == 200);
  CHECK(src.committed[1] == 200);
}

// One output per record; its "state" is the records processed per partition, written at each
// commit as one internal (changelog) record per partition, persisted when the Runner says.
class StateProbe : public kt::Transform {
 public:
  bool WantsValue() const override { return false; }
  bool HasState() const override { return true; }
  kt::Status Process(kt::Input& in, kt::Emitter& out) override {
    if (in.record.value == "bad") return kt::Status::DataError("bad value");
    out.Emit(kt::OutRecord::From(in.record));
    int64_t& last = processed_[in.record.partition];
    last = std::max(last, in.record.offset);
    return kt::Status::Ok();
  }
  kt::Status WriteState(kt::Emitter& out) override {
    written_ = processed_;
    for (auto& [p, last] : processed_) {
      std::string v = std::to_string(last);
      kt::OutRecord c;
      c.internal = c.wire = true;
      c.topic = "cl";
      c.partition = p;
      c.value_kind = kt::OutRecord::ValueKind::kText;
      c.value_text = v;
      out.Emit(c);
    }
    return kt::Status::Ok();
  }
  kt::Status PersistState(const std::vector<kt::TopicPartitionOffset>& acked) override {
    ++persist_calls;
    if (fail_persist) return kt::Status::IoError("state store: No space left on device");
    for (auto& [p, last] : written_) persisted[p] = last;
    for (auto& a : acked) checkpoints[a.partition] = a.offset;
    return kt::Status::Ok();
  }
  kt::Result<std::vector<int32_t>> OnAssigned(const std::vector<int32_t>& ps) override {
    std::vector<int32_t> restoring;
    for (int32_t p : ps)
      if (restore_partition == p) restoring.push_back(p);
    return restoring;
  }
  kt::Status Restore(int, std::vector<int32_t>* ready) override {
    if (++restore_calls == 3) ready->push_back(restore_partition);
    return kt::Status::Ok();
  }
  kt::Status OnRevoked(const std::vector<int32_t>& ps) override {
    revoked.insert(ps.begin(), ps.end());
    return kt::Status::Ok();
  }
  void OnLost(const std::vector<int32_t>& ps) override {
    for (int32_t p : ps) {
      lost.insert(p);
      processed_.erase(p);  // back to the last commit
      written_.erase(p);
    }
  }

  bool fail_persist = false;
  int persist_calls = 0;
  int32_t restore_partition = -2;
  int restore_calls = 0;
  std::map<int32_t, int64_t> persisted;    // partition -> last offset whose state is persisted
  std::map<int32_t, int64_t> checkpoints;  // partition -> last changelog offset persisted with it
  std::set<int32_t> revoked, lost;

 private:
  std::map<int32_t, int64_t> processed_, written_;
};

kt::RunnerOptions Opts() {
  kt::RunnerOptions o;
  o.tool = "test";
  o.quiet = true;
  o.commit_interval_ms = 0;  // commit whenever the runner gets a chance
  return o;
}

// Every committed offset's records have their state persisted.
void CheckStateCoversCommits(const FakeSource& src, const StateProbe& t) {
  for (auto& [p, next] : src.committed) {
    INFO("partition " << p << " committed up to " << next);
    auto it = t.persisted.find(p);
    REQUIRE(it != t.persisted.end());
    CHECK(it->second + 1 >= next);
  }
}

}  // namespace

TEST_CASE("commits take offsets only after outputs and state writes are acknowledged and persisted") {
  FakeSource src(Records(1000));
  FakeSink sink;
  src.sink = &sink;
  StateProbe t;
  auto r = fakes::MakeRunner(Opts(), &src, {&sink, &sink, &sink}, &t);
  CHECK(r->Run() == 0);
  CHECK(src.violations == 0);
  CHECK(src.committed[0] == 500);
  CHECK(src.committed[1] == 500);
  CheckStateCoversCommits(src, t);
  CHECK(t.checkpoints.size() == 2);  // the changelog offsets persisted with the state
  CHECK(t.revoked == std::set<int32_t>{0, 1});
}

TEST_CASE("a failed output: exit 1, and no offset is committed past it or past unsaved state") {
  FakeSource src(Records(200));
  FakeSink sink;
  src.sink = &sink;
  sink.fail_delivery = std::make_pair(0, 50);
  StateProbe t;
  auto r = fakes::MakeRunner(Opts(), &src, {&sink, &sink, &sink}, &t);
  CHECK(r->Run() == 1);
  CHECK((src.committed.count(0) == 0 || src.committed.at(0) <= 50));
  CHECK(src.violations == 0);
  CheckStateCoversCommits(src, t);
  // The summary says so: "N in, M out (1 delivery failed)".
  CHECK(r->stats().delivery_errors == 1);
  CHECK(r->stats().Summary("t", r->stats().start_ms).find(" out (1 delivery failed), ") != std::string::npos);
  CHECK(t.revoked.empty());  // closed without a commit: dropped, not checkpointed
  CHECK(t.lost == std::set<int32_t>{0, 1});
}

TEST_CASE("a state write the sink refuses (outside Process) is fatal, not lost") {
  FakeSource src(Records(100));
  FakeSink sink;
  src.sink = &sink;
  sink.fail_send_topic = "cl";
  StateProbe t;
  auto r = fakes::MakeRunner(Opts(), &src, {&sink, &sink, &sink}, &t);
  CHECK(r->Run() == 1);
  CHECK(src.committed.empty());
  CHECK(t.persisted.empty());
}

TEST_CASE("a state write that is not acknowledged: nothing is persisted or committed") {
  FakeSource src(Records(100));
  FakeSink sink;
  src.sink = &sink;
  sink.fail_internal_delivery = true;
  StateProbe t;
  auto r = fakes::MakeRunner(Opts(), &src, {&sink, &sink, &sink}, &t);
  CHECK(r->Run() == 1);
  CHECK(src.committed.empty());
  CHECK(t.persisted.empty());
}

TEST_CASE("state that cannot be persisted (a full disk): exit 1; what was committed is in the changelog") {
  FakeSource src(Records(100));
  FakeSink sink;
  src.sink = &sink;
  StateProbe t;
  t.fail_persist = true;
  auto r = fakes::MakeRunner(Opts(), &src, {&sink, &sink, &sink}, &t);
  CHECK(r->Run() == 1);
  CHECK(t.persisted.empty());
  // At-least-once commits offsets before local state persists: every committed offset's state
  // was written to the changelog and acknowledged, so a restart restores it from there.
  for (auto& [p, next] : src.committed) {
    bool logged = false;
    for (auto& s : sink.sent)
      if (s.internal && s.acked && !s.purged && s.partition == p && std::stoll(s.value) + 1 >= next)
        logged = true;
    CHECK(logged);
  }
}

TEST_CASE("at-least-once: a refused offset commit leaves the state unpersisted until a commit goes through") {
  FakeSource src(Records(200));
  FakeSink sink;
  src.sink = &sink;
  src.fail_commits = 1;
  StateProbe t;
  auto o = Opts();
  o.commit_interval_ms = 1'000'000;  // one commit at the end (refused), then the final one
  auto r = fakes::MakeRunner(o, &src, {&sink, &sink, &sink}, &t);
  CHECK(r->Run() == 0);  // the end's commit is refused, the one at the revocation goes through
  CHECK(src.commit_calls == 2);
  CHECK(t.persist_calls == 1);  // only after the commit that went through
  CHECK(src.committed[0] == 100);
  CHECK(src.committed[1] == 100);
  CheckStateCoversCommits(src, t);
}

TEST_CASE("a failed offset commit is retried at the next commit; a failed final commit exits 1") {
  FakeSink sink;
  StateProbe t;
  SECTION("the next commit succeeds") {
    FakeSource src(Records(1000));
    src.sink = &sink;
    src.fail_commits = 1;
    auto r = fakes::MakeRunner(Opts(), &src, {&sink, &sink, &sink}, &t);
    CHECK(r->Run() == 0);
    CHECK(src.committed[0] == 500);
    CHECK(src.committed[1] == 500);
  }
  SECTION("no commit ever succeeds") {
    FakeSource src(Records(100));
    src.sink = &sink;
    src.fail_commits = 1'000'000;
    auto r = fakes::MakeRunner(Opts(), &src, {&sink, &sink, &sink}, &t);
    CHECK(r->Run() == 1);
    CHECK(src.committed.empty());
  }
}

TEST_CASE("a lost partition is dropped without a commit; the others go on") {
  FakeSource src(Records(200));
  FakeSink sink;
  src.sink = &sink;
  src.lose_partition_1_after = 40;
  StateProbe t;
  auto r = fakes::MakeRunner(Opts(), &src, {&sink, &sink, &sink}, &t);
  CHECK(r->Run() == 0);
  CHECK(t.lost == std::set<int32_t>{1});
  CHECK(src.committed[0] == 100);
  CHECK((src.committed.count(1) == 0 || src.committed.at(1) <= 20));  // nothing of partition 1 after the loss
  CheckStateCoversCommits(src, t);
}

TEST_CASE("a restoring partition stays paused until its state is ready; the others are processed meanwhile") {
  FakeSource src(Records(100));
  FakeSink sink;
  src.sink = &sink;
  StateProbe t;
  t.restore_partition = 1;
  auto r = fakes::MakeRunner(Opts(), &src, {&sink, &sink, &sink}, &t);
  CHECK(r->Run() == 0);
  CHECK(t.restore_calls == 3);
  CHECK(src.records_of_paused == 0);
  CHECK(src.paused.empty());
  CHECK(src.committed[0] == 50);
  CHECK(src.committed[1] == 50);
}

TEST_CASE("exactly-once: an aborted transaction is rolled back and its records read again") {
  FakeSource src(Records(400));
  FakeSink sink;
  src.sink = &sink;
  FakeTransactions txn(&src, &sink);
  txn.abort_commits = 2;
  StateProbe t;
  auto o = Opts();
  o.commit_interval_ms = 1'000'000;  // commits: only WantsCommit / the end, so aborts hit big batches
  auto r = fakes::MakeRunner(o, &src, {&sink, &sink, &sink}, &t, &txn);
  // The first two commits (the end of input) abort; the rewind reads everything again.
  CHECK(r->Run() == 0);
  CHECK(txn.aborts == 2);
  CHECK(src.rewinds == 2);
  CHECK(t.lost == std::set<int32_t>{0, 1});
  // Every input made exactly one committed output.
  CheckEachOutputCommittedOnce(txn, src);
}

TEST_CASE("exactly-once: a bad record under --on-error fail rolls the open transaction back") {
  auto recs = Records(10);
  recs[6].value = "bad";
  FakeSource src(recs);
  FakeSink sink;
  src.sink = &sink;
  FakeTransactions txn(&src, &sink);
  StateProbe t;
  auto o = Opts();
  o.commit_interval_ms = 1'000'000;
  auto r = fakes::MakeRunner(o, &src, {&sink, &sink, &sink}, &t, &txn);
  CHECK(r->Run() == 3);
  CHECK(txn.aborts == 1);
  CHECK(txn.commits == 0);
  CHECK(src.committed.empty());
}

TEST_CASE(
    "a broker outage (a delivery that timed out) is recovered: the work since the last commit is done "
    "again") {
  FakeSource src(Records(200));
  FakeSink sink;
  src.sink = &sink;
  sink.fail_delivery = std::make_pair(0, 50);
  sink.fail_deliveries_left = 1;
  sink.delivery_error = kt::Status::Unavailable("out: Local: Message timed out");
  StateProbe t;
  auto r = fakes::MakeRunner(Opts(), &src, {&sink, &sink, &sink}, &t);
  CHECK(r->Run() == 0);
  CHECK(src.rewinds == 1);
  CHECK(r->stats().delivery_errors == 0);    // sent again: nothing is lost
  CHECK(t.lost == std::set<int32_t>{0, 1});  // the state since the last commit is rolled back
  CHECK(src.committed[0] == 100);
  CHECK(src.committed[1] == 100);
  CHECK(src.violations == 0);
  std::set<std::string> written;
  for (auto& s : sink.sent)
    if (!s.internal && s.acked && !s.purged) written.insert(s.value);
  CHECK(written.size() == 200);  // every record's output, some twice (at-least-once)
  CheckStateCoversCommits(src, t);
}

// Fenced at a commit (every record acknowledged), or fatal at a send with records in flight:
// those come back purged as the old producer is destroyed, after the recovery dropped the work
// they belonged to (the audit's broker restart under --exactly-once: the chain's kgroupby died
// of SIGSEGV on such late reports).
TEST_CASE("exactly-once: a fenced producer is replaced and the run goes on, every output once") {
  FakeSource src(Records(400));
  FakeSink sink;
  src.sink = &sink;
  FakeTransactions txn(&src, &sink);
  bool in_flight = GENERATE(false, true);
  if (in_flight)
    sink.fatal_at_send = 150;
  else
    txn.fence_commits = 1;
  StateProbe t;
  auto o = Opts();
  o.commit_interval_ms = 1'000'000;
  auto r = fakes::MakeRunner(o, &src, {&sink, &sink, &sink}, &t, &txn);
  CHECK(r->Run() == 0);
  CHECK(txn.renews == 1);
  CheckEachOutputCommittedOnce(txn, src);
}

// The audit's zombie: a copy resumed after SIGSTOP commits in its rebalance callback, finds its
// producer fenced, and the same poll hands it a record; writing it (no transaction open) was exit 1.
TEST_CASE("exactly-once: a producer fenced in a rebalance's commit: nothing is written before the recovery") {
  FakeSource src(Records(400));
  src.rebalance_after = 101;
  FakeSink sink;
  src.sink = &sink;
  FakeTransactions txn(&src, &sink);
  txn.fence_commits = 1;
  StateProbe t;
  auto o = Opts();
  o.commit_interval_ms = 1'000'000;
  auto r = fakes::MakeRunner(o, &src, {&sink, &sink, &sink}, &t, &txn);
  CHECK(r->Run() == 0);
  CHECK(txn.renews == 1);
  CHECK(src.rewinds == 1);
  CHECK(sink.sends_outside_txn == 0);
  CheckEachOutputCommittedOnce(txn, src);
}

TEST_CASE("a recovery that cannot reach Kafka gives up after --task-timeout, exit 1, nothing committed") {
  FakeSource src(Records(100));
  FakeSink sink;
  src.sink = &sink;
  FakeTransactions txn(&src, &sink);
  txn.abort_commits = 1;
  src.fail_rewinds = 1'000'000;
  StateProbe t;
  auto o = Opts();
  o.commit_interval_ms = 1'000'000;
  o.task_timeout_ms = 300;
  auto r = fakes::MakeRunner(o, &src, {&sink, &sink, &sink}, &t, &txn);
  CHECK(r->Run() == 1);
  CHECK(txn.commits == 0);
  CHECK(src.committed.empty());
}
