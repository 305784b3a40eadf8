// KafkaSource: reads one topic, as a member of a consumer group (subscribe, with commits) or,
// without a group or with explicit partitions, by direct assignment.
//
// Offsets: auto-commit is off; the Runner commits what the OffsetTracker allows. --from applies
// only to partitions without a committed offset. Rebalances call the RebalanceListener: on
// revocation before the partitions go (the Runner flushes and commits there).
#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "kt/codec/codec.hpp"
#include "kt/kafka/client.hpp"
#include "kt/io/source.hpp"
#include "kt/kafka/start_spec.hpp"

namespace kt {

struct KafkaSourceOptions {
  std::string tool;
  std::string topic;
  std::string group;                // empty: no group, no commits (assign every partition)
  std::vector<int32_t> partitions;  // non-empty: assign exactly these
  StartSpec from;
  bool exit_at_end = false;         // kEnd once caught up on every assigned partition
  int64_t until_ms = -1;            // stop each partition at the first record at/after this time
  Codec key_codec;
  Codec value_codec;
  bool verbose = false;
  // With exit_at_end: not caught up before *end_gate is true; then caught up once every
  // assigned partition's position reaches its end offset at that time (a topic another stage
  // of the same tool writes, like ktable's repartition topic).
  const std::atomic<bool>* end_gate = nullptr;
  // The topic is a ktools repartition topic: lift the kt.origin.* headers into Record::origin.
  bool origin_headers = false;
};

class KafkaSource : public Source {
 public:
  KafkaSource(KafkaConfig cfg, KafkaSourceOptions options);
  ~KafkaSource() override;
  KafkaSource(const KafkaSource&) = delete;
  KafkaSource& operator=(const KafkaSource&) = delete;

  Status Open(RebalanceListener* listener) override;
  Poll Next(int timeout_ms, Record* rec, Status* record_status) override;
  Status Fatal() const override { return fatal_.ok() ? client_.fatal() : fatal_; }
  bool Commits() const override { return !opt_.group.empty(); }
  Status Commit(const std::vector<TopicPartitionOffset>& offsets) override;
  void Pause(const std::vector<int32_t>& partitions) override;
  void Resume(const std::vector<int32_t>& partitions) override;
  Status Rewind() override;
  // The consumer (exactly-once sends its group metadata with the offsets).
  rd_kafka_t* handle() const { return rk_; }
  void Close() override;

 private:
  struct PartitionState {
    bool eof = false;
    bool done = false;     // reached --until
    int64_t eof_at = -1;   // offset of the last end-of-partition event
    int64_t end = -1;      // end_gate: the partition's end once the gate opened
  };
  static void RebalanceCb(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                          rd_kafka_topic_partition_list_t* parts, void* opaque);
  void OnRebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts);
  void ApplyStartOffsets(rd_kafka_topic_partition_list_t* parts, bool use_committed);
  bool AllCaughtUp();
  bool GatedCaughtUp();
  void Release();
  rd_kafka_topic_partition_list_t* ListOf(const std::vector<int32_t>& partitions) const;
  void WakeFetcher();
  // A kt.origin.* header: recorded in origin_ (true), else false (an ordinary header).
  bool LiftOrigin(const Header& h);

  KafkaSourceOptions opt_;
  KafkaClient client_;
  rd_kafka_t* rk_ = nullptr;  // client_'s handle
  RebalanceListener* listener_ = nullptr;
  rd_kafka_message_t* current_ = nullptr;  // owned; destroyed on the next Next()
  std::map<int32_t, PartitionState> assigned_;
  Headers headers_;
  Origin origin_;
  std::string key_scratch_, value_scratch_;
  Status fatal_;
  int64_t last_record_ms_ = 0;  // when Next last returned a record
  int64_t last_gate_check_ms_ = 0;
  size_t wake_rr_ = 0;          // round-robin over partitions for WakeFetcher
};

}  // namespace kt
