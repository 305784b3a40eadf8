// The Runner with a fake source and sink: offsets are committed only after every output of
// every earlier record is acknowledged, whatever order acknowledgements come in.
#include "kt/run/runner.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "fakes.hpp"

namespace {

using fakes::FakeRecord;
using fakes::FakeSink;
using fakes::FakeSource;
using fakes::Records;

// Emits `copies` outputs per record; values "bad" are data errors.
class CopyTransform : public kt::Transform {
 public:
  explicit CopyTransform(int copies) : copies_(copies) {}
  bool WantsValue() const override { return false; }
  kt::Status Process(kt::Input& in, kt::Emitter& out) override {
    if (in.record.value == "bad") return kt::Status::DataError("bad value");
    for (int i = 0; i < copies_; ++i) out.Emit(kt::OutRecord::From(in.record));
    return kt::Status::Ok();
  }

 private:
  int copies_;
};

kt::RunnerOptions RunnerOpts() {
  kt::RunnerOptions o;
  o.tool = "test";
  o.quiet = true;
  o.commit_interval_ms = 0;  // commit whenever the runner gets a chance
  return o;
}

}  // namespace

TEST_CASE("runner commits only acknowledged work, with out-of-order acks") {
  FakeSource src(Records(1000));
  FakeSink sink;
  src.sink = &sink;
  CopyTransform t(3);
  auto r = fakes::MakeRunner(RunnerOpts(), &src, {&sink, nullptr, nullptr}, &t);
  CHECK(r->Run() == 0);
  CHECK(src.violations == 0);
  CHECK(sink.Outputs() == 3000);
  CHECK(src.committed[0] == 500);
  CHECK(src.committed[1] == 500);
  CHECK(r->stats().in == 1000);
  CHECK(r->stats().out == 3000);
}

TEST_CASE("runner under --on-error fail stops at the bad record and does not commit it") {
  auto recs = Records(10);
  recs[6].value = "bad";  // partition 0, offset 3
  FakeSource src(recs);
  FakeSink sink;
  src.sink = &sink;
  CopyTransform t(1);
  auto r = fakes::MakeRunner(RunnerOpts(), &src, {&sink, nullptr, nullptr}, &t);
  CHECK(r->Run() == 3);
  CHECK(src.committed[0] == 3);  // offsets 0..2 done, 3 is the bad one
  CHECK(src.committed[1] == 3);  // partition 1 got offsets 0..2 before the stop
  CHECK(src.violations == 0);
}

TEST_CASE("runner under --on-error skip counts bad records and commits past them") {
  auto recs = Records(10);
  recs[6].value = "bad";
  FakeSource src(recs);
  FakeSink sink;
  src.sink = &sink;
  CopyTransform t(1);
  auto o = RunnerOpts();
  o.on_error = kt::ErrorPolicy::kSkip;
  auto r = fakes::MakeRunner(o, &src, {&sink, nullptr, nullptr}, &t);
  CHECK(r->Run() == 0);
  CHECK(r->stats().skipped == 1);
  CHECK(sink.Outputs() == 9);
  CHECK(src.committed[0] == 5);
}

TEST_CASE("runner dead-letters bad records with their bytes and error headers") {
  auto recs = Records(4);
  recs[2].value = "bad";  // partition 0, offset 1
  FakeSource src(recs);
  FakeSink sink;
  src.sink = &sink;
  CopyTransform t(1);
  auto o = RunnerOpts();
  o.on_error = kt::ErrorPolicy::kDlq;
  o.dlq_topic = "dlq";
  auto r = fakes::MakeRunner(o, &src, {&sink, &sink, &sink}, &t);
  CHECK(r->Run() == 0);
  CHECK(r->stats().dead_lettered == 1);
  auto it = std::find_if(sink.sent.begin(), sink.sent.end(), [](auto& s) { return s.topic == "dlq"; });
  REQUIRE(it != sink.sent.end());
  CHECK(it->value == "bad");
  CHECK(it->key == "k");
  auto has = [&](const std::string& h) {
    return std::find(it->header_store.begin(), it->header_store.end(), h) != it->header_store.end();
  };
  CHECK(has("kt.error=bad value"));
  CHECK(has("kt.source.topic=in"));
  CHECK(has("kt.source.partition=0"));
  CHECK(has("kt.source.offset=1"));
  CHECK(src.committed[0] == 2);
}

TEST_CASE("runner stops after -n records") {
  FakeSource src(Records(100));
  FakeSink sink;
  src.sink = &sink;
  CopyTransform t(1);
  auto o = RunnerOpts();
  o.max_records = 10;
  auto r = fakes::MakeRunner(o, &src, {&sink, nullptr, nullptr}, &t);
  CHECK(r->Run() == 0);
  CHECK(r->stats().in == 10);
  CHECK(src.committed[0] == 5);
  CHECK(src.committed[1] == 5);
}

namespace {
// Counts WriteState calls; wants a commit once `bound` records arrived since the last one.
class CachingTransform : public kt::Transform {
 public:
  explicit CachingTransform(int bound) : bound_(bound) {}
  bool WantsValue() const override { return false; }
  kt::Status Process(kt::Input&, kt::Emitter&) override {
    ++held_;
    return kt::Status::Ok();
  }
  bool HasState() const override { return true; }
  bool WantsCommit() const override { return bound_ > 0 && held_ >= bound_; }
  kt::Status WriteState(kt::Emitter&) override {
    ++commits;
    max_held = std::max(max_held, held_);
    held_ = 0;
    return kt::Status::Ok();
  }
  int commits = 0;
  int max_held = 0;

 private:
  int bound_;
  int held_ = 0;
};
}  // namespace

TEST_CASE("runner commits when the Transform's cache is full, before the interval") {
  auto o = RunnerOpts();
  o.commit_interval_ms = 3'600'000;
  FakeSource src(Records(1000));
  FakeSink sink;
  src.sink = &sink;
  SECTION("no bound: one commit, at the end") {
    CachingTransform t(0);
    auto r = fakes::MakeRunner(o, &src, {&sink, nullptr, nullptr}, &t);
    CHECK(r->Run() == 0);
    CHECK(t.commits == 1);
    CHECK(t.max_held == 1000);
  }
  SECTION("a bound of 100 records: a commit within the next poll of every 100") {
    CachingTransform t(100);
    auto r = fakes::MakeRunner(o, &src, {&sink, nullptr, nullptr}, &t);
    CHECK(r->Run() == 0);
    CHECK(t.commits >= 8);
    CHECK(t.max_held < 200);
    CHECK(src.committed[0] == 500);
    CHECK(src.committed[1] == 500);
  }
}
