// The records of a consumer's assigned partitions, in timestamp order (SEMANTICS.md, "Input
// order"; Kafka Streams' PartitionGroup with max.task.idle.ms).
//
// Every partition has its own librdkafka queue, so fetching stays pipelined for all of them,
// and a small buffer of fetched records. Next hands out the buffered head with the smallest
// timestamp (ties: the lower input, then the lower partition); offsets within a partition keep
// their order. It waits instead while a partition with an empty buffer may still hold older
// records: one that has not reported its end since its last record (data is known, or not yet
// known not, to exist), or, with max_idle_ms > 0, one that has been empty for less than that.
// With -e every partition's end is known, so the order depends on the data only: the same
// input gives the same output whatever the fetch interleaving, at any partition count. Every
// assigned partition takes part, so a task (one partition number across co-partitioned topics)
// is in timestamp order, and so is the whole input; or, when the partitions are the stage's
// tasks, each task in timestamp order and the tasks in turns (TakeTurns); or, for a run in place
// whose records are each in their own partition's task, in turns as long as that holds
// (TakeTurnsWhileHome).
//
// With `unpack` (ktools' own repartition topics), a packed message (core/record_pack.hpp) is
// buffered as its records, each with its own timestamp, so they take their places in that order
// one by one.
#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "kt/core/record_pack.hpp"
#include "kt/core/time.hpp"
#include "kt/kafka/fetch_waker.hpp"

namespace kt {

class SyncedInput {
 public:
  // `rk` is a consumer whose partition queues this object takes over (and gives back).
  SyncedInput(rd_kafka_t* rk, int64_t max_idle_ms, bool unpack = false);
  ~SyncedInput();
  SyncedInput(const SyncedInput&) = delete;
  SyncedInput& operator=(const SyncedInput&) = delete;

  // The partitions are the stage's tasks (each record's state is its partition's): instead of
  // merging every partition, the tasks take turns, each handing out up to `per_turn` records
  // of its own partitions (one per input) merged in timestamp order, then the next one (by
  // partition number, round and round). Each task still reads its records in timestamp
  // order, and with -e the order still depends on the data only; only the interleaving of
  // different tasks changes (Kafka Streams processes its tasks in turns too). A turn reads
  // one partition's buffer while it is in the cache: on 16 partitions, the merge of every
  // partition reads each record after the 15 others' (see bench/README). Before Add; 0: merge.
  void TakeTurns(size_t per_turn);
  // A run in place (app/in_place.hpp): each record goes to the task of its key's partition, and
  // so far each was in its own (`home` says so from the message alone, false when it cannot
  // tell). While that holds, the tasks take turns as with TakeTurns, and a record is handed out
  // only once every other partition has been read past it in the merge's order (the order of a
  // stable sort by its partition's running largest timestamp up to it, input, partition, offset):
  // a record of another partition that would go before it in the merge has been buffered, and
  // `home` has said it stays in its own task. So each task's records come in the merge's order,
  // as their re-keying stage would write them. From the first record `home` refuses on, every
  // partition is merged: each task has had only records that go before it in the merge, so the
  // order stays the merge's. For one input, read to its end (-e): with live input the merge
  // itself may hand out a record before an older one arrives. Before Add.
  void TakeTurnsWhileHome(size_t per_turn, std::function<bool(const rd_kafka_message_t&)> home);
  // TakeTurnsWhileHome: the first record `home` refused (where every partition was merged from);
  // empty topic while none was.
  struct Stray {
    std::string topic;
    int32_t partition = -1;
    int64_t offset = -1;
  };
  const Stray& stray() const { return stray_; }
  // A partition joins (before it is assigned, so that its first records land in its own
  // queue) or leaves (before unassign; buffered records are dropped).
  void Add(int input, const std::string& topic, int32_t partition);
  void Remove(int input, int32_t partition);
  // A paused partition neither hands out records nor holds the others up.
  void SetPaused(int input, int32_t partition, bool paused);
  // Drops every buffered record (the consumer is about to seek).
  void Clear();
  // The partition starts at `offset`, a packed message whose first `done` records are done
  // (TopicPartitionOffset::packed_done): they are not handed out again. Until the partition
  // reads that message, or leaves.
  void SkipPacked(int input, int32_t partition, int64_t offset, int32_t done);
  // A record or end-of-partition event that reached the consumer's own queue instead of its
  // partition's: appended to the partition's buffer (records of a partition arrive in order),
  // or destroyed when the partition is not (any more) ours.
  void Adopt(int input, rd_kafka_message_t* m);

  // A record: a message, or one record of a packed message.
  struct Buffered {
    int64_t timestamp;  // read once, when the record is buffered: compared for every record out
    rd_kafka_message_t* message = nullptr;
    // A packed record: where it begins in the message's value (core/record_pack.hpp); 0: the
    // message is the record.
    uint32_t at = 0;
    int32_t index = 0;  // a packed record's place among its message's records
    // The message's last record (every message that is not packed): the one that owns it.
    bool last = true;
  };
  struct Part {
    int input = 0;
    std::string topic;
    int32_t partition = -1;
    rd_kafka_queue_t* queue = nullptr;
    // Set by librdkafka (queue event callback, any thread) when the queue receives something
    // after it was found empty; an empty queue is not asked again until then (asking takes
    // the queue's lock and reads the clock: per record and partition, that was the cost of
    // reading many partitions).
    std::atomic<bool> queue_ready{true};
    int wake_fd = -1;  // written by the callback too, for Wait
    std::deque<Buffered> buf;
    bool paused = false;
    bool packed = false;       // its last message was a pack: Fill moves fewer at once (kPackBatch)
    size_t message_bytes = 0;  // its last messages' average key and value: Fill moves kMoveBytes
    bool eof = false;          // at its end, as of its last end-of-partition event
    int64_t eof_at = -1;       // offset of the last end-of-partition event
    int64_t next = -1;         // offset after the last record handed out
    int64_t empty_since = -1;  // wall clock: when the buffer ran empty at the end (max_idle_ms)
    int64_t last_record_ms = 0;
    int64_t last_wake_ms = 0;
    size_t slot = 0;  // in order_ and heads_
    bool maybe_stopped =
        false;  // its queue reached queued.min.messages: librdkafka may have stopped fetching
    // Running largest timestamps: of the records buffered, and of those handed out (since the
    // start, or the last Clear).
    int64_t buffered_max = INT64_MIN, out_max = INT64_MIN;
  };

  // The next record in order if one is ready now, else one without a message (nothing
  // buffered, or a partition must be waited for). Error messages of a partition
  // (end-of-partition aside, which is recorded) are handed out as they come. The caller
  // destroys the message of a record that is its message's last; the others stay valid until
  // the next call of any method that changes this object.
  Buffered TryNext();
  // Waits up to `timeout_ms` for any partition queue, or the consumer's own queue (rebalances,
  // errors), to receive something.
  void Wait(int timeout_ms);
  // Whether TryNext returned null because a partition is waited for (rather than for lack of
  // records): the input is not caught up.
  bool waiting() const { return waiting_; }

  // Every partition that is not paused: at its end (as of its last end-of-partition event).
  bool AllAtEnd() const;
  const std::map<std::pair<int, int32_t>, Part>& parts() const { return parts_; }
  Part* Find(int input, int32_t partition);

 private:
  // Moves what the partition's queue holds into its buffer; an error message is returned.
  // `more`: even when its buffer holds records (TakeTurnsWhileHome's reading ahead).
  rd_kafka_message_t* Fill(Part& p, LazyNow& now, bool more = false);
  // Buffers a message's records (one, or a pack's: see `unpack`).
  void Push(Part& p, rd_kafka_message_t* m);
  static void Destroy(const Buffered& b) {
    if (b.last) rd_kafka_message_destroy(b.message);
  }
  // See FetchWaker: as soon as a queue that reached queued.min.messages has been drained below
  // it, and when a partition whose records were flowing runs dry.
  void WakeFetcher(Part& p, LazyNow& now);
  // Rebuilds order_ and heads_ (a partition joined or left); updates p's head.
  void Reorder();
  void Sync(const Part& p);
  bool Consider(size_t slot, LazyNow& now, Part** best, int64_t* best_ts, rd_kafka_message_t** error);
  Buffered Pop(Part& p, LazyNow& now);
  // TakeTurnsWhileHome's TryNext.
  Buffered TryNextHome(LazyNow& now);
  // Whether every other partition has been read past p's head in the merge's order, reading
  // ahead a little where needed; false when one has not (or an error message came out: *error).
  bool OthersPast(const Part& p, LazyNow& now, rd_kafka_message_t** error);
  void LeaveHome(const Part& p, const rd_kafka_message_t& m);

  rd_kafka_t* rk_;
  int64_t max_idle_ms_;
  bool unpack_;
  PackedRecord scratch_;  // Push's, reading a pack's timestamps
  std::map<std::pair<int, int32_t>, std::pair<int64_t, int32_t>> skips_;  // SkipPacked's (offset, done)
  std::map<std::pair<int, int32_t>, Part> parts_;                         // (input, partition)
  // parts_ in its order, and the timestamp of each one's first buffered record (kEmpty: none,
  // kSkip: paused), kept by Sync: the scan for every record reads one small array.
  std::vector<Part*> order_;
  std::vector<int64_t> heads_;
  // TakeTurns: the slots of each task (partition number), the task whose turn it is, and how
  // many records it handed out in this turn.
  size_t per_turn_ = 0;
  std::vector<std::vector<size_t>> tasks_;
  size_t turn_ = 0, turn_taken_ = 0;
  // TakeTurnsWhileHome's, until a record is not home; and the smallest (buffered_max, input,
  // partition) of the other partitions found past the turn's head (valid for this turn: they
  // only grow).
  std::function<bool(const rd_kafka_message_t&)> home_;
  size_t home_turn_ = 0;
  Part* current_ = nullptr;  // whose turn it is
  Stray stray_;
  std::tuple<int64_t, int, int32_t> past_{INT64_MIN, 0, 0};
  // Heads are compared by their partition's running largest timestamp: the merge's order from
  // any point, once the partitions have been read in turns (see TakeTurnsWhileHome).
  bool by_running_max_ = false;
  static constexpr int64_t kEmpty = INT64_MIN, kSkip = INT64_MAX;
  int wake_fd_[2] = {-1, -1};  // librdkafka writes here when a queue turns non-empty
  std::vector<rd_kafka_message_t*> batch_;
  rd_kafka_queue_t* consumer_queue_ = nullptr;
  bool waiting_ = false;
  size_t queued_min_ = 100000;      // librdkafka's queued.min.messages
  size_t queued_bytes_ = 64 << 20;  // librdkafka's queued.max.messages.kbytes, in bytes
  std::unique_ptr<FetchWaker> waker_;
};

}  // namespace kt
