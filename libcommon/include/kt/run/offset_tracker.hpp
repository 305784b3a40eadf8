// At-least-once bookkeeping (ARCHITECTURE.md principle 3): an input offset becomes committable
// only when the record and every record before it in its partition are done, and a record is
// done once it is sealed (processing finished) and every output it caused is acknowledged.
// Acknowledgements may arrive in any order.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kt/io/sink.hpp"
#include "kt/io/source.hpp"

namespace kt {

class OffsetTracker {
 public:
  struct Partition;
  // One input record; also the delivery token of its outputs (DeliveryToken::Kind::kRecord).
  struct Entry : DeliveryToken {
    Entry(int64_t o, Partition* p) : DeliveryToken(Kind::kRecord), offset(o), owner(p) {}
    int64_t offset;
    uint32_t pending = 0;  // outputs sent, not yet acknowledged
    bool sealed = false;
    bool failed = false;  // an output failed: never committable
    // Not the last record of its offset (Record::more_at_offset): once done, that offset is
    // where reading starts again, after this many of its records (0: the offset after it).
    int32_t packed_done = 0;
    Partition* owner;
  };
  struct Partition {
    std::string topic;
    int32_t partition;
    std::deque<Entry> entries;  // deque: references stay valid across push_back/pop_front
    int64_t done_next = -1;     // next offset after the last done record, -1 none yet
    int32_t done_packed = 0;    // records of the packed message at done_next done already
    int64_t committed_next = -1;
    int32_t committed_packed = 0;
  };

  OffsetTracker() = default;
  OffsetTracker(const OffsetTracker&) = delete;
  OffsetTracker& operator=(const OffsetTracker&) = delete;

  // Starts tracking a record. The returned entry is the delivery token of its outputs; it
  // stays valid until the entry is done (popped) or its partition is removed. `packed_done`:
  // Entry::packed_done.
  Entry* Begin(std::string_view topic, int32_t partition, int64_t offset, int32_t packed_done = 0);
  void AddPending(Entry* e) { ++e->pending; }
  // An output was acknowledged (ok) or failed for good.
  void Ack(Entry* e, bool ok);
  // Processing of the record finished; no outputs will be added.
  void Seal(Entry* e);

  // Offsets that are committable and not yet committed. Nothing is marked: an offset counts as
  // committed only after MarkCommitted (once the broker confirmed it).
  std::vector<TopicPartitionOffset> Committable() const;
  void MarkCommitted(const std::vector<TopicPartitionOffset>& offsets);
  // The input has no record before `next` in this partition that is not done (what lies between
  // is no record: a transaction's commit marker): `next` becomes committable. Nothing happens
  // while a record of the partition is in flight. Returns whether it moved on.
  bool SkipTo(const std::string& topic, int32_t partition, int64_t next);
  // Forgets a partition (after revocation). REQUIRES: no tokens of it are still outstanding.
  void Remove(const std::string& topic, int32_t partition);
  // Forgets everything (an aborted transaction). REQUIRES: no tokens are still outstanding.
  void Clear();

  // Records begun but not done, over all partitions.
  size_t InFlight() const;
  // Each tracked partition's offset after the last record begun (how far processing got).
  std::vector<TopicPartitionOffset> NextOffsets() const;

 private:
  void Advance(Partition* p);
  // (topic, partition), looked up by a view: a record from another partition than the last
  // one (every other record of a many-partition input) makes no string of its topic's name.
  using Key = std::pair<std::string_view, int32_t>;
  struct KeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return Key(a.first, a.second) < Key(b.first, b.second);
    }
  };
  std::map<std::pair<std::string, int32_t>, Partition, KeyLess> partitions_;
  Partition* last_ = nullptr;  // fast path: consecutive records from one partition
};

}  // namespace kt
