#include "kt/run/offset_tracker.hpp"

namespace kt {

OffsetTracker::Entry* OffsetTracker::Begin(std::string_view topic, int32_t partition, int64_t offset,
                                           int32_t packed_done) {
  Partition* p = last_;
  if (!p || p->partition != partition || p->topic != topic) {
    auto it = partitions_.find(Key(topic, partition));
    if (it == partitions_.end()) {
      it = partitions_.try_emplace({std::string(topic), partition}).first;
      it->second.topic = std::string(topic);
      it->second.partition = partition;
    }
    p = &it->second;
    last_ = p;
  }
  Entry& e = p->entries.emplace_back(offset, p);
  e.packed_done = packed_done;
  return &e;
}

void OffsetTracker::Ack(Entry* e, bool ok) {
  if (!ok) e->failed = true;
  --e->pending;
  if (e->sealed && e->pending == 0) Advance(e->owner);
}

void OffsetTracker::Seal(Entry* e) {
  e->sealed = true;
  if (e->pending == 0) Advance(e->owner);
}

void OffsetTracker::Advance(Partition* p) {
  while (!p->entries.empty()) {
    const Entry& front = p->entries.front();
    if (!front.sealed || front.pending != 0 || front.failed) break;
    p->done_next = front.packed_done > 0 ? front.offset : front.offset + 1;
    p->done_packed = front.packed_done;
    p->entries.pop_front();
  }
}

std::vector<TopicPartitionOffset> OffsetTracker::Committable() const {
  std::vector<TopicPartitionOffset> out;
  for (auto& [k, p] : partitions_)
    if (std::pair(p.done_next, p.done_packed) > std::pair(p.committed_next, p.committed_packed))
      out.push_back({p.topic, p.partition, p.done_next, p.done_packed});
  return out;
}

void OffsetTracker::MarkCommitted(const std::vector<TopicPartitionOffset>& offsets) {
  for (auto& o : offsets) {
    auto it = partitions_.find(Key(o.topic, o.partition));
    if (it == partitions_.end()) continue;
    Partition& p = it->second;
    if (std::pair(o.offset, o.packed_done) > std::pair(p.committed_next, p.committed_packed)) {
      p.committed_next = o.offset;
      p.committed_packed = o.packed_done;
    }
  }
}

bool OffsetTracker::SkipTo(const std::string& topic, int32_t partition, int64_t next) {
  auto it = partitions_.find(Key(topic, partition));
  if (it == partitions_.end()) return false;
  Partition& p = it->second;
  if (!p.entries.empty() || p.done_next < 0 || next <= p.done_next) return false;
  p.done_next = next;
  p.done_packed = 0;
  return true;
}

void OffsetTracker::Clear() {
  partitions_.clear();
  last_ = nullptr;
}

void OffsetTracker::Remove(const std::string& topic, int32_t partition) {
  auto it = partitions_.find(Key(topic, partition));
  if (it == partitions_.end()) return;
  if (last_ == &it->second) last_ = nullptr;
  partitions_.erase(it);
}

std::vector<TopicPartitionOffset> OffsetTracker::NextOffsets() const {
  std::vector<TopicPartitionOffset> out;
  for (auto& [k, p] : partitions_) {
    int64_t next = p.entries.empty()                  ? p.done_next
                   : p.entries.back().packed_done > 0 ? p.entries.back().offset
                                                      : p.entries.back().offset + 1;
    if (next >= 0) out.push_back({p.topic, p.partition, next});
  }
  return out;
}

size_t OffsetTracker::InFlight() const {
  size_t n = 0;
  for (auto& [k, p] : partitions_) n += p.entries.size();
  return n;
}

}  // namespace kt
