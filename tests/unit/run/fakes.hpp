// Fakes of the Runner's collaborators, for tests without Kafka: a source of numbered records
// over two partitions that records commits (and can fail them), a sink that acknowledges out of
// order (and can fail sends or deliveries), and a transaction that can abort.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "kt/io/sink.hpp"
#include "kt/io/source.hpp"
#include "kt/io/transactions.hpp"
#include "kt/run/runner.hpp"

namespace fakes {

struct FakeRecord {
  int32_t partition;
  int64_t offset;
  std::string value;
};

// Records i = 0..n-1: partition i % 2, offset i / 2, value "v<i>".
inline std::vector<FakeRecord> Records(int n) {
  std::vector<FakeRecord> r;
  for (int i = 0; i < n; ++i) r.push_back({i % 2, i / 2, "v" + std::to_string(i)});
  return r;
}

class FakeSink;

class FakeSource : public kt::Source {
 public:
  explicit FakeSource(std::vector<FakeRecord> recs) : recs_(std::move(recs)) {}
  kt::Status Open(kt::RebalanceListener* l) override {
    listener_ = l;
    l->OnAssigned({{"in", 0}, {"in", 1}});
    return kt::Status::Ok();
  }
  Poll Next(int, kt::Record* rec, kt::Status* st) override;
  bool Commits() const override { return true; }
  kt::Status Commit(const std::vector<kt::TopicPartitionOffset>& offs) override;
  void Pause(const std::vector<kt::TopicPartition>& ps) override {
    for (auto& tp : ps) paused.insert(tp.partition);
  }
  void Resume(const std::vector<kt::TopicPartition>& ps) override {
    for (auto& tp : ps) paused.erase(tp.partition);
  }
  kt::Status Rewind() override;
  int fail_rewinds = 0;  // the next N rewinds find Kafka unavailable
  void Close() override {
    if (listener_ && !closed_) listener_->OnRevoking({{"in", 0}, {"in", 1}});
    closed_ = true;
  }

  FakeSink* sink = nullptr;
  std::map<int32_t, int64_t> committed;
  int violations = 0;  // commits of offsets whose outputs were not all acknowledged
  int commit_calls = 0;
  int fail_commits = 0;  // the next N commits fail
  int rewinds = 0;
  std::set<int32_t> paused;
  int lose_partition_1_after = -1;  // after N records, partition 1 is lost to the group
  int rebalance_after = -1;         // after N records, partition 1 is revoked and assigned again
  int records_of_paused = 0;        // records handed out for a paused partition (must stay 0)

 private:
  std::vector<FakeRecord> recs_;
  size_t i_ = 0;
  kt::Headers headers_;
  kt::RebalanceListener* listener_ = nullptr;
  bool closed_ = false;
  bool lost_ = false;
  bool rebalanced_ = false;
};

// Holds deliveries and acknowledges them out of order (newest first) on every Poll; internal
// records get consecutive offsets per topic partition.
class FakeSink : public kt::Sink {
 public:
  struct Sent {
    int32_t partition;  // the source record's (provenance), or the target partition of internal records
    int64_t offset;
    kt::DeliveryToken* token;
    bool acked = false;   // reported (acknowledged, refused or purged)
    bool purged = false;  // reported as purged: never written
    std::string topic, key, value;
    std::vector<std::string> header_store;
    bool internal = false;
    int64_t out_offset = -1;
  };
  kt::Status Open(kt::DeliveryListener* l) override {
    listener_ = l;
    return kt::Status::Ok();
  }
  kt::Status Send(const kt::OutRecord& r, kt::DeliveryToken* token) override {
    if (!fail_send_topic.empty() && r.topic == fail_send_topic) return kt::Status::KafkaError("send refused");
    if (fatal_at_send >= 0 && static_cast<int>(sent.size()) == fatal_at_send) {
      fatal_at_send = -1;
      reports_stuck = true;
      return kt::Status::Fenced("produce: Local: Fatal error (injected)");
    }
    if (txn_closed) {  // as librdkafka's produce when no transaction is open
      ++sends_outside_txn;
      return kt::Status::Aborted("produce to " + std::string(r.topic) + ": Local: Erroneous state");
    }
    Sent s{r.internal ? r.partition : r.source_partition, r.source_offset, token};
    s.topic = std::string(r.topic);
    s.internal = r.internal;
    if (r.key) s.key = std::string(*r.key);
    s.value = std::string(r.value_text);
    if (r.headers)
      for (auto& h : *r.headers)
        s.header_store.push_back(std::string(h.name) + "=" + std::string(h.value.value_or("<null>")));
    if (r.internal) s.out_offset = next_offset_[{s.topic, s.partition}]++;
    sent.push_back(std::move(s));
    return kt::Status::Ok();
  }
  void Poll() override {
    if (reports_stuck) return;
    for (size_t i = sent.size(); i-- > 0;)
      if (!sent[i].acked && ++polls_ % 2 == 0) Ack(i);
  }
  kt::Status Flush(int) override {
    if (reports_stuck) return kt::Status::Fenced("flush: Local: Fatal error (injected)");
    for (size_t i = sent.size(); i-- > 0;)
      if (!sent[i].acked) Ack(i);
    return kt::Status::Ok();
  }
  // As rd_kafka_purge: what is not acknowledged yet fails now.
  void Purge() override {
    if (reports_stuck) return;
    ReportPurged();
  }
  // What a producer in a fatal state still holds, reported when it is destroyed
  // (KafkaClient::Reset purges and polls it).
  void ReportPurged() {
    reports_stuck = false;
    for (size_t i = 0; i < sent.size(); ++i)
      if (!sent[i].acked) {
        sent[i].acked = sent[i].purged = true;
        listener_->OnDelivered(sent[i].token, kt::Status::KafkaError("Local: Purged in queue"),
                               kt::Delivered{sent[i].topic, sent[i].partition, -1});
      }
  }
  void Ack(size_t i) {
    Sent& s = sent[i];
    s.acked = true;
    bool fail = (s.internal && fail_internal_delivery) ||
                (!s.internal && fail_delivery && s.partition == fail_delivery->first &&
                 s.offset == fail_delivery->second && fail_deliveries_left != 0);
    if (fail && !s.internal && fail_deliveries_left > 0) --fail_deliveries_left;
    kt::Status st = fail ? delivery_error : kt::Status::Ok();
    listener_->OnDelivered(s.token, st, kt::Delivered{s.topic, s.partition, s.out_offset});
  }
  // True when every output caused by records of `partition` below `offset` is acknowledged.
  bool AllAckedBelow(int32_t partition, int64_t offset) const {
    for (auto& s : sent)
      if (!s.internal && s.partition == partition && s.offset < offset && !s.acked && s.topic != "dlq")
        return false;
    return true;
  }
  size_t Outputs() const {
    return std::count_if(sent.begin(), sent.end(), [](const Sent& s) { return !s.internal; });
  }
  std::vector<Sent> sent;
  std::string fail_send_topic;                               // Send fails synchronously for this topic
  std::optional<std::pair<int32_t, int64_t>> fail_delivery;  // the output of this record is refused
  int fail_deliveries_left = -1;                             // how often (-1: always)
  kt::Status delivery_error = kt::Status::KafkaError("delivery refused");
  bool fail_internal_delivery = false;  // every internal record is refused
  bool txn_closed = false;              // set by FakeTransactions between a failed commit and Begin
  // The send with this index finds the producer in a fatal state (Fenced): from then on it
  // reports nothing (Poll, Flush, Purge) until Renew destroys it (ReportPurged).
  int fatal_at_send = -1;
  bool reports_stuck = false;
  int sends_outside_txn = 0;  // Sends while no transaction was open (must stay 0)

 private:
  kt::DeliveryListener* listener_ = nullptr;
  int polls_ = 0;
  std::map<std::pair<std::string, int32_t>, int64_t> next_offset_;
};

inline kt::Source::Poll FakeSource::Next(int, kt::Record* rec, kt::Status* st) {
  if (lose_partition_1_after >= 0 && static_cast<int>(i_) >= lose_partition_1_after && !lost_) {
    lost_ = true;
    listener_->OnLost({{"in", 1}});
    recs_.erase(std::remove_if(recs_.begin() + static_cast<long>(i_), recs_.end(),
                               [](const FakeRecord& r) { return r.partition == 1; }),
                recs_.end());
  }
  if (rebalance_after >= 0 && static_cast<int>(i_) >= rebalance_after && !rebalanced_) {
    rebalanced_ = true;  // the callbacks run inside the poll, as librdkafka's do
    listener_->OnRevoking({{"in", 1}});
    listener_->OnAssigned({{"in", 1}});
  }
  while (i_ < recs_.size() && paused.count(recs_[i_].partition)) {
    // a paused partition's records wait: hand out the next record of another partition
    auto it = std::find_if(recs_.begin() + static_cast<long>(i_), recs_.end(),
                           [&](const FakeRecord& r) { return !paused.count(r.partition); });
    if (it == recs_.end()) return Poll::kIdle;
    std::rotate(recs_.begin() + static_cast<long>(i_), it, it + 1);
  }
  if (i_ >= recs_.size()) return Poll::kEnd;
  const FakeRecord& r = recs_[i_++];
  if (paused.count(r.partition)) ++records_of_paused;
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

inline kt::Status FakeSource::Commit(const std::vector<kt::TopicPartitionOffset>& offs) {
  ++commit_calls;
  if (fail_commits > 0) {
    --fail_commits;
    return kt::Status::KafkaError("commit refused");
  }
  for (auto& o : offs) {
    if (sink && !sink->AllAckedBelow(o.partition, o.offset)) ++violations;
    committed[o.partition] = o.offset;
  }
  return kt::Status::Ok();
}

// Goes back to the committed offsets: records after them are handed out again.
inline kt::Status FakeSource::Rewind() {
  if (fail_rewinds > 0) {
    --fail_rewinds;
    return kt::Status::Unavailable("cannot read the committed offsets to read again from");
  }
  ++rewinds;
  std::vector<FakeRecord> again;
  for (size_t k = 0; k < i_; ++k) {
    const FakeRecord& r = recs_[k];
    auto c = committed.find(r.partition);
    if (c == committed.end() || r.offset >= c->second) again.push_back(r);
  }
  recs_.erase(recs_.begin(), recs_.begin() + static_cast<long>(i_));
  recs_.insert(recs_.begin(), again.begin(), again.end());
  i_ = 0;
  return kt::Status::Ok();
}

// A transaction over a FakeSink: Commit aborts `abort_commits` times, then commits; committed
// offsets go to the source's `committed` like a group commit would.
class FakeTransactions : public kt::Transactions {
 public:
  FakeTransactions(FakeSource* src, FakeSink* sink) : src_(src), sink_(sink) {}
  kt::Status Begin() override {
    if (fenced) return kt::Status::Fenced("fenced");
    ++begins;
    sink_->txn_closed = false;
    open_from_ = sink_->sent.size();
    return kt::Status::Ok();
  }
  kt::Status Commit(const std::vector<kt::TopicPartitionOffset>& offsets) override {
    if (abort_commits > 0) {
      --abort_commits;
      return kt::Status::Aborted("transaction aborted (injected)");
    }
    if (fence_commits > 0) {
      --fence_commits;
      fenced = true;
      sink_->txn_closed = true;
      return kt::Status::Fenced("Producer fenced by newer instance (injected)");
    }
    ++commits;
    for (auto& o : offsets) src_->committed[o.partition] = o.offset;
    for (size_t i = open_from_; i < sink_->sent.size(); ++i) committed_values.push_back(sink_->sent[i].value);
    open_from_ = sink_->sent.size();
    return kt::Status::Ok();
  }
  kt::Status Abort() override {
    if (fenced) return kt::Status::Fenced("a fenced producer cannot abort");
    ++aborts;
    sink_->sent.resize(open_from_);  // nothing of an aborted transaction is visible
    return kt::Status::Ok();
  }
  kt::Status Renew() override {
    ++renews;
    fenced = false;
    if (sink_->reports_stuck) sink_->ReportPurged();  // the old producer goes
    sink_->sent.resize(open_from_);  // the old producer's open transaction is aborted by the new one
    return kt::Status::Ok();
  }
  int begins = 0, commits = 0, aborts = 0, abort_commits = 0, fence_commits = 0, renews = 0;
  bool fenced = false;
  std::vector<std::string> committed_values;  // every output, in commit order

 private:
  FakeSource* src_;
  FakeSink* sink_;
  size_t open_from_ = 0;
};

// A Runner over fakes; the test fails when Create refuses the sinks.
inline std::unique_ptr<kt::Runner> MakeRunner(kt::RunnerOptions o, kt::Source* src, kt::RunnerSinks sinks,
                                              kt::Transform* t, kt::Transactions* txn = nullptr) {
  auto r = kt::Runner::Create(std::move(o), src, sinks, t, txn);
  if (!r.ok()) throw std::runtime_error(r.status().message());
  return std::move(*r);
}

}  // namespace fakes
