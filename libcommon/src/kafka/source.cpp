#include "kt/kafka/source.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <numeric>
#include <thread>

#include "kt/core/deadline.hpp"
#include "kt/core/log.hpp"
#include "kt/core/origin.hpp"
#include "kt/core/record_pack.hpp"
#include "kt/core/time.hpp"
#include "kt/kafka/groups.hpp"
#include "kt/kafka/prefetch.hpp"
#include "kt/kafka/topic_pattern.hpp"

namespace kt {

namespace {
constexpr size_t kRetireBatch = 256;  // messages destroyed together (KafkaSource::retired_)
// Or fewer, when they hold this many bytes: each keeps its fetch buffer alive (256 records of
// 900 KB held 230 MB).
constexpr size_t kRetireBytes = 1 << 20;
}  // namespace

KafkaSource::KafkaSource(KafkaConfig cfg, KafkaSourceOptions options)
    : opt_(std::move(options)), client_(std::move(cfg), opt_.tool, opt_.verbose) {
  value_text_.codec = &opt_.value_codec;
  // -X group.instance.id (or -F) makes a static member as --instance-id does, and is one from here
  // on: it stays in the group when it closes, its GroupHold is static too, GroupRepair looks.
  // --instance-id wins when both are given (it is forced over -X).
  if (opt_.instance_id.empty() && !opt_.group.empty())
    opt_.instance_id = client_.config().Get("group.instance.id");
}

KafkaSource::~KafkaSource() {
  Release();
  listener_ = nullptr;  // whoever listened may be gone: a late revocation tells no one
  // The partition queues go back to librdkafka's own wiring before the consumer closes: records
  // fetched while it closes must land where the close discards them. One left in a detached
  // queue keeps its partition, and so its leader broker, alive, and rd_kafka_destroy waits for
  // that broker forever.
  synced_.reset();
  client_.CloseConsumer();
}

void KafkaSource::Release() {
  Retire();
  DestroyRetired();
}

void KafkaSource::Retire() {
  if (current_.message && current_.last) {
    retired_.push_back(current_.message);
    retired_bytes_ += current_.message->len + current_.message->key_len;
    if (retired_.size() >= kRetireBatch || retired_bytes_ >= kRetireBytes) DestroyRetired();
  }
  current_ = {};
}

void KafkaSource::DestroyRetired() {
  std::sort(retired_.begin(), retired_.end(), [](const rd_kafka_message_t* a, const rd_kafka_message_t* b) {
    return std::less<const void*>()(a->rkt, b->rkt) || (a->rkt == b->rkt && a->partition < b->partition);
  });
  for (rd_kafka_message_t* m : retired_) rd_kafka_message_destroy(m);
  retired_.clear();
  retired_bytes_ = 0;
}

int KafkaSource::InputOf(const char* topic) const {
  for (size_t i = 0; i < opt_.topics.size(); ++i)
    if (opt_.topics[i] == topic) return static_cast<int>(i);
  return 0;
}

std::vector<TopicPartition> KafkaSource::TopicPartitions(const rd_kafka_topic_partition_list_t* parts) const {
  std::vector<TopicPartition> out;
  for (int i = 0; i < parts->cnt; ++i) out.push_back({parts->elems[i].topic, parts->elems[i].partition});
  return out;
}

rd_kafka_topic_partition_list_t* KafkaSource::ListOf(const std::vector<TopicPartition>& partitions) const {
  rd_kafka_topic_partition_list_t* l = rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size()));
  for (const TopicPartition& tp : partitions)
    rd_kafka_topic_partition_list_add(l, tp.topic.c_str(), tp.partition);
  return l;
}

Status KafkaSource::CreateConsumer(const Prefetch& prefetch) {
  // queued.min.messages applies to each partition's queue (SyncedInput keeps them apart), and
  // librdkafka's 100000 held ~50 MB of small records per partition; PrefetchFor sizes it and
  // each fetch for all the partitions together. FetchWaker restarts fetching a partition
  // as soon as its queue drops below it. fetch.wait.max.ms: librdkafka sends one Fetch per broker
  // at a time, and while it is a long poll for partitions with nothing new (one at its end, say)
  // a partition that is needed next waits with it: 500 ms held a 4-partition merge up for 4.5 s
  // of a 5.8 s run, and made every -e run wait that long for the last end-of-partition event.
  // The same holds up a continuous run catching up on a backlog: partitions it has read to
  // their end are long-polled while the others still have records (16 partitions of 1M click
  // events: 3.6 s at 50 ms, 1.35 s at 10 ms, 0.9 s on one partition), so it uses 10 ms, at the
  // cost of 100 empty fetches a second while idle (bench/run-partitions). A run to the end (-e)
  // never idles, and partitions of unequal size are fetched to their ends while their last
  // records wait in the merge (70 waits, 0.52 s of a 1.3 s run at 10 ms; 0.06 s at 2 ms), so
  // it uses 2 ms.
  Properties defaults = {
      {"auto.offset.reset", opt_.from.kind == StartSpec::Kind::kEnd ? "latest" : "earliest"},
      {"queued.min.messages", std::to_string(prefetch.queued_min_messages)},
      {"max.partition.fetch.bytes", std::to_string(prefetch.partition_fetch_bytes)},
      {"queued.max.messages.kbytes", std::to_string(prefetch.queue_kbytes)},
      {"fetch.wait.max.ms", opt_.exit_at_end ? "2" : "10"},
      {"isolation.level", "read_committed"}};
  Properties forced = {{"enable.auto.commit", "false"},
                       {"enable.auto.offset.store", "false"},
                       {"enable.partition.eof", "true"}};
  // Static membership: a restart within session.timeout.ms keeps the partitions, no rebalance.
  if (!opt_.instance_id.empty() && !opt_.group.empty())
    forced.emplace_back("group.instance.id", opt_.instance_id);
  // Co-partitioned topics: partition p of each must go to the same member (one task), which only
  // the range assignor guarantees. One topic: cooperative-sticky, so that a copy joining or
  // leaving moves only the partitions that change hands; the others keep running, their stores
  // open (-X partition.assignment.strategy=range brings back the stop-the-world rebalance).
  if (opt_.topics.size() > 1 && !opt_.topic_patterns)
    forced.emplace_back("partition.assignment.strategy", "range");
  else if (opt_.cooperative)
    defaults.emplace_back("partition.assignment.strategy", "cooperative-sticky");
  // librdkafka 2.0 wants a group.id even for assign-only consumers; without -G the id is a
  // private one that is never joined (no subscribe) and never committed to.
  forced.emplace_back("group.id",
                      opt_.group.empty() ? opt_.tool + "-nocommit-" + std::to_string(getpid()) : opt_.group);
  Status created =
      client_.Create(RD_KAFKA_CONSUMER, "consumer", defaults, forced, this, [&](rd_kafka_conf_t* conf) {
        if (!opt_.group.empty()) rd_kafka_conf_set_rebalance_cb(conf, RebalanceCb);
      });
  if (!created.ok()) return created;
  rk_ = client_.get();
  return Status::Ok();
}

Status KafkaSource::Open(RebalanceListener* listener) {
  listener_ = listener;
  // A stateful stage's partitions are all its inputs' (prefetch_partitions); a forwarding one
  // reads the listed partitions, or every one (a group member gets a share of them later: its
  // prefetch may be smaller than its share would need, never larger).
  const bool stateful = opt_.prefetch_partitions > 0;
  const int listed = static_cast<int>(opt_.partitions.size() * opt_.topics.size());
  Prefetch prefetch = PrefetchFor(stateful ? opt_.prefetch_partitions : std::max(listed, 1), stateful);
  if (Status s = CreateConsumer(prefetch); !s.ok()) return s;
  const KafkaConfig& cfg = client_.config();

  if (opt_.topic_patterns &&
      std::any_of(opt_.topics.begin(), opt_.topics.end(), [](auto& t) { return IsTopicPattern(t); })) {
    std::vector<std::string> names;
    if (Status s = FetchMetadata(rk_, cfg, "", nullptr, &names); !s.ok()) return s;
    auto resolved = ResolveTopics(opt_.topics, std::move(names));
    if (!resolved.ok()) return Status::NotFound(resolved.status().message() + " on " + cfg.brokers);
    opt_.topics = std::move(*resolved);
    if (opt_.verbose) {
      std::string list;
      for (const std::string& t : opt_.topics) list += (list.empty() ? "" : ", ") + t;
      LogInfo(opt_.tool, "reading " + list);
    }
  }
  std::vector<int> counts;
  for (const std::string& topic : opt_.topics) {
    int partitions = 0;
    if (Status s = FetchMetadata(rk_, cfg, topic, &partitions); !s.ok()) return s;
    // A broker that is starting up may answer before it knows every topic: asked again shortly.
    for (int retry = 0; partitions == 0 && retry < 5; ++retry) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      if (Status s = FetchMetadata(rk_, cfg, topic, &partitions); !s.ok()) return s;
    }
    if (partitions == 0) return Status::KafkaError("topic '" + topic + "' does not exist on " + cfg.brokers);
    counts.push_back(partitions);
  }
  partition_counts_ = counts;
  for (int32_t p : opt_.partitions)
    if (p < 0 || p >= counts[0])
      return Status::InvalidArgument("topic '" + opt_.topics[0] + "' has no partition " + std::to_string(p) +
                                     " (it has " + std::to_string(counts[0]) + ")");
  if (!stateful && listed == 0) {
    const int total = std::accumulate(counts.begin(), counts.end(), 0);
    Prefetch fit = PrefetchFor(total, false);
    if (fit != prefetch) {
      // More partitions than librdkafka's sizes fit: the consumer, which has only looked topics
      // up, is made again with their share. Its metadata request connects it now; a request
      // that only waits for a broker (rd_kafka_clusterid, rd_kafka_committed) would leave that
      // to librdkafka's 1 s timer.
      client_.Reset();
      if (Status s = CreateConsumer(fit); !s.ok()) return s;
      int again = 0;
      if (Status s = FetchMetadata(rk_, cfg, opt_.topics[0], &again); !s.ok()) return s;
      if (opt_.verbose)
        LogInfo(opt_.tool, "reading " + std::to_string(total) + " partitions: each prefetches up to " +
                               std::to_string(fit.queued_min_messages) + " records or " +
                               std::to_string(fit.queue_kbytes >> 10) + " MB, " +
                               std::to_string(fit.partition_fetch_bytes >> 10) + " KB a fetch");
    }
  }
  synced_ = std::make_unique<SyncedInput>(rk_, opt_.max_idle_ms, /*unpack=*/true);
  tell_stray_ = opt_.home && opt_.verbose;
  if (opt_.home)
    synced_->TakeTurnsWhileHome(opt_.task_turn, opt_.home);
  else
    synced_->TakeTurns(opt_.task_turn);

  bool whole_group = !opt_.group.empty() && opt_.partitions.empty();  // else: direct assignment
  direct_batch_ = whole_group && DirectBatch();
  if (whole_group && !direct_batch_) {
    rd_kafka_topic_partition_list_t* topics =
        rd_kafka_topic_partition_list_new(static_cast<int>(opt_.topics.size()));
    for (const std::string& topic : opt_.topics)
      rd_kafka_topic_partition_list_add(topics, topic.c_str(), RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t e = rd_kafka_subscribe(rk_, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (e) return Status::KafkaError(std::string("subscribe failed: ") + rd_kafka_err2str(e));
    subscribed_ = true;
    if (opt_.hold) {
      hold_ = std::make_unique<GroupHold>(cfg, opt_.tool, opt_.hold->group, opt_.hold->topic,
                                          opt_.hold->partitions, opt_.instance_id, opt_.verbose);
      return hold_->Open();
    }
    return Status::Ok();
  }
  // Direct assignment: the listed partitions, or all of them.
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(8);
  for (size_t i = 0; i < opt_.topics.size(); ++i) {
    if (!opt_.partitions.empty()) {
      for (int32_t p : opt_.partitions) rd_kafka_topic_partition_list_add(parts, opt_.topics[i].c_str(), p);
    } else {
      for (int32_t p = 0; p < counts[i]; ++p)
        rd_kafka_topic_partition_list_add(parts, opt_.topics[i].c_str(), p);
    }
  }
  if (listener_) listener_->OnAssigning(TopicPartitions(parts));
  ApplyStartOffsets(parts, !opt_.group.empty());
  Status s = fatal_.ok() ? Assign(parts) : fatal_;
  rd_kafka_topic_partition_list_destroy(parts);
  return s;
}

bool KafkaSource::DirectBatch() const {
  if (!opt_.batch) return false;
  // kbroker cannot tell whether a group has members; a dev broker's groups are ktools' own runs,
  // so a batch run there reads directly (a member that joins meanwhile fails its commit).
  bool direct = IsMockCluster(rk_);
  if (!direct) {
    auto d = DescribeGroup(client_.config(), opt_.tool, opt_.group);
    direct = d.ok() && d->members == 0;  // cannot tell: join, as always
  }
  if (opt_.verbose)
    LogInfo(opt_.tool,
            direct ? "group " + opt_.group + " has no members: reading its partitions by direct assignment"
                   : "joining group " + opt_.group);
  return direct;
}

Status KafkaSource::Assign(rd_kafka_topic_partition_list_t* parts) {
  for (int i = 0; i < parts->cnt; ++i)  // first: their records must land in their own queues
    synced_->Add(InputOf(parts->elems[i].topic), parts->elems[i].topic, parts->elems[i].partition);
  rd_kafka_resp_err_t e = rd_kafka_assign(rk_, parts);
  if (e) return Status::KafkaError(std::string("assign failed: ") + rd_kafka_err2str(e));
  if (listener_) listener_->OnAssigned(TopicPartitions(parts));
  return Status::Ok();
}

// Sets each partition's start: its committed offset when `use_committed` and one exists,
// else --from (beginning, end, or the first offset at/after a time). Never a start after a
// record that is due: what cannot be looked up is left to librdkafka, or starts earlier and
// records a fatal error.
void KafkaSource::ApplyStartOffsets(rd_kafka_topic_partition_list_t* parts, bool use_committed) {
  if (use_committed) {
    if (rd_kafka_resp_err_t e =
            AskAgainAfterStop([&] { return rd_kafka_committed(rk_, parts, kMetadataTimeoutMs); }, TimedOut)) {
      // librdkafka reads the committed offsets again itself after assign, and starts where
      // there are none at auto.offset.reset (--from's beginning or end; the beginning for a
      // time). --from applied over a commit it could not read would skip records (--from end).
      for (int i = 0; i < parts->cnt; ++i) parts->elems[i].offset = RD_KAFKA_OFFSET_INVALID;
      bool time = opt_.from.kind == StartSpec::Kind::kTime;
      if (opt_.verbose || time)
        LogWarning(opt_.tool,
                   std::string("cannot read committed offsets: ") + rd_kafka_err2str(e) +
                       "; the consumer looks them up itself" +
                       (time ? ", and partitions without one start at their beginning, not at --from" : ""));
      return;
    }
    // A commit inside a packed message: its records done already are not read again.
    for (int i = 0; i < parts->cnt; ++i) {
      const rd_kafka_topic_partition_t& tp = parts->elems[i];
      std::string_view md(static_cast<const char*>(tp.metadata), tp.metadata ? tp.metadata_size : 0);
      synced_->SkipPacked(InputOf(tp.topic), tp.partition, tp.offset,
                          tp.offset >= 0 ? ParsePackDoneMetadata(md) : 0);
    }
  } else {
    for (int i = 0; i < parts->cnt; ++i) parts->elems[i].offset = RD_KAFKA_OFFSET_INVALID;
  }
  // Every start becomes an absolute offset here, in ListOffsets requests: a time, or the log's
  // start or end (timestamps -2 and -1 in that request). A logical offset left to librdkafka
  // 2.0 is looked up after assign, and when that lookup runs before the partition has joined
  // its leader's thread (a race right after the consumer first sees the topic; a third of the
  // one-liner runs here) it is retried on a 500 ms timer: 0.51 s instead of 0.01 s.
  std::vector<int> need;
  for (int i = 0; i < parts->cnt; ++i) {
    rd_kafka_topic_partition_t& tp = parts->elems[i];
    if (tp.offset >= 0) continue;   // committed
    if (use_committed && tp.err) {  // unknown: librdkafka reads it again (as above)
      tp.err = RD_KAFKA_RESP_ERR_NO_ERROR;
      continue;
    }
    switch (opt_.from.kind) {
      case StartSpec::Kind::kBeginning:
        tp.offset = RD_KAFKA_OFFSET_BEGINNING;
        break;
      case StartSpec::Kind::kEnd:
        tp.offset = RD_KAFKA_OFFSET_END;
        break;
      case StartSpec::Kind::kTime:
        tp.offset = opt_.from.time_ms;
        break;
      case StartSpec::Kind::kOffset:
        tp.offset = RD_KAFKA_OFFSET_END;
        break;  // then its start: StartAtOffset
    }
    need.push_back(i);
  }
  if (opt_.from.kind == StartSpec::Kind::kOffset) {
    StartAtOffset(parts, need);
    return;
  }
  // Where a lookup fails, a logical start stays for librdkafka to look up; a time cannot, so its
  // partition starts at the beginning and the run stops with an error before reading it. A
  // time after a partition's last record starts at its end, looked up as well.
  std::string why;
  std::vector<int64_t> found = LookUpOffsets(parts, need, &why);
  std::vector<int> after_last;
  // kbroker answers a time lookup with the log's end: a partition it answered is read from its
  // start instead, and Next skips its records before the first at or after --from, as the
  // lookup would have.
  bool mock_time = opt_.from.kind == StartSpec::Kind::kTime && IsMockCluster(rk_);
  for (size_t k = 0; k < need.size(); ++k) {
    rd_kafka_topic_partition_t& tp = parts->elems[need[k]];
    if (mock_time && found[k] != kNoAnswer) {
      tp.offset = RD_KAFKA_OFFSET_BEGINNING;
      seeking_time_.insert({tp.topic, tp.partition});
    } else if (found[k] >= 0) {
      tp.offset = found[k];
    } else if (tp.offset >= 0 && found[k] == -1) {  // a time after the last record
      tp.offset = RD_KAFKA_OFFSET_END;
      after_last.push_back(need[k]);
    } else if (tp.offset >= 0) {
      if (fatal_.ok())
        fatal_ =
            Status::KafkaError("cannot find where --from " + FormatRfc3339(opt_.from.time_ms) +
                               " starts in " + tp.topic + " [" + std::to_string(tp.partition) + "]: " + why);
      tp.offset = RD_KAFKA_OFFSET_BEGINNING;
    }
  }
  found = LookUpOffsets(parts, after_last, &why);
  for (size_t k = 0; k < after_last.size(); ++k)
    if (found[k] >= 0) parts->elems[after_last[k]].offset = found[k];
}

// --from offset:N / offset:-N for parts->elems[i], i in `which`: the offset, kept within the
// partition's records (log start offset to end; a clamp is said, as the records asked for are
// not there). Where the partition's ends cannot be looked up it starts at the beginning and the
// run stops with an error before reading it.
void KafkaSource::StartAtOffset(rd_kafka_topic_partition_list_t* parts, const std::vector<int>& which) {
  std::string why;
  std::vector<int64_t> high = LookUpOffsets(parts, which, &why);
  for (int i : which) parts->elems[i].offset = RD_KAFKA_OFFSET_BEGINNING;
  std::vector<int64_t> low = LookUpOffsets(parts, which, &why);
  const int64_t want = opt_.from.offset;
  for (size_t k = 0; k < which.size(); ++k) {
    rd_kafka_topic_partition_t& tp = parts->elems[which[k]];
    std::string where = tp.topic + std::string(" [") + std::to_string(tp.partition) + "]";
    if (low[k] < 0 || high[k] < 0) {
      if (fatal_.ok())
        fatal_ = Status::KafkaError("cannot find the offsets of " + where +
                                    " for --from offset:" + std::to_string(want) + ": " + why);
      continue;  // at the beginning, as set above
    }
    int64_t start = want >= 0 ? want : high[k] + want;
    if (start < low[k]) {
      if (want >= 0)
        LogWarning(opt_.tool, where + " starts at offset " + std::to_string(low[k]) +
                                  " (the records before it are " + "deleted): reading from there, not from " +
                                  std::to_string(want));
      start = low[k];
    } else if (start > high[k]) {
      LogWarning(opt_.tool, where + " ends at offset " + std::to_string(high[k]) +
                                ": reading from its end, not from " + std::to_string(want));
      start = high[k];
    }
    tp.offset = start;
  }
}

// The absolute offsets the leaders answer for the logical offsets or times of parts->elems[i],
// i in `which`: -1 for a time after the last record, kNoAnswer where the lookup failed (the
// error in *why).
std::vector<int64_t> KafkaSource::LookUpOffsets(rd_kafka_topic_partition_list_t* parts,
                                                const std::vector<int>& which, std::string* why) {
  std::vector<int64_t> out(which.size(), kNoAnswer);
  if (which.empty()) return out;
  rd_kafka_topic_partition_list_t* q = rd_kafka_topic_partition_list_new(static_cast<int>(which.size()));
  for (int i : which)
    rd_kafka_topic_partition_list_add(q, parts->elems[i].topic, parts->elems[i].partition)->offset =
        parts->elems[i].offset;
  rd_kafka_resp_err_t e = OffsetsForTimes(rk_, q);
  for (int k = 0; k < q->cnt; ++k) {
    rd_kafka_resp_err_t pe = e ? e : q->elems[k].err;
    if (!pe)
      out[k] = q->elems[k].offset;
    else if (why->empty())
      *why = rd_kafka_err2str(pe);
  }
  rd_kafka_topic_partition_list_destroy(q);
  if (!why->empty() && opt_.verbose) LogWarning(opt_.tool, "looking up start offsets: " + *why);
  return out;
}

void KafkaSource::RebalanceCb(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
                              void* opaque) {
  static_cast<KafkaSource*>(KafkaClient::Owner(opaque))->OnRebalance(err, parts);
}

void KafkaSource::OnRebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts) {
  synced_once_ = true;
  std::vector<TopicPartition> tps = TopicPartitions(parts);
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS && closing_) {
    // Partitions assigned while the consumer closes (a rebalance it took part in was completing):
    // it takes none of them. librdkafka 2.0 may hang in an assign made now (librdkafka#4884), so
    // none is made; Close leaves the group first to make this rare.
    return;
  }
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    // Handing over, or Close leaving the group (before the consumer closes): none is read any
    // more. The assign call is still made: librdkafka 2.0 waits for it, and a consumer closed
    // while it waits never finishes closing (librdkafka#4527). Close's unsubscribe gives them back.
    if (handing_over_ || leaving_) {
      TakeAssigned(rk_, parts);
      for (const TopicPartition& tp : tps) handed_.insert({InputOf(tp.topic.c_str()), tp.partition});
      return;
    }
    if (listener_) listener_->OnAssigning(tps);
    ApplyStartOffsets(parts, true);
    if (synced_)
      for (const TopicPartition& tp : tps) synced_->Add(InputOf(tp.topic.c_str()), tp.topic, tp.partition);
    TakeAssigned(rk_, parts);
    if (opt_.verbose) LogInfo(opt_.tool, "assigned " + std::to_string(tps.size()) + " partition(s)");
    if (listener_) listener_->OnAssigned(tps);
    // A static member's first assignment (--instance-id, or -X group.instance.id) may be the one
    // its group stored when a rebalance was cut short, and leave partitions to no member
    // (group_repair.hpp).
    if (!repair_ && !opt_.instance_id.empty() && IsCooperative(rk_) && !IsMockCluster(rk_))
      repair_ = std::make_unique<GroupRepair>(client_.config(), opt_.tool, opt_.group, opt_.topics,
                                              partition_counts_);
    // In place, the run reads every partition of its input or none: a sole member is given them
    // all at once, so fewer (or more later) means another member.
    if (hold_ && !leaving_ && !tps.empty()) {
      if (input_changed_ || synced_->parts().size() != static_cast<size_t>(partition_counts_[0]))
        HandOver(false, "another member joined group " + opt_.group);
      input_changed_ = true;  // from now on, any assignment is a change
    }
  } else {
    Release();  // the current message may belong to a revoked partition
    // Lost: the group went on without us (missed heartbeats, max.poll.interval.ms): another
    // member may already own these partitions, so nothing of them may be committed or written.
    bool lost = rd_kafka_assignment_lost(rk_);
    std::vector<TopicPartition> reported;  // those HandOver reported already are not again
    for (const TopicPartition& tp : tps)
      if (!handed_.count({InputOf(tp.topic.c_str()), tp.partition})) reported.push_back(tp);
    ReportLeaving(reported, lost);
    for (const TopicPartition& tp : tps) {
      int input = InputOf(tp.topic.c_str());
      if (synced_)
        synced_->Remove(input,
                        tp.partition);  // what was fetched and not processed is read again by the next owner
      done_.erase({input, tp.partition});
      gate_end_.erase({input, tp.partition});
    }
    GiveBack(rk_, parts);
    if (opt_.verbose)
      LogInfo(opt_.tool,
              std::string(lost ? "lost " : "revoked ") + std::to_string(tps.size()) + " partition(s)");
    if (hold_ && !leaving_ && !tps.empty()) HandOver(lost, "group " + opt_.group + " changed");
  }
}

void KafkaSource::ReportLeaving(const std::vector<TopicPartition>& tps, bool lost) {
  if (!listener_ || tps.empty()) return;
  if (lost)
    listener_->OnLost(tps);
  else
    listener_->OnRevoking(tps);
}

bool KafkaSource::HoldReady() const {
  return !handing_over_ && hold_->complete() &&
         synced_->parts().size() == static_cast<size_t>(partition_counts_[0]);
}

void KafkaSource::HandOver(bool lost, const std::string& why) {
  if (handing_over_) return;
  handing_over_ = true;
  if (opt_.verbose) LogInfo(opt_.tool, why + ": the run hands its input over to the repartition topic");
  Release();
  std::vector<TopicPartition> tps;
  for (auto& [key, p] : synced_->parts()) tps.push_back({p.topic, p.partition});
  // Before the held partitions go (this runs inside the hold's or the input's rebalance): the
  // Runner commits what was applied (lost: drops it), and the tasks' state is written.
  ReportLeaving(tps, lost);
  for (const TopicPartition& tp : tps) {
    int input = InputOf(tp.topic.c_str());
    handed_.insert({input, tp.partition});
    synced_->Remove(input, tp.partition);
  }
}

bool KafkaSource::ServeEvents() {
  since_events_ = 0;
  if (hold_ && !handing_over_)
    hold_->Serve([this](bool lost) { HandOver(lost, "group " + opt_.hold->group + " changed"); });
  while (rd_kafka_message_t* m = rd_kafka_consumer_poll(rk_, 0)) {  // rebalances run in here
    if (!m->err || m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (m->rkt) {  // a record that missed its partition's queue: keep it, in order
        synced_->Adopt(InputOf(rd_kafka_topic_name(m->rkt)), m);
        continue;
      }
    } else {
      std::string msg = rd_kafka_message_errstr(m);
      rd_kafka_resp_err_t err = m->err;
      if (err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC) {
        fatal_ = Status::KafkaError("topic: " + msg);
      } else if (err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) {
        fatal_ = Status::KafkaError("not authorized on topic '" + opt_.topics[0] + "' for operation Read" +
                                    UserOf(client_.config()) + ": " + msg);
      } else if (err == RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED && !opt_.group.empty()) {
        fatal_ = Status::KafkaError("not authorized on group '" + opt_.group + "' for operation Read" +
                                    UserOf(client_.config()) + ": " + msg);
      } else if (err == RD_KAFKA_RESP_ERR__FATAL) {
        // The consumer reads and commits nothing from here on (librdkafka): the run stops. Its
        // fatal errors come here, not to the error callback, as the consumer queue takes them.
        fatal_ = client_.FatalError();
        char why[256] = "";
        if (rd_kafka_fatal_error(rk_, why, sizeof why) == RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID)
          fatal_ = Status::KafkaError("another member joined group " + opt_.group +
                                      " with this copy's instance id '" + opt_.instance_id +
                                      "' and took its place (static membership): give every copy its own "
                                      "--instance-id (" +
                                      why + ")");
      } else if (opt_.verbose) {
        LogWarning(opt_.tool, "consumer: " + msg);
      }
    }
    rd_kafka_message_destroy(m);
  }
  return fatal_.ok();
}

bool KafkaSource::AllCaughtUp() {
  if (opt_.end_gate) return opt_.exit_at_end && GatedCaughtUp();
  if (synced_->parts().empty()) return false;
  // With --until, a partition at its end once the clock has passed TIME is done too: records
  // written from then on are later, so `--until now` prints what the topic holds and exits, and
  // a TIME ahead follows the topic until then.
  bool end_counts = opt_.exit_at_end || (opt_.until_ms >= 0 && NowMs() >= opt_.until_ms);
  for (auto& [key, p] : synced_->parts()) {
    if (done_.count(key)) continue;
    if (!end_counts || p.paused || !p.buf.empty() || !p.eof) return false;
  }
  return true;
}

// Stage 1 has finished (the gate is open): its last records are committed. Each partition's
// end is then fixed (the high watermark, under read_committed the last stable offset, asked
// once) and the partition is caught up when what was handed out, or its last end-of-partition
// event, reached it. The event counts too because a transaction's commit marker sits after its
// last record: the offset after that record stays one short of the end.
bool KafkaSource::GatedCaughtUp() {
  if (!opt_.end_gate->load()) return false;
  int64_t now = NowMs();
  if (now - last_gate_check_ms_ < 100) return false;
  last_gate_check_ms_ = now;
  for (auto& [key, p] : synced_->parts()) {
    if (p.paused || !p.buf.empty()) return false;
    auto end = gate_end_.find(key);
    if (end == gate_end_.end()) {
      int64_t lo = 0, hi = 0;
      if (QueryWatermarks(rk_, p.topic, p.partition, &lo, &hi)) return false;
      end = gate_end_.emplace(key, hi).first;
      if (hi == lo) continue;  // an empty partition
    }
    if (std::max(p.next, p.eof_at) < end->second) return false;
  }
  return OthersCaughtUp();
}

// A gated stage ends only when every partition of its input has been read to its end: its own,
// and those another member of its group holds (a copy of the tool), whose committed offsets
// must have reached their ends. A partition that nobody holds yet (a topic created a moment
// ago, whose metadata is still incomplete) holds the end back until the group assigns it.
bool KafkaSource::OthersCaughtUp() {
  std::vector<TopicPartition> others;
  for (size_t i = 0; i < opt_.topics.size(); ++i) {
    int count = std::max(opt_.expected_partitions, i < partition_counts_.size() ? partition_counts_[i] : 0);
    for (int32_t p = 0; p < count; ++p)
      if (!synced_->parts().count({static_cast<int>(i), p})) others.push_back({opt_.topics[i], p});
  }
  if (others.empty()) return true;
  rd_kafka_topic_partition_list_t* l = ListOf(others);
  bool done = rd_kafka_committed(rk_, l, kMetadataTimeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR;
  for (int i = 0; done && i < l->cnt; ++i) {
    const rd_kafka_topic_partition_t& tp = l->elems[i];
    std::pair<int, int32_t> key{InputOf(tp.topic), tp.partition};
    auto end = gate_end_.find(key);
    if (end == gate_end_.end()) {
      int64_t lo = 0, hi = 0;
      if (QueryWatermarks(rk_, tp.topic, tp.partition, &lo, &hi)) {
        done = false;
        break;
      }
      end = gate_end_.emplace(key, hi == lo ? -1 : hi).first;  // -1: empty, nothing to read
    }
    if (end->second >= 0 && (tp.err || tp.offset < end->second)) done = false;
  }
  rd_kafka_topic_partition_list_destroy(l);
  return done;
}

Source::Poll KafkaSource::Next(int timeout_ms, Record* rec, Status* record_status) {
  Retire();
  int64_t deadline = -1;  // read from the clock only when there is nothing to hand out at once
  while (true) {
    if (++since_events_ >= 32 || synced_->parts().empty() || (hold_ && !HoldReady()))
      if (!ServeEvents()) return Poll::kIdle;
    if (hold_ && !HoldReady()) {  // nothing is applied before both groups are held whole
      if (handing_over_) return Poll::kEnd;
      int64_t now = NowMs();
      if (deadline < 0) deadline = now + timeout_ms;
      if (now >= deadline) return Poll::kIdle;
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min<int64_t>(5, deadline - now)));
      continue;
    }
    SyncedInput::Buffered b = synced_->TryNext();
    if (tell_stray_ && !synced_->stray().topic.empty()) {
      tell_stray_ = false;
      const SyncedInput::Stray& s = synced_->stray();
      LogInfo(opt_.tool, s.topic + " [" + std::to_string(s.partition) + "] at offset " +
                             std::to_string(s.offset) + ": a record not in " + opt_.home_rule +
                             " (or one that cannot tell); the partitions are merged from there on instead of "
                             "taking turns");
    }
    if (rd_kafka_message_t* m = b.message) {
      auto drop = [&] {
        if (b.last) rd_kafka_message_destroy(m);
      };
      if (m->err) {
        std::string msg = rd_kafka_message_errstr(m);
        rd_kafka_resp_err_t err = m->err;
        rd_kafka_message_destroy(m);
        if (err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC ||
            err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) {
          fatal_ = Status::KafkaError("topic: " + msg);
          return Poll::kIdle;
        }
        if (opt_.verbose) LogWarning(opt_.tool, "consumer: " + msg);
        continue;
      }
      if (opt_.until_ms >= 0 && rd_kafka_message_timestamp(m, nullptr) >= opt_.until_ms) {
        TopicPartition tp{rd_kafka_topic_name(m->rkt), m->partition};
        int input = InputOf(tp.topic.c_str());
        drop();
        done_[{input, tp.partition}] = true;
        Pause({tp});
        if (AllCaughtUp()) return Poll::kEnd;
        continue;
      }
      if (!seeking_time_.empty()) {  // kbroker and --from TIME (ApplyStartOffsets)
        auto it = seeking_time_.find({rd_kafka_topic_name(m->rkt), m->partition});
        if (it != seeking_time_.end()) {
          if (rd_kafka_message_timestamp(m, nullptr) < opt_.from.time_ms) {
            drop();
            continue;
          }
          seeking_time_.erase(it);
        }
      }
      current_ = b;
      FillRecord(rec, record_status);
      return Poll::kRecord;
    }
    // Nothing to hand out now: the retired messages go before the input waits or idles, rather
    // than keeping their fetch buffers meanwhile.
    DestroyRetired();
    if (!ServeEvents()) return Poll::kIdle;
    if (AllCaughtUp()) return Poll::kEnd;
    int64_t now = NowMs();
    if (deadline < 0) deadline = now + timeout_ms;
    if (now >= deadline) return Poll::kIdle;
    synced_->Wait(static_cast<int>(deadline - now));
  }
}

void KafkaSource::FillRecord(Record* rec, Status* record_status) {
  rd_kafka_message_t* m = current_.message;
  *rec = Record();
  rec->input = InputOf(rd_kafka_topic_name(m->rkt));
  rec->topic = opt_.topics[static_cast<size_t>(rec->input)];
  rec->partition = m->partition;
  rec->offset = m->offset;
  rec->timestamp = rd_kafka_message_timestamp(m, nullptr);
  headers_.clear();
  origin_.Reset();
  *record_status = Status::Ok();
  if (current_.at > 0) {
    FillPacked(rec, record_status);
    return;
  }
  rd_kafka_headers_t* hdrs = nullptr;
  if ((opt_.headers || opt_.origin_headers) &&
      rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* name;
    const void* val;
    size_t size;
    for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
         ++i) {
      Header h{name, std::nullopt};
      if (val) h.value = std::string_view(static_cast<const char*>(val), size);
      if (opt_.origin_headers && origin_.Take(h)) continue;
      headers_.push_back(h);
    }
  }
  rec->headers = &headers_;
  rec->origin = origin_.origin();
  std::optional<std::string_view> key, value;
  if (m->key) key = std::string_view(static_cast<const char*>(m->key), m->key_len);
  if (m->payload) value = std::string_view(static_cast<const char*>(m->payload), m->len);
  Decode(key, value, rec, record_status);
}

void KafkaSource::FillPacked(Record* rec, Status* record_status) {
  rd_kafka_message_t* m = current_.message;
  std::string_view pack(static_cast<const char*>(m->payload), m->payload ? m->len : 0);
  rec->more_at_offset = !current_.last;
  rec->packed_index = current_.index;
  rec->headers = &headers_;
  size_t at = current_.at;
  Status s = PackStart(pack).status();
  if (s.ok()) s = ReadPacked(pack, &at, &packed_);
  if (!s.ok()) {  // a bad record: a dead letter of it carries the whole pack
    *record_status = s;
    rec->wire_value = pack;
    return;
  }
  rec->timestamp = packed_.timestamp;
  for (const Header& h : packed_.headers) {
    if (opt_.origin_headers && origin_.Take(h)) continue;
    if (opt_.headers) headers_.push_back(h);
  }
  rec->origin = origin_.origin();
  Decode(packed_.key, packed_.value, rec, record_status);
}

void KafkaSource::Decode(std::optional<std::string_view> key, std::optional<std::string_view> value,
                         Record* rec, Status* record_status) {
  if (key) {
    rec->wire_key = key;
    std::string_view text;
    Status s = opt_.key_codec.Decode(*rec->wire_key, &key_scratch_, &text);
    if (s.ok())
      rec->key = text;
    else
      *record_status = s.WithContext("key");
  }
  if (value) {
    rec->wire_value = value;
    std::string_view text;
    Status s = opt_.value_codec.Decode(*rec->wire_value, &value_scratch_, &text, value_documents_);
    if (s.ok()) {
      rec->value = text;
      rec->value_document = value_documents_ && value_documents_->filled;
      if (rec->value_document && value_documents_->text_skipped) {
        rec->value = rec->wire_value->substr(0, 0);
        rec->value_text_from = &value_text_;
      }
    } else if (record_status->ok())
      *record_status = s.WithContext("value");
  }
}

rd_kafka_topic_partition_list_t* CommitList(const std::vector<TopicPartitionOffset>& offsets) {
  rd_kafka_topic_partition_list_t* l = rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size()));
  for (auto& o : offsets) {
    rd_kafka_topic_partition_t* tp = rd_kafka_topic_partition_list_add(l, o.topic.c_str(), o.partition);
    tp->offset = o.offset;
    if (o.packed_done > 0) {  // the list frees it
      std::string md = PackDoneMetadata(o.packed_done);
      tp->metadata = std::malloc(md.size());
      if (tp->metadata) {
        std::memcpy(tp->metadata, md.data(), md.size());
        tp->metadata_size = md.size();
      }
    }
  }
  return l;
}

Status KafkaSource::Commit(const std::vector<TopicPartitionOffset>& offsets) {
  if (offsets.empty() || opt_.group.empty()) return Status::Ok();
  rd_kafka_topic_partition_list_t* l = CommitList(offsets);
  rd_kafka_resp_err_t e = rd_kafka_commit(rk_, l, /*async=*/0);
  std::string failed;
  for (int i = 0; !e && i < l->cnt; ++i)
    if (l->elems[i].err)
      failed =
          "partition " + std::to_string(l->elems[i].partition) + ": " + rd_kafka_err2str(l->elems[i].err);
  rd_kafka_topic_partition_list_destroy(l);
  // A batch run that read by direct assignment commits as the group's only user; the broker
  // refuses that once a member has joined.
  // kbroker's mock cluster keeps a member that left as long as it runs: say so, not "gained".
  bool refused = direct_batch_ &&
                 (e == RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID || e == RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION);
  std::string why =
      !refused ? ""
      : IsMockCluster(rk_)
          ? " (kbroker keeps every member group " + opt_.group +
                " ever had, so a batch run that reads it without joining cannot commit there; "
                "use another -G, or restart kbroker)"
          : " (group " + opt_.group + " gained a member while this run read it without joining)";
  if (e) return Status::KafkaError(std::string("commit: ") + rd_kafka_err2str(e) + why);
  if (!failed.empty()) return Status::KafkaError("commit: " + failed);
  return Status::Ok();
}

void KafkaSource::Pause(const std::vector<TopicPartition>& partitions) {
  if (partitions.empty()) return;
  rd_kafka_topic_partition_list_t* l = ListOf(partitions);
  (void)rd_kafka_pause_partitions(rk_, l);
  rd_kafka_topic_partition_list_destroy(l);
  for (const TopicPartition& tp : partitions)
    synced_->SetPaused(InputOf(tp.topic.c_str()), tp.partition, true);
}

void KafkaSource::Resume(const std::vector<TopicPartition>& partitions) {
  if (partitions.empty()) return;
  rd_kafka_topic_partition_list_t* l = ListOf(partitions);
  (void)rd_kafka_resume_partitions(rk_, l);
  rd_kafka_topic_partition_list_destroy(l);
  for (const TopicPartition& tp : partitions)
    synced_->SetPaused(InputOf(tp.topic.c_str()), tp.partition, false);
}

Status KafkaSource::Rewind() {
  Release();
  synced_->Clear();
  std::vector<TopicPartition> tps;
  for (auto& [key, p] : synced_->parts()) tps.push_back({p.topic, p.partition});
  std::vector<TopicPartition> ended;  // paused at --until: read again
  for (auto& [key, done] : done_) ended.push_back({opt_.topics[static_cast<size_t>(key.first)], key.second});
  Resume(ended);
  done_.clear();
  gate_end_.clear();
  if (tps.empty()) return Status::Ok();
  rd_kafka_topic_partition_list_t* l = ListOf(tps);
  ApplyStartOffsets(l, !opt_.group.empty());
  bool unknown = false;  // the committed offsets could not be read: no place to seek to
  for (int i = 0; i < l->cnt; ++i) unknown = unknown || l->elems[i].offset == RD_KAFKA_OFFSET_INVALID;
  if (unknown || !fatal_.ok()) {
    rd_kafka_topic_partition_list_destroy(l);
    return unknown ? Status::Unavailable("cannot read the committed offsets to read again from") : fatal_;
  }
  rd_kafka_error_t* e = rd_kafka_seek_partitions(rk_, l, kMetadataTimeoutMs);
  std::string failed;
  for (int i = 0; !e && i < l->cnt; ++i)
    if (l->elems[i].err)
      failed =
          "partition " + std::to_string(l->elems[i].partition) + ": " + rd_kafka_err2str(l->elems[i].err);
  rd_kafka_topic_partition_list_destroy(l);
  if (e) {
    Status s = Status::Unavailable(std::string("seek: ") + rd_kafka_error_string(e));
    rd_kafka_error_destroy(e);
    return s;
  }
  if (!failed.empty()) return Status::Unavailable("seek: " + failed);
  return Status::Ok();
}

void KafkaSource::Close() {
  bool first = !leaving_;
  leaving_ = true;  // from now on, what is assigned is taken unread (OnRebalance)
  repair_.reset();
  Release();
  // Still in its first join (a run stopped, or handing over, at its start): let it finish.
  if (first && rk_ && subscribed_ && !synced_once_) FinishFirstJoin(rk_, &synced_once_);
  // A static member (--instance-id, -X group.instance.id) stays in the group: closing does not
  // leave it (KIP-345; librdkafka's unsubscribe would send LeaveGroup for it), so
  // a restart within session.timeout.ms gets its partitions back without a rebalance.
  // The partitions are revoked through the rebalance callback, as in any rebalance.
  if (first && rk_ && subscribed_ && opt_.instance_id.empty()) LeaveGroup(rk_);
  closing_ = true;
  // Revokes through the rebalance callback; a member still in its first join is kept (#4381).
  client_.CloseConsumer(!subscribed_ || synced_once_);
  if (hold_) hold_->Close();  // last: the tasks it kept from others are written
}

std::vector<TopicPartitionOffset> KafkaSource::EndPositions() const {
  std::vector<TopicPartitionOffset> out;
  if (!synced_) return out;
  for (auto& [key, p] : synced_->parts())
    if (p.eof && !p.paused && p.buf.empty() && p.eof_at > p.next)
      out.push_back({p.topic, p.partition, p.eof_at});
  return out;
}

std::string KafkaSource::NothingReadNote() const {
  if (!synced_ || synced_->parts().empty()) return "";
  std::map<std::string, std::string> ends;  // topic -> "0: 100, 1: 50"
  size_t listed = 0, total = 0;
  for (auto& [key, p] : synced_->parts()) {
    ++total;
    if (listed >= 8) continue;
    std::string& e = ends[p.topic];
    e += (e.empty() ? "" : ", ") + std::to_string(p.partition) + ": " +
         (p.eof_at >= 0 ? std::to_string(p.eof_at) : std::string("?"));
    ++listed;
  }
  std::string where;
  for (auto& [topic, e] : ends) where += (where.empty() ? "" : "; ") + topic + " partition " + e;
  if (total > listed) where += ", ...";
  if (!opt_.group.empty())
    return "nothing new for group '" + opt_.group + "': its committed offsets are at the end offsets (" +
           where + "); 'kgroup reset " + opt_.group + " --to-earliest --execute' reads them again";
  return "nothing to read at --from (end offsets: " + where + ")";
}

std::vector<std::pair<TopicPartition, int64_t>> KafkaSource::PartitionLags(
    const std::vector<TopicPartitionOffset>& next) const {
  std::vector<std::pair<TopicPartition, int64_t>> out;
  if (!rk_) return out;
  rd_kafka_topic_partition_list_t* parts = nullptr;
  if (rd_kafka_assignment(rk_, &parts) || !parts) return out;
  bool positions = rd_kafka_position(rk_, parts) == RD_KAFKA_RESP_ERR_NO_ERROR;
  for (int i = 0; i < parts->cnt; ++i) {
    const rd_kafka_topic_partition_t& tp = parts->elems[i];
    int64_t lo = 0, hi = 0, lag = -1;
    int64_t pos = positions ? tp.offset : -1;
    for (auto& n : next)
      if (n.partition == tp.partition && n.topic == tp.topic) pos = n.offset;
    // The watermarks the last fetch reported (no request); -1001 (none yet): unknown.
    if (!rd_kafka_get_watermark_offsets(rk_, tp.topic, tp.partition, &lo, &hi) && hi >= 0 && pos >= 0)
      lag = std::max<int64_t>(0, hi - pos);
    out.push_back({TopicPartition{tp.topic, tp.partition}, lag});
  }
  rd_kafka_topic_partition_list_destroy(parts);
  return out;
}

std::optional<int64_t> KafkaSource::Lag(const std::vector<TopicPartitionOffset>& next) const {
  if (!rk_) return std::nullopt;
  auto lags = PartitionLags(next);
  if (lags.empty()) {  // nothing assigned: no lag, when the assignment could be asked
    rd_kafka_topic_partition_list_t* parts = nullptr;
    if (rd_kafka_assignment(rk_, &parts) || !parts) return std::nullopt;
    rd_kafka_topic_partition_list_destroy(parts);
    return 0;
  }
  int64_t lag = 0;
  for (auto& [tp, n] : lags) {
    if (n < 0) return std::nullopt;
    lag += n;
  }
  return lag;
}

}  // namespace kt
