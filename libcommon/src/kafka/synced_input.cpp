#include "kt/kafka/synced_input.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>

#include "kt/core/time.hpp"

namespace kt {

namespace {
constexpr size_t kBatch = 512;
// Messages moved at once from the queue of a partition whose messages are packs (hundreds of
// records each): its buffer holds a few thousand records, not a queue's worth (the rest waits
// in librdkafka's queue). Other partitions move kBatch at once.
constexpr size_t kPackBatch = 8;
// And at most about this many bytes' worth (one message at least): records out of librdkafka's
// queue no longer count against its queued.max.messages.kbytes, so it fetches as many again.
constexpr size_t kMoveBytes = 1 << 20;
constexpr int64_t kWakeEveryMs = 5;
// TakeTurnsWhileHome: how many records a partition may hold buffered while it is read ahead for
// another partition's turn. Past that (its records are far older than the turn's), the turn ends
// rather than the whole partition being held in memory.
constexpr size_t kReadAhead = 8 * kBatch;
// Or about this many bytes of records (as many records of 900 KB would be 3.6 GB).
constexpr size_t kReadAheadBytes = 16 << 20;
}  // namespace

SyncedInput::SyncedInput(rd_kafka_t* rk, int64_t max_idle_ms, bool unpack)
    : rk_(rk), max_idle_ms_(max_idle_ms), unpack_(unpack), batch_(kBatch) {
  if (pipe2(wake_fd_, O_NONBLOCK | O_CLOEXEC) != 0) wake_fd_[0] = wake_fd_[1] = -1;
  consumer_queue_ = rd_kafka_queue_get_consumer(rk_);
  if (consumer_queue_ && wake_fd_[1] >= 0)
    rd_kafka_queue_io_event_enable(consumer_queue_, wake_fd_[1], "1", 1);
  char value[32];
  size_t size = sizeof value;
  if (rd_kafka_conf_get(rd_kafka_conf(rk_), "queued.min.messages", value, &size) == RD_KAFKA_CONF_OK)
    queued_min_ = std::max<size_t>(2, std::strtoull(value, nullptr, 10));
  size = sizeof value;
  if (rd_kafka_conf_get(rd_kafka_conf(rk_), "queued.max.messages.kbytes", value, &size) == RD_KAFKA_CONF_OK)
    queued_bytes_ = std::max<size_t>(1, std::strtoull(value, nullptr, 10)) << 10;
  waker_ = std::make_unique<FetchWaker>(rk_);
}

SyncedInput::~SyncedInput() {
  waker_.reset();  // no query in flight once the partitions are given back
  while (!parts_.empty()) Remove(parts_.begin()->first.first, parts_.begin()->first.second);
  if (consumer_queue_) {
    rd_kafka_queue_io_event_enable(consumer_queue_, -1, nullptr, 0);
    rd_kafka_queue_destroy(consumer_queue_);
  }
  for (int fd : wake_fd_)
    if (fd >= 0) ::close(fd);
}

namespace {
// librdkafka calls this, from whichever thread enqueues, when a partition queue receives
// something (at least on each change from empty); it must be quick and call no librdkafka API.
// Wait is woken only when the mark goes up: a partition waited for was found empty (its mark
// down) by the TryNext before the Wait, so anything arriving for it raises the mark.
void OnQueueEvent(rd_kafka_t*, void* opaque) {
  auto* p = static_cast<SyncedInput::Part*>(opaque);
  // Read before written: the mark shares a cache line with the consumer thread's reads, and a
  // write on each enqueue would pull the line away from it (as Fill's does, below).
  if (p->queue_ready.load(std::memory_order_relaxed)) return;
  if (!p->queue_ready.exchange(true, std::memory_order_acq_rel) && p->wake_fd >= 0) {
    ssize_t ignored = ::write(p->wake_fd, "1", 1);  // a full pipe already wakes Wait
    (void)ignored;
  }
}
}  // namespace

void SyncedInput::Add(int input, const std::string& topic, int32_t partition) {
  auto [it, added] = parts_.try_emplace(std::make_pair(input, partition));
  if (!added) return;
  Part& p = it->second;  // a map node: its address, the callback's opaque, stays put
  p.input = input;
  p.topic = topic;
  p.partition = partition;
  p.wake_fd = wake_fd_[1];
  p.queue = rd_kafka_queue_get_partition(rk_, topic.c_str(), partition);
  if (p.queue) {
    rd_kafka_queue_forward(p.queue, nullptr);  // its records stay here, not in the consumer queue
    rd_kafka_queue_cb_event_enable(p.queue, OnQueueEvent, &p);
  }
  p.last_record_ms = NowMs();
  Reorder();
}

void SyncedInput::Remove(int input, int32_t partition) {
  auto it = parts_.find({input, partition});
  if (it == parts_.end()) return;
  Part& p = it->second;
  for (Buffered& b : p.buf) Destroy(b);
  if (p.queue) {
    rd_kafka_queue_cb_event_enable(p.queue, nullptr, nullptr);  // under the queue's lock: no call after this
    // What the queue holds is dropped here rather than moved on: the next owner reads it again.
    ssize_t n;
    while ((n = rd_kafka_consume_batch_queue(p.queue, 0, batch_.data(), batch_.size())) > 0)
      for (ssize_t i = 0; i < n; ++i) rd_kafka_message_destroy(batch_[i]);
    if (consumer_queue_) rd_kafka_queue_forward(p.queue, consumer_queue_);  // librdkafka's own wiring
    rd_kafka_queue_destroy(p.queue);
  }
  parts_.erase(it);
  skips_.erase({input, partition});
  Reorder();
}

void SyncedInput::SkipPacked(int input, int32_t partition, int64_t offset, int32_t done) {
  if (done > 0)
    skips_[{input, partition}] = {offset, done};
  else
    skips_.erase({input, partition});
}

void SyncedInput::Reorder() {
  order_.clear();
  heads_.clear();
  std::map<int32_t, std::vector<size_t>> tasks;  // by partition number; inputs in order within
  for (auto& [key, p] : parts_) {
    p.slot = order_.size();
    tasks[p.partition].push_back(p.slot);
    order_.push_back(&p);
    heads_.push_back(kEmpty);
    Sync(p);
  }
  tasks_.clear();
  for (auto& [partition, slots] : tasks) tasks_.push_back(std::move(slots));
  turn_ = 0;
  turn_taken_ = 0;
  current_ = nullptr;
  past_ = {INT64_MIN, 0, 0};
}

void SyncedInput::TakeTurns(size_t per_turn) {
  per_turn_ = per_turn;
  turn_ = 0;
  turn_taken_ = 0;
}

void SyncedInput::TakeTurnsWhileHome(size_t per_turn, std::function<bool(const rd_kafka_message_t&)> home) {
  TakeTurns(0);
  home_turn_ = per_turn;
  home_ = std::move(home);
  by_running_max_ = true;
  current_ = nullptr;
  past_ = {INT64_MIN, 0, 0};
}

void SyncedInput::LeaveHome(const Part& p, const rd_kafka_message_t& m) {
  home_ = nullptr;
  current_ = nullptr;
  stray_ = {p.topic, p.partition, m.offset};
}

void SyncedInput::Sync(const Part& p) {
  // A record's timestamp is whatever its producer wrote: one of INT64_MAX must not read as paused.
  if (p.paused || p.buf.empty()) {
    heads_[p.slot] = p.paused ? kSkip : kEmpty;
    return;
  }
  int64_t ts = p.buf.front().timestamp;
  if (by_running_max_) ts = std::max(ts, p.out_max);
  heads_[p.slot] = std::min(ts, kSkip - 1);
}

SyncedInput::Part* SyncedInput::Find(int input, int32_t partition) {
  auto it = parts_.find({input, partition});
  return it == parts_.end() ? nullptr : &it->second;
}

void SyncedInput::SetPaused(int input, int32_t partition, bool paused) {
  if (Part* p = Find(input, partition)) {
    p->paused = paused;
    Sync(*p);
  }
}

void SyncedInput::Adopt(int input, rd_kafka_message_t* m) {
  Part* p = Find(input, m->partition);
  if (!p) {
    rd_kafka_message_destroy(m);
    return;
  }
  if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
    if (p->buf.empty()) p->eof = true;
    if (m->offset > p->eof_at) p->eof_at = m->offset;
    rd_kafka_message_destroy(m);
    return;
  }
  Push(*p, m);
  p->eof = false;
  p->empty_since = -1;
  Sync(*p);
}

void SyncedInput::Push(Part& p, rd_kafka_message_t* m) {
  int64_t ts = rd_kafka_message_timestamp(m, nullptr);
  rd_kafka_headers_t* hdrs = nullptr;
  const void* v = nullptr;
  size_t n = 0;
  std::string_view value(static_cast<const char*>(m->payload), m->payload ? m->len : 0);
  if (!unpack_ || !MayBePack(m->key != nullptr, value) ||
      rd_kafka_message_headers(m, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR ||
      rd_kafka_header_get_last(hdrs, kPackHeader.data(), &v, &n) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    p.buf.push_back({ts, m});
    p.buffered_max = std::max(p.buffered_max, ts);
    p.packed = false;
    if (home_ && !home_(*m)) LeaveHome(p, *m);
    return;
  }
  p.packed = true;
  if (home_) LeaveHome(p, *m);  // a run in place reads no repartition topic
  // A pack: a record per record, the last owning the message. One the reader cannot read is
  // buffered at where it begins all the same: reading it there again reports it (a bad record).
  // The first records of the message a commit said were done (SkipPacked) are left out.
  int32_t skip = 0;
  if (auto s = skips_.find({p.input, p.partition}); s != skips_.end() && m->offset >= s->second.first) {
    if (m->offset == s->second.first) skip = s->second.second;
    skips_.erase(s);
  }
  std::string_view pack = value;
  auto start = PackStart(pack);
  size_t at = start.ok() ? *start : 0, before = p.buf.size();
  int32_t index = 0;
  for (; at > 0 && at < pack.size(); ++index) {
    size_t next = at;
    if (!ReadPacked(pack, &next, &scratch_).ok()) break;
    if (index >= skip) {
      p.buf.push_back({scratch_.timestamp, m, static_cast<uint32_t>(at), index, false});
      p.buffered_max = std::max(p.buffered_max, scratch_.timestamp);
    }
    at = next;
  }
  if (at == 0 || at < pack.size() || (index == 0 && skip == 0))  // unreadable, or a pack of none
    p.buf.push_back({ts, m, static_cast<uint32_t>(at == 0 ? 1 : at), index, false});
  if (p.buf.size() == before) {  // every record done already
    rd_kafka_message_destroy(m);
    return;
  }
  p.buf.back().last = true;
}

void SyncedInput::Clear() {
  for (auto& [key, p] : parts_) {
    for (Buffered& b : p.buf) Destroy(b);
    p.buf.clear();
    Sync(p);
    p.queue_ready = true;  // refilled from the new position
    p.eof = false;
    p.eof_at = -1;
    p.next = -1;
    p.empty_since = -1;
    p.buffered_max = p.out_max = INT64_MIN;
  }
  turn_ = 0;  // the order starts over from the new position, as the merge of every partition does
  turn_taken_ = 0;
  current_ = nullptr;
  past_ = {INT64_MIN, 0, 0};
}

rd_kafka_message_t* SyncedInput::Fill(Part& p, LazyNow& now, bool more) {
  if ((!more && !p.buf.empty()) || !p.queue) return nullptr;
  // Found empty before and nothing arrived since: no need to ask. Cleared before asking, so
  // that whatever arrives after the answer sets it again.
  // Read first: an exchange writes even when the mark is down already, and each write takes the
  // cache line from the librdkafka thread that raises it (a partition waited for is looked at
  // for every record; 16 partitions of 1M records: 3% of the stage's samples were this line's,
  // 0.5% now; the wall time did not change measurably).
  if (!p.queue_ready.load(std::memory_order_relaxed) ||
      !p.queue_ready.exchange(false, std::memory_order_acq_rel))
    return nullptr;
  size_t want = p.packed
                    ? kPackBatch
                    : std::clamp<size_t>(kMoveBytes / std::max<size_t>(p.message_bytes, 1), 1, batch_.size());
  ssize_t n = rd_kafka_consume_batch_queue(p.queue, 0, batch_.data(), want);
  if (n > 0) {
    p.queue_ready.store(true,
                        std::memory_order_relaxed);  // it may hold more: ask again when the buffer empties
    size_t bytes = 0;
    for (ssize_t i = 0; i < n; ++i) bytes += batch_[i]->len + batch_[i]->key_len;
    if (bytes > 0)
      p.message_bytes = bytes / static_cast<size_t>(n);  // not from end-of-partition events alone
    size_t left = rd_kafka_queue_length(p.queue);
    // librdkafka stops fetching a partition whose queue holds queued.min.messages, or
    // queued.max.messages.kbytes (its bytes estimated from these messages').
    if (left + static_cast<size_t>(n) >= queued_min_ ||
        (left + static_cast<size_t>(n)) * p.message_bytes >= queued_bytes_) {
      p.maybe_stopped = true;
    } else if (p.maybe_stopped) {
      p.maybe_stopped = false;
      waker_->Wake(p.topic, p.partition);
    }
  }
  rd_kafka_message_t* error = nullptr;
  for (ssize_t i = 0; i < n; ++i) {
    rd_kafka_message_t* m = batch_[i];
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      p.eof = true;
      if (m->offset > p.eof_at) p.eof_at = m->offset;
      rd_kafka_message_destroy(m);
    } else if (m->err) {
      if (error) rd_kafka_message_destroy(error);  // the last one says it
      error = m;
    } else {
      Push(p, m);
      p.eof = false;
      p.empty_since = -1;
      p.last_record_ms = now();
    }
  }
  if (p.buf.empty() && p.eof && p.empty_since < 0) p.empty_since = now();
  Sync(p);
  return error;
}

void SyncedInput::WakeFetcher(Part& p, LazyNow& now) {
  if (now() - p.last_record_ms > 1000 || now() - p.last_wake_ms < kWakeEveryMs) return;
  p.last_wake_ms = now();
  waker_->Wake(p.topic, p.partition);
}

// A slot's head, its buffer filled first when empty, weighed against the best so far. False
// when an error message came out of the queue instead (*error).
bool SyncedInput::Consider(size_t slot, LazyNow& now, Part** best, int64_t* best_ts,
                           rd_kafka_message_t** error) {
  int64_t head = heads_[slot];
  if (head == kSkip) return true;  // paused
  if (head == kEmpty) {
    Part& p = *order_[slot];
    if ((*error = Fill(p, now))) return false;
    if (p.buf.empty()) {
      // Older records may still come: wait, unless the partition said it is at its end (and,
      // with --max-idle, has stayed empty that long).
      if (!p.eof) {
        waiting_ = true;
        WakeFetcher(p, now);
      } else if (max_idle_ms_ > 0 && now() < p.empty_since + max_idle_ms_) {
        waiting_ = true;
      }
      return true;
    }
    head = heads_[slot];
  }
  // Ties keep the earlier slot: the map's order (input, partition).
  if (!*best || head < *best_ts) {
    *best = order_[slot];
    *best_ts = head;
  }
  return true;
}

SyncedInput::Buffered SyncedInput::TryNext() {
  LazyNow now;
  if (home_) return TryNextHome(now);
  waiting_ = false;
  Part* best = nullptr;
  int64_t best_ts = 0;
  rd_kafka_message_t* error = nullptr;
  if (per_turn_ == 0) {
    // The smallest head, in one pass over the array (ties: the earlier slot). kEmpty is below
    // every timestamp: when it is the smallest, a buffer must be filled first, and its partition
    // may have to be waited for, which Consider's pass does.
    size_t slot = 0;
    int64_t least = kSkip;
    for (size_t i = 0; i < heads_.size(); ++i)
      if (heads_[i] < least) least = heads_[i], slot = i;
    if (least == kSkip) return {};  // none, or every one paused
    if (least != kEmpty) return Pop(*order_[slot], now);
    for (size_t i = 0; i < heads_.size(); ++i)
      if (!Consider(i, now, &best, &best_ts, &error)) return {0, error};
    if (waiting_ || !best) return {};
    return Pop(*best, now);
  }
  // In turns: the task whose turn it is hands out up to per_turn_ records, then the next one
  // (by partition number) takes over; a task with nothing to hand out passes its turn at once,
  // one that must wait for a partition holds the turn (as the merge of every partition would).
  // One round, plus the task the call began with again: its turn may have been over while the
  // others had nothing, and it takes a new one at once rather than after a wait for the broker.
  if (tasks_.empty()) return {};
  for (size_t passed = 0; passed <= tasks_.size(); ++passed) {
    if (turn_taken_ < per_turn_) {
      for (size_t slot : tasks_[turn_])
        if (!Consider(slot, now, &best, &best_ts, &error)) return {0, error};
      if (waiting_) return {};
      if (best) {
        ++turn_taken_;
        return Pop(*best, now);
      }
    }
    turn_ = (turn_ + 1) % tasks_.size();
    turn_taken_ = 0;
  }
  return {};
}

SyncedInput::Buffered SyncedInput::TryNextHome(LazyNow& now) {
  waiting_ = false;
  rd_kafka_message_t* error = nullptr;
  // The turn goes on while its partition has records, fewer than home_turn_ went in it, and the
  // other partitions have been read past its head (reading a little ahead where needed).
  if (Part* p = current_; p && !p->paused && turn_taken_ < home_turn_) {
    if ((error = Fill(*p, now))) return {0, error};
    bool past = !p->buf.empty() && OthersPast(*p, now, &error);
    if (error) return {0, error};
    if (!home_) return TryNext();  // a record read ahead was not home: merged from now on
    if (past) {
      ++turn_taken_;
      return Pop(*p, now);
    }
  }
  // A new turn, for the partition whose head goes first in the merge's order: every other
  // partition has been read past it (each buffered record's running largest timestamp is at least
  // its partition's head's), or is at its end. Consider fills an empty buffer and waits, as the
  // merge does, for a partition that has none but may have more.
  current_ = nullptr;
  Part* best = nullptr;
  int64_t best_ts = 0;
  for (size_t i = 0; i < heads_.size(); ++i)
    if (!Consider(i, now, &best, &best_ts, &error)) return {0, error};
  if (!home_) return TryNext();
  if (waiting_ || !best) return {};
  current_ = best;
  turn_taken_ = 1;
  past_ = {INT64_MIN, 0, 0};
  return Pop(*best, now);
}

bool SyncedInput::OthersPast(const Part& p, LazyNow& now, rd_kafka_message_t** error) {
  using Key = std::tuple<int64_t, int, int32_t>;
  // Where p's head goes in the merge's order; the records of another partition still to come go
  // after its last buffered one, at or past (buffered_max, input, partition).
  const Key head{std::max(p.out_max, p.buf.front().timestamp), p.input, p.partition};
  if (head < past_) return true;
  Key least{INT64_MAX, INT_MAX, INT32_MAX};
  for (Part* o : order_) {
    if (o == &p || o->paused) continue;  // a paused partition holds nothing up in the merge either
    for (;;) {
      Key read{o->buffered_max, o->input, o->partition};
      if (head < read) {
        least = std::min(least, read);
        break;
      }
      if (o->eof) break;  // read to its end
      // Not read past it yet: read more of it, unless it holds many records already, or has
      // none more now (the turn ends; the next is the merge's choice, which waits where needed).
      if (o->buf.size() >= kReadAhead || (!o->packed && o->buf.size() * o->message_bytes >= kReadAheadBytes))
        return false;
      size_t before = o->buf.size();
      if ((*error = Fill(*o, now, /*more=*/true)) || !home_ || o->buf.size() == before) return false;
    }
  }
  past_ = least;
  return true;
}

SyncedInput::Buffered SyncedInput::Pop(Part& p, LazyNow& now) {
  Buffered b = p.buf.front();
  p.buf.pop_front();
  p.out_max = std::max(p.out_max, b.timestamp);
  p.next = b.last ? b.message->offset + 1 : b.message->offset;
  if (p.buf.empty() && p.eof) p.empty_since = now();
  Sync(p);
  return b;
}

void SyncedInput::Wait(int timeout_ms) {
  if (timeout_ms <= 0) return;
  if (wake_fd_[0] < 0) {
    ::usleep(static_cast<useconds_t>(std::min(timeout_ms, 5)) * 1000);
    return;
  }
  pollfd pfd{wake_fd_[0], POLLIN, 0};
  // Poll in short steps: a partition waited for may also turn ready by the wall clock (--max-idle).
  int step = max_idle_ms_ > 0
                 ? std::min<int>(timeout_ms, static_cast<int>(std::max<int64_t>(1, max_idle_ms_)))
                 : timeout_ms;
  if (::poll(&pfd, 1, step) > 0) {
    char drain[64];
    while (::read(wake_fd_[0], drain, sizeof drain) > 0) {
    }
  }
}

bool SyncedInput::AllAtEnd() const {
  for (auto& [key, p] : parts_)
    if (!p.paused && !(p.buf.empty() && p.eof)) return false;
  return true;
}

}  // namespace kt
