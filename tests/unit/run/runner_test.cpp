// The Runner with a fake source and sink: offsets are committed only after every output of
// every earlier record is acknowledged, whatever order acknowledgements come in.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "kt/run/runner.hpp"

namespace {

struct FakeRecord {
  int32_t partition;
  int64_t offset;
  std::string value;
};

class FakeSink;

class FakeSource : public kt::Source {
 public:
  explicit FakeSource(std::vector<FakeRecord> recs) : recs_(std::move(recs)) {}
  kt::Status Open(kt::RebalanceListener* l) override {
    l->OnAssigned({0, 1});
    return kt::Status::Ok();
  }
  Poll Next(int, kt::Record* rec, kt::Status* st) override {
    if (i_ >= recs_.size()) return Poll::kEnd;
    const FakeRecord& r = recs_[i_++];
    *rec = kt::Record();
    rec->topic = "in";
    rec->partition = r.partition;
    rec->offset = r.offset;
    rec->value = rec->wire_value = r.value;
    rec->key = rec->wire_key = std::string_view("k");
    rec->headers = &headers_;
    *st = kt::Status::Ok();
    return Poll::kRecord;
  }
  bool Commits() const override { return true; }
  kt::Status Commit(const std::vector<kt::TopicPartitionOffset>& offs, bool) override;

  FakeSink* sink = nullptr;
  std::map<int32_t, int64_t> committed;
  int violations = 0;

 private:
  std::vector<FakeRecord> recs_;
  size_t i_ = 0;
  kt::Headers headers_;
};

// Holds deliveries and acknowledges them out of order (newest first) on every Poll.
class FakeSink : public kt::Sink {
 public:
  struct Sent {
    int32_t partition;
    int64_t offset;
    void* token;
    bool acked = false;
    std::string topic, key, value;
    kt::Headers headers;
    std::vector<std::string> header_store;
  };
  kt::Status Open(kt::DeliveryListener* l) override {
    listener_ = l;
    return kt::Status::Ok();
  }
  kt::Status Send(const kt::OutRecord& r, void* token) override {
    Sent s{r.source_partition, r.source_offset, token};
    s.topic = std::string(r.topic);
    if (r.key) s.key = std::string(*r.key);
    s.value = std::string(r.value_text);
    if (r.headers)
      for (auto& h : *r.headers) {
        s.header_store.push_back(std::string(h.name) + "=" + std::string(h.value.value_or("<null>")));
      }
    sent.push_back(std::move(s));
    return kt::Status::Ok();
  }
  void Poll() override {
    for (size_t i = sent.size(); i-- > 0;) {
      if (!sent[i].acked && ++polls_ % 2 == 0) Ack(i);
    }
  }
  kt::Status Flush(int) override {
    for (size_t i = sent.size(); i-- > 0;)
      if (!sent[i].acked) Ack(i);
    return kt::Status::Ok();
  }
  void Ack(size_t i) {
    sent[i].acked = true;
    listener_->OnDelivered(sent[i].token, kt::Status::Ok());
  }
  // True when every output caused by records of `partition` below `offset` is acknowledged.
  bool AllAckedBelow(int32_t partition, int64_t offset) const {
    for (auto& s : sent)
      if (s.partition == partition && s.offset < offset && !s.acked && s.topic != "dlq") return false;
    return true;
  }
  std::vector<Sent> sent;

 private:
  kt::DeliveryListener* listener_ = nullptr;
  int polls_ = 0;
};

kt::Status FakeSource::Commit(const std::vector<kt::TopicPartitionOffset>& offs, bool) {
  for (auto& o : offs) {
    if (!sink->AllAckedBelow(o.partition, o.offset)) ++violations;
    committed[o.partition] = o.offset;
  }
  return kt::Status::Ok();
}

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

std::vector<FakeRecord> Records(int n) {
  std::vector<FakeRecord> r;
  for (int i = 0; i < n; ++i) r.push_back({i % 2, i / 2, "v" + std::to_string(i)});
  return r;
}

kt::RunnerOptions Opts() {
  kt::RunnerOptions o;
  o.tool = "test";
  o.input_topic = "in";
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
  kt::Runner r(Opts(), &src, &sink, nullptr, &t);
  CHECK(r.Run() == 0);
  CHECK(src.violations == 0);
  CHECK(sink.sent.size() == 3000);
  CHECK(src.committed[0] == 500);
  CHECK(src.committed[1] == 500);
  CHECK(r.stats().in == 1000);
  CHECK(r.stats().out == 3000);
}

TEST_CASE("runner under --on-error fail stops at the bad record and does not commit it") {
  auto recs = Records(10);
  recs[6].value = "bad";  // partition 0, offset 3
  FakeSource src(recs);
  FakeSink sink;
  src.sink = &sink;
  CopyTransform t(1);
  kt::Runner r(Opts(), &src, &sink, nullptr, &t);
  CHECK(r.Run() == 3);
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
  auto o = Opts();
  o.on_error = kt::ErrorPolicy::kSkip;
  kt::Runner r(o, &src, &sink, nullptr, &t);
  CHECK(r.Run() == 0);
  CHECK(r.stats().skipped == 1);
  CHECK(sink.sent.size() == 9);
  CHECK(src.committed[0] == 5);
}

TEST_CASE("runner dead-letters bad records with their bytes and error headers") {
  auto recs = Records(4);
  recs[2].value = "bad";  // partition 0, offset 1
  FakeSource src(recs);
  FakeSink sink;
  src.sink = &sink;
  CopyTransform t(1);
  auto o = Opts();
  o.on_error = kt::ErrorPolicy::kDlq;
  o.dlq_topic = "dlq";
  kt::Runner r(o, &src, &sink, &sink, &t);
  CHECK(r.Run() == 0);
  CHECK(r.stats().dead_lettered == 1);
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
  auto o = Opts();
  o.max_records = 10;
  kt::Runner r(o, &src, &sink, nullptr, &t);
  CHECK(r.Run() == 0);
  CHECK(r.stats().in == 10);
  CHECK(src.committed[0] == 5);
  CHECK(src.committed[1] == 5);
}

namespace {
// Counts BeforeCommit calls; wants a commit once `bound` records arrived since the last one.
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
  void BeforeCommit(kt::Emitter&) override {
    ++commits;
    max_held = std::max(max_held, held_);
    held_ = 0;
  }
  int commits = 0;
  int max_held = 0;

 private:
  int bound_;
  int held_ = 0;
};
}  // namespace

TEST_CASE("runner commits when the Transform's cache is full, before the interval") {
  auto o = Opts();
  o.commit_interval_ms = 3'600'000;
  FakeSource src(Records(1000));
  FakeSink sink;
  src.sink = &sink;
  SECTION("no bound: one commit, at the end") {
    CachingTransform t(0);
    kt::Runner r(o, &src, &sink, nullptr, &t);
    CHECK(r.Run() == 0);
    CHECK(t.commits == 1);
    CHECK(t.max_held == 1000);
  }
  SECTION("a bound of 100 records: a commit within the next poll of every 100") {
    CachingTransform t(100);
    kt::Runner r(o, &src, &sink, nullptr, &t);
    CHECK(r.Run() == 0);
    CHECK(t.commits >= 8);
    CHECK(t.max_held < 200);
    CHECK(src.committed[0] == 500);
    CHECK(src.committed[1] == 500);
  }
}
