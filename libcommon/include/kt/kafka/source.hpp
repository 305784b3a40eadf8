// KafkaSource: reads one or more topics, as a member of a consumer group (subscribe, with
// commits) or, without a group or with explicit partitions, by direct assignment. Records come
// in timestamp order across every assigned partition (SyncedInput, SEMANTICS.md "Input order").
//
// Several topics (kjoin's sides) are co-partitioned inputs: partition p of each belongs to task
// p, and the group assigns them together (the range assignor is forced). Record::input tells
// which topic a record came from (its index in `topics`).
//
// A packed message (a repartition topic's, core/record_pack.hpp) is read as its records, in
// any topic: a ktools stage after the hop, or kconsume inspecting the topic.
//
// Offsets: auto-commit is off; the Runner commits what the OffsetTracker allows. --from applies
// only to partitions without a committed offset. Rebalances call the RebalanceListener: on
// revocation before the partitions go (the Runner commits there), on loss without a commit.
#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kt/codec/codec.hpp"
#include "kt/core/origin.hpp"
#include "kt/io/source.hpp"
#include "kt/kafka/client.hpp"
#include "kt/kafka/group_hold.hpp"
#include "kt/kafka/group_repair.hpp"
#include "kt/kafka/prefetch.hpp"
#include "kt/kafka/start_spec.hpp"
#include "kt/kafka/synced_input.hpp"

namespace kt {

struct KafkaSourceOptions {
  std::string tool;
  std::vector<std::string> topics;  // one or more co-partitioned inputs
  // The topics are independent, not co-partitioned (kconsume a b), and each may be a pattern
  // (kafka/topic_pattern.hpp), resolved at Open to the topics that exist then.
  bool topic_patterns = false;
  std::string group;        // empty: no group, no commits (assign every partition)
  std::string instance_id;  // --instance-id (static membership); "" dynamic, unless -X gives one
  // One topic: the cooperative-sticky assignor (else range, as for co-partitioned topics).
  bool cooperative = true;
  std::vector<int32_t> partitions;  // non-empty: assign exactly these (one topic only)
  StartSpec from;
  bool exit_at_end = false;  // kEnd once caught up on every assigned partition
  // A batch run (-e, -n) with a group: when the group has no members, assign every partition
  // directly from the group's committed offsets instead of joining it (a join waits the
  // broker's group.initial.rebalance.delay.ms, 3 s by default), and commit as a simple
  // consumer. A group with members is joined as usual (its partitions are shared); a member
  // that joins while the batch runs makes the batch's commits fail (exit 1, nothing lost).
  bool batch = false;
  int64_t until_ms = -1;    // stop each partition at the first record at/after this time
  int64_t max_idle_ms = 0;  // --max-idle: how long an empty partition holds the others up
  Codec key_codec;
  Codec value_codec;
  bool verbose = false;
  // With exit_at_end: not caught up before *end_gate is true; then caught up once every
  // assigned partition reached its end as of that time (a topic another stage of the same tool
  // writes, like ktable's repartition topic).
  const std::atomic<bool>* end_gate = nullptr;
  // With end_gate: how many partitions each input topic has (as the stage that created it
  // knows; the topic's metadata may lag behind a creation): every one must be read to its end.
  int expected_partitions = 0;
  // How many partitions a stage whose per-record work dominates will read (a stateful one; 0:
  // another kind). Their prefetch together stays near one partition's: see KafkaSource::Open.
  int prefetch_partitions = 0;
  // > 0: each partition number is one of the stage's tasks, and no record's state is another
  // partition's; the tasks take turns of this many records instead of every partition being
  // merged (SyncedInput::TakeTurns). Not for a stage that routes records to other tasks (a
  // re-keying stage, a run in place: but see `home`) or keeps one task for all (ad hoc): they
  // need the merge.
  // RunTool uses it for one input only (see PlanStateful).
  size_t task_turn = 0;
  // A run in place: the tasks take turns (task_turn) while each record is in its own partition's
  // task, as `home` tells from the message (SyncedInput::TakeTurnsWhileHome); then the merge.
  std::function<bool(const rd_kafka_message_t&)> home;
  // What `home` checks, for -v's note on the first record it refuses: "a record not in ...".
  std::string home_rule = "its --by key's partition";
  // The topics are ktools repartition topics: their origin headers become Record::origin
  // (core/origin.hpp).
  bool origin_headers = false;
  // Whether records need their headers (Transform::WantsHeaders, dead letters); origin headers
  // are read either way.
  bool headers = true;
  // A continuous run reading in place (app/in_place.hpp): while it applies records to the tasks
  // of the stage after a repartition topic, it holds that stage's `group` on the repartition
  // `topic` (GroupHold), and it hands over at the first change of either group (a copy of the
  // tool joining): everything applied is committed before a held or an input partition goes,
  // and Next ends (HandingOver). No record is handed out before the run holds every partition
  // of both topics.
  struct Hold {
    std::string group, topic;
    int partitions = 0;
  };
  std::optional<Hold> hold;
};

// The offsets to commit, as librdkafka takes them (a commit, or a transaction's offsets); a
// packed message's records done already go as the offset's metadata (kPackDoneMetadata).
// The caller destroys the list.
rd_kafka_topic_partition_list_t* CommitList(const std::vector<TopicPartitionOffset>& offsets);

class KafkaSource : public Source {
 public:
  KafkaSource(KafkaConfig cfg, KafkaSourceOptions options);
  ~KafkaSource() override;
  KafkaSource(const KafkaSource&) = delete;
  KafkaSource& operator=(const KafkaSource&) = delete;

  Status Open(RebalanceListener* listener) override;
  Poll Next(int timeout_ms, Record* rec, Status* record_status) override;
  void BuildValueDocuments(DocumentTarget* target) override { value_documents_ = target; }
  Status Fatal() const override {
    return !fatal_.ok() ? fatal_ : !client_.auth_error().ok() ? client_.auth_error() : client_.fatal();
  }
  bool Commits() const override { return !opt_.group.empty(); }
  Status Commit(const std::vector<TopicPartitionOffset>& offsets) override;
  void Pause(const std::vector<TopicPartition>& partitions) override;
  void Resume(const std::vector<TopicPartition>& partitions) override;
  Status Rewind() override;
  void Close() override;
  std::optional<int64_t> Lag(const std::vector<TopicPartitionOffset>& next) const override;
  std::vector<std::pair<TopicPartition, int64_t>> PartitionLags(
      const std::vector<TopicPartitionOffset>& next) const override;
  std::vector<TopicPartitionOffset> EndPositions() const override;
  std::string NothingReadNote() const override;
  bool HandingOver() const override { return handing_over_; }
  // The consumer (exactly-once sends its group metadata with the offsets).
  rd_kafka_t* handle() const { return rk_; }

 private:
  static void RebalanceCb(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
                          void* opaque);
  void OnRebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts);
  Status Assign(rd_kafka_topic_partition_list_t* parts);
  void ApplyStartOffsets(rd_kafka_topic_partition_list_t* parts, bool use_committed);
  void StartAtOffset(rd_kafka_topic_partition_list_t* parts, const std::vector<int>& which);
  static constexpr int64_t kNoAnswer = -1000;  // LookUpOffsets: the lookup failed
  std::vector<int64_t> LookUpOffsets(rd_kafka_topic_partition_list_t* parts, const std::vector<int>& which,
                                     std::string* why);
  // Serves consumer events (rebalances, errors); false when a fatal error was recorded.
  bool ServeEvents();
  bool AllCaughtUp();
  // KafkaSourceOptions::hold: every partition of both topics held, no change yet.
  bool HoldReady() const;
  // The group changed: what was applied is committed (lost: dropped), and Next ends.
  void HandOver(bool lost, const std::string& why);
  // `tps` go: the listener commits first (revoked) or drops their work (lost).
  void ReportLeaving(const std::vector<TopicPartition>& tps, bool lost);
  bool GatedCaughtUp();
  bool OthersCaughtUp();
  // Release: the current record's message and every retired one are destroyed. Retire: the
  // current record's message joins retired_, which is destroyed kRetireBatch at a time
  // (or kRetireBytes).
  void Release();
  void Retire();
  void DestroyRetired();
  int InputOf(const char* topic) const;
  // A batch run of a group without members (KafkaSourceOptions::batch).
  bool DirectBatch() const;
  // Makes the consumer (client_, rk_) with `prefetch` and every other property it needs.
  Status CreateConsumer(const Prefetch& prefetch);
  rd_kafka_topic_partition_list_t* ListOf(const std::vector<TopicPartition>& partitions) const;
  std::vector<TopicPartition> TopicPartitions(const rd_kafka_topic_partition_list_t* parts) const;
  // Fills `rec` from the current record: a message, or one record of a pack (FillPacked).
  void FillRecord(Record* rec, Status* record_status);
  void FillPacked(Record* rec, Status* record_status);
  // The key and value of `rec`, decoded by the codecs.
  void Decode(std::optional<std::string_view> key, std::optional<std::string_view> value, Record* rec,
              Status* record_status);
  DocumentTarget* value_documents_ = nullptr;  // BuildValueDocuments
  // The value codec, making a text the source left unmade (Record::value_text_from).
  struct CodecText : ValueTextMaker {
    const Codec* codec = nullptr;
    Status Text(std::string_view wire, std::string* scratch, std::string_view* text) const override {
      return codec->Decode(wire, scratch, text);
    }
  };
  CodecText value_text_;

  KafkaSourceOptions opt_;
  KafkaClient client_;
  rd_kafka_t* rk_ = nullptr;  // client_'s handle
  std::unique_ptr<SyncedInput> synced_;
  RebalanceListener* listener_ = nullptr;
  // Retired on the next Next() when it is its message's last record (SyncedInput::TryNext).
  SyncedInput::Buffered current_;
  // Messages done with, destroyed together and grouped by partition (DestroyRetired). Destroying
  // one drops two references, its fetch buffer's and its partition's, that librdkafka's fetching
  // thread takes for every message it queues. One at a time, each from another partition of a
  // merge, those counters' cache lines moved between the two threads for every message. Next
  // empties it when it has nothing to hand out at once, and Release wherever a partition may go
  // (a revocation, a hand-over, Close, the destructor).
  std::vector<rd_kafka_message_t*> retired_;
  size_t retired_bytes_ = 0;                      // their keys and values (kRetireBytes)
  PackedRecord packed_;                           // the current record of a pack
  std::map<std::pair<int, int32_t>, bool> done_;  // reached --until (paused)
  // kbroker and --from TIME: partitions still before their first record at or after the time
  std::set<std::pair<std::string, int32_t>> seeking_time_;
  std::map<std::pair<int, int32_t>, int64_t> gate_end_;  // end_gate: each partition's end
  std::vector<int> partition_counts_;                    // of each input topic, at Open
  Headers headers_;
  OriginReader origin_;
  std::string key_scratch_, value_scratch_;
  Status fatal_;
  bool direct_batch_ = false;  // a batch run of a group without members (DirectBatch)
  bool closing_ = false;       // Close is closing the consumer (after leaving the group)
  bool subscribed_ = false;    // a member of its group (not assigned directly)
  int64_t last_gate_check_ms_ = 0;
  std::unique_ptr<GroupHold> hold_;           // KafkaSourceOptions::hold
  bool handing_over_ = false;                 // HandOver
  std::set<std::pair<int, int32_t>> handed_;  // reported by HandOver, or taken unread
  bool input_changed_ = false;                // with hold_: assigned once already
  bool leaving_ = false;                      // Close has begun (before closing_)
  bool synced_once_ = false;                  // a rebalance callback came (kJoinWaitMs)
  // A static member's look for partitions its group assigns to no member, from its first
  // assignment to Close.
  std::unique_ptr<GroupRepair> repair_;
  int since_events_ = 0;
  bool tell_stray_ = false;  // -v with `home`: say once where the turns ended (SyncedInput::stray)
};

}  // namespace kt
