#include "kt/kafka/source.hpp"

#include <unistd.h>

#include <charconv>
#include <iterator>

#include "kt/core/log.hpp"
#include "kt/core/time.hpp"

namespace kt {

KafkaSource::KafkaSource(KafkaConfig cfg, KafkaSourceOptions options)
    : opt_(std::move(options)), client_(std::move(cfg), opt_.tool, opt_.verbose) {}

KafkaSource::~KafkaSource() { Release(); }

void KafkaSource::Release() {
  if (current_) rd_kafka_message_destroy(current_);
  current_ = nullptr;
}

Status KafkaSource::Open(RebalanceListener* listener) {
  listener_ = listener;
  // queued.min.messages: librdkafka's 100000 holds ~50 MB of small records; 20000 keeps a tool
  // under 64 MB at the same throughput now that WakeFetcher makes refills cheap (see bench/).
  Properties defaults = {{"auto.offset.reset", opt_.from.kind == StartSpec::Kind::kEnd ? "latest" : "earliest"},
                         {"queued.min.messages", "20000"}};
  Properties forced = {{"enable.auto.commit", "false"},
                       {"enable.auto.offset.store", "false"},
                       {"enable.partition.eof", "true"}};
  // librdkafka 2.0 wants a group.id even for assign-only consumers; without -G the id is a
  // private one that is never joined (no subscribe) and never committed to.
  forced.emplace_back("group.id", opt_.group.empty() ? opt_.tool + "-nocommit-" + std::to_string(getpid())
                                                     : opt_.group);
  Status created = client_.Create(RD_KAFKA_CONSUMER, "consumer", defaults, forced, this, [&](rd_kafka_conf_t* conf) {
    if (!opt_.group.empty()) rd_kafka_conf_set_rebalance_cb(conf, RebalanceCb);
  });
  if (!created.ok()) return created;
  rk_ = client_.get();
  const KafkaConfig& cfg = client_.config();

  int partitions = 0;
  Status s = FetchMetadata(rk_, cfg, opt_.topic, &partitions);
  if (!s.ok()) return s;
  if (partitions == 0)
    return Status::KafkaError("topic '" + opt_.topic + "' does not exist on " + cfg.brokers);
  for (int32_t p : opt_.partitions)
    if (p < 0 || p >= partitions)
      return Status::InvalidArgument("topic '" + opt_.topic + "' has no partition " + std::to_string(p) +
                                     " (it has " + std::to_string(partitions) + ")");

  if (!opt_.group.empty() && opt_.partitions.empty()) {
    rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, opt_.topic.c_str(), RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t e = rd_kafka_subscribe(rk_, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (e) return Status::KafkaError(std::string("subscribe failed: ") + rd_kafka_err2str(e));
    return Status::Ok();
  }
  // Direct assignment: the listed partitions, or all of them.
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(partitions);
  if (opt_.partitions.empty()) {
    for (int32_t p = 0; p < partitions; ++p) rd_kafka_topic_partition_list_add(parts, opt_.topic.c_str(), p);
  } else {
    for (int32_t p : opt_.partitions) rd_kafka_topic_partition_list_add(parts, opt_.topic.c_str(), p);
  }
  ApplyStartOffsets(parts, !opt_.group.empty());
  rd_kafka_error_t* aerr = nullptr;
  rd_kafka_resp_err_t e = rd_kafka_assign(rk_, parts);
  std::vector<int32_t> ids;
  for (int i = 0; i < parts->cnt; ++i) {
    assigned_[parts->elems[i].partition] = PartitionState{};
    ids.push_back(parts->elems[i].partition);
  }
  rd_kafka_topic_partition_list_destroy(parts);
  if (aerr) rd_kafka_error_destroy(aerr);
  if (e) return Status::KafkaError(std::string("assign failed: ") + rd_kafka_err2str(e));
  if (listener_) listener_->OnAssigned(ids);
  return Status::Ok();
}

// Sets each partition's start: its committed offset when `use_committed` and one exists,
// else --from (beginning, end, or the first offset at/after a time).
void KafkaSource::ApplyStartOffsets(rd_kafka_topic_partition_list_t* parts, bool use_committed) {
  if (use_committed) {
    rd_kafka_resp_err_t e = rd_kafka_committed(rk_, parts, kMetadataTimeoutMs);
    if (e && opt_.verbose) LogWarning(opt_.tool, std::string("cannot read committed offsets: ") + rd_kafka_err2str(e));
  } else {
    for (int i = 0; i < parts->cnt; ++i) parts->elems[i].offset = RD_KAFKA_OFFSET_INVALID;
  }
  std::vector<int> need_time;
  for (int i = 0; i < parts->cnt; ++i) {
    rd_kafka_topic_partition_t& tp = parts->elems[i];
    if (tp.offset >= 0) continue;  // committed
    switch (opt_.from.kind) {
      case StartSpec::Kind::kBeginning: tp.offset = RD_KAFKA_OFFSET_BEGINNING; break;
      case StartSpec::Kind::kEnd: tp.offset = RD_KAFKA_OFFSET_END; break;
      case StartSpec::Kind::kTime: need_time.push_back(i); break;
    }
  }
  if (need_time.empty()) return;
  rd_kafka_topic_partition_list_t* q = rd_kafka_topic_partition_list_new(static_cast<int>(need_time.size()));
  for (int i : need_time)
    rd_kafka_topic_partition_list_add(q, parts->elems[i].topic, parts->elems[i].partition)->offset = opt_.from.time_ms;
  rd_kafka_resp_err_t e = rd_kafka_offsets_for_times(rk_, q, kMetadataTimeoutMs);
  for (int k = 0; k < q->cnt; ++k) {
    int64_t off = (e || q->elems[k].err) ? RD_KAFKA_OFFSET_END : q->elems[k].offset;
    parts->elems[need_time[k]].offset = off < 0 ? RD_KAFKA_OFFSET_END : off;
  }
  if (e) LogWarning(opt_.tool, std::string("offsets for --from time: ") + rd_kafka_err2str(e));
  rd_kafka_topic_partition_list_destroy(q);
}

void KafkaSource::RebalanceCb(rd_kafka_t*, rd_kafka_resp_err_t err,
                              rd_kafka_topic_partition_list_t* parts, void* opaque) {
  static_cast<KafkaSource*>(KafkaClient::Owner(opaque))->OnRebalance(err, parts);
}

void KafkaSource::OnRebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts) {
  bool cooperative = std::string(rd_kafka_rebalance_protocol(rk_)) == "COOPERATIVE";
  std::vector<int32_t> ids;
  for (int i = 0; i < parts->cnt; ++i) ids.push_back(parts->elems[i].partition);
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    ApplyStartOffsets(parts, true);
    if (cooperative) {
      if (rd_kafka_error_t* e = rd_kafka_incremental_assign(rk_, parts)) rd_kafka_error_destroy(e);
    } else {
      rd_kafka_assign(rk_, parts);
    }
    for (int32_t p : ids) assigned_[p] = PartitionState{};
    if (opt_.verbose) LogInfo(opt_.tool, "assigned " + std::to_string(ids.size()) + " partition(s) of " + opt_.topic);
    if (listener_) listener_->OnAssigned(ids);
  } else {
    Release();  // the current message may belong to a revoked partition
    // Lost: the group went on without us (missed heartbeats, max.poll.interval.ms): another
    // member may already own these partitions, so nothing of them may be committed or written.
    bool lost = rd_kafka_assignment_lost(rk_);
    if (listener_) {
      if (lost) listener_->OnLost(ids);
      else listener_->OnRevoking(ids);
    }
    if (cooperative) {
      if (rd_kafka_error_t* e = rd_kafka_incremental_unassign(rk_, parts)) rd_kafka_error_destroy(e);
    } else {
      rd_kafka_assign(rk_, nullptr);
    }
    for (int32_t p : ids) assigned_.erase(p);
    if (opt_.verbose) LogInfo(opt_.tool, std::string(lost ? "lost " : "revoked ") + std::to_string(ids.size()) + " partition(s)");
  }
}

bool KafkaSource::AllCaughtUp() {
  if (opt_.end_gate) return opt_.exit_at_end && GatedCaughtUp();
  if (assigned_.empty()) return false;
  for (auto& [p, st] : assigned_)
    if (!(st.done || (opt_.exit_at_end && st.eof))) return false;
  return true;
}

// librdkafka 2.0 stops fetching a partition while the prefetch queue holds queued.min.messages
// and, once the application has drained it, notices only on its broker thread's next ~1 s
// timer: a consumer whose processing is slower than fetching stalls for up to a second every
// queued.min.messages records (2.1 added fetch.queue.backoff.ms for this). Any request queued
// on the partition leader's broker thread wakes it and makes it decide to fetch again; a
// watermark query (ListOffsets, one small round trip) is such a request and changes no fetch
// state. We send one when our queue has run dry while records were still flowing, so idle
// topics are never polled this way.
void KafkaSource::WakeFetcher() {
  if (assigned_.empty() || NowMs() - last_record_ms_ > 1000) return;
  auto it = assigned_.begin();
  std::advance(it, static_cast<long>(wake_rr_++ % assigned_.size()));
  if (it->second.eof || it->second.done) return;
  int64_t lo, hi;
  rd_kafka_query_watermark_offsets(rk_, opt_.topic.c_str(), it->first, &lo, &hi, 1000);
}

// Stage 1 has finished (the gate is open): its last records are committed. Each partition's
// end is then fixed (the high watermark, under read_committed the last stable offset, asked
// once) and the partition is caught up when the consumer's position or its last end-of-partition
// event reached it. The event counts too because a transaction's commit marker sits after its
// last record: the position after that record stays one short of the end.
bool KafkaSource::GatedCaughtUp() {
  if (!opt_.end_gate->load() || assigned_.empty()) return false;
  int64_t now = NowMs();
  if (now - last_gate_check_ms_ < 100) return false;
  last_gate_check_ms_ = now;
  rd_kafka_topic_partition_list_t* l = rd_kafka_topic_partition_list_new(static_cast<int>(assigned_.size()));
  for (auto& [p, st] : assigned_) rd_kafka_topic_partition_list_add(l, opt_.topic.c_str(), p);
  rd_kafka_position(rk_, l);
  bool need_committed = false;
  for (int i = 0; i < l->cnt; ++i) need_committed |= l->elems[i].offset < 0;
  rd_kafka_topic_partition_list_t* c = nullptr;
  if (need_committed) {
    c = rd_kafka_topic_partition_list_copy(l);
    (void)rd_kafka_committed(rk_, c, kMetadataTimeoutMs);
  }
  bool done = true;
  for (int i = 0; i < l->cnt && done; ++i) {
    PartitionState& st = assigned_[l->elems[i].partition];
    int64_t lo = 0;
    if (st.end < 0 &&
        rd_kafka_query_watermark_offsets(rk_, opt_.topic.c_str(), l->elems[i].partition, &lo, &st.end, kMetadataTimeoutMs)) {
      st.end = -1;
      done = false;
      break;
    }
    int64_t pos = l->elems[i].offset;
    if (pos < 0 && c) pos = c->elems[i].offset;
    if (pos < 0) pos = lo;  // nothing consumed or committed: caught up only if empty
    done = std::max(pos, st.eof_at) >= st.end;
  }
  rd_kafka_topic_partition_list_destroy(l);
  if (c) rd_kafka_topic_partition_list_destroy(c);
  return done;
}

Source::Poll KafkaSource::Next(int timeout_ms, Record* rec, Status* record_status) {
  Release();
  while (true) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk_, timeout_ms);
    if (!m && timeout_ms == 0) WakeFetcher();
    if (!m) return AllCaughtUp() ? Poll::kEnd : Poll::kIdle;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      auto it = assigned_.find(m->partition);
      if (it != assigned_.end()) {
        it->second.eof = true;
        it->second.eof_at = std::max(it->second.eof_at, m->offset);
      }
      rd_kafka_message_destroy(m);
      if (AllCaughtUp()) return Poll::kEnd;
      timeout_ms = 0;
      continue;
    }
    if (m->err) {
      std::string msg = rd_kafka_message_errstr(m);
      rd_kafka_resp_err_t err = m->err;
      rd_kafka_message_destroy(m);
      if (err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC ||
          err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) {
        fatal_ = Status::KafkaError("topic '" + opt_.topic + "': " + msg);
        return Poll::kIdle;
      }
      if (opt_.verbose) LogWarning(opt_.tool, "consumer: " + msg);
      continue;
    }
    auto it = assigned_.find(m->partition);
    if (it != assigned_.end()) {
      it->second.eof = false;
      if (it->second.done) {  // records after --until of a paused partition
        rd_kafka_message_destroy(m);
        continue;
      }
    }
    rd_kafka_timestamp_type_t tstype;
    int64_t ts = rd_kafka_message_timestamp(m, &tstype);
    if (opt_.until_ms >= 0 && ts >= opt_.until_ms) {
      if (it != assigned_.end()) it->second.done = true;
      rd_kafka_topic_partition_list_t* l = rd_kafka_topic_partition_list_new(1);
      rd_kafka_topic_partition_list_add(l, opt_.topic.c_str(), m->partition);
      rd_kafka_pause_partitions(rk_, l);
      rd_kafka_topic_partition_list_destroy(l);
      rd_kafka_message_destroy(m);
      if (AllCaughtUp()) return Poll::kEnd;
      continue;
    }
    current_ = m;
    last_record_ms_ = NowMs();
    break;
  }
  rd_kafka_message_t* m = current_;
  *rec = Record();
  rec->topic = opt_.topic;
  rec->partition = m->partition;
  rec->offset = m->offset;
  rd_kafka_timestamp_type_t tstype;
  rec->timestamp = rd_kafka_message_timestamp(m, &tstype);
  headers_.clear();
  origin_ = Origin();
  bool has_origin = false;
  rd_kafka_headers_t* hdrs = nullptr;
  if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* name;
    const void* val;
    size_t size;
    for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
      Header h{name, std::nullopt};
      if (val) h.value = std::string_view(static_cast<const char*>(val), size);
      if (opt_.origin_headers && LiftOrigin(h)) {
        has_origin = true;
        continue;
      }
      headers_.push_back(h);
    }
  }
  rec->headers = &headers_;
  if (has_origin) rec->origin = &origin_;
  *record_status = Status::Ok();
  if (m->key) {
    rec->wire_key = std::string_view(static_cast<const char*>(m->key), m->key_len);
    std::string_view text;
    Status s = opt_.key_codec.Decode(*rec->wire_key, &key_scratch_, &text);
    if (s.ok()) rec->key = text;
    else *record_status = s.WithContext("key");
  }
  if (m->payload) {
    rec->wire_value = std::string_view(static_cast<const char*>(m->payload), m->len);
    std::string_view text;
    Status s = opt_.value_codec.Decode(*rec->wire_value, &value_scratch_, &text);
    if (s.ok()) rec->value = text;
    else if (record_status->ok()) *record_status = s.WithContext("value");
  }
  return Poll::kRecord;
}

bool KafkaSource::LiftOrigin(const Header& h) {
  if (h.name == kOriginKeyHeader) {
    origin_.key = h.value;
    return true;
  }
  if (h.name != kOriginPosHeader || !h.value) return false;
  std::string_view pos = *h.value;
  size_t colon = pos.find(':');
  if (colon == std::string_view::npos) return false;
  auto [p1, e1] = std::from_chars(pos.data(), pos.data() + colon, origin_.partition);
  auto [p2, e2] = std::from_chars(pos.data() + colon + 1, pos.data() + pos.size(), origin_.offset);
  return e1 == std::errc() && e2 == std::errc();
}

Status KafkaSource::Commit(const std::vector<TopicPartitionOffset>& offsets) {
  if (offsets.empty() || opt_.group.empty()) return Status::Ok();
  rd_kafka_topic_partition_list_t* l = rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size()));
  for (auto& o : offsets) rd_kafka_topic_partition_list_add(l, o.topic.c_str(), o.partition)->offset = o.offset;
  rd_kafka_resp_err_t e = rd_kafka_commit(rk_, l, /*async=*/0);
  std::string failed;
  for (int i = 0; !e && i < l->cnt; ++i)
    if (l->elems[i].err) failed = "partition " + std::to_string(l->elems[i].partition) + ": " + rd_kafka_err2str(l->elems[i].err);
  rd_kafka_topic_partition_list_destroy(l);
  if (e) return Status::KafkaError(std::string("commit: ") + rd_kafka_err2str(e));
  if (!failed.empty()) return Status::KafkaError("commit: " + failed);
  return Status::Ok();
}

rd_kafka_topic_partition_list_t* KafkaSource::ListOf(const std::vector<int32_t>& partitions) const {
  rd_kafka_topic_partition_list_t* l = rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size()));
  for (int32_t p : partitions) rd_kafka_topic_partition_list_add(l, opt_.topic.c_str(), p);
  return l;
}

void KafkaSource::Pause(const std::vector<int32_t>& partitions) {
  if (partitions.empty()) return;
  rd_kafka_topic_partition_list_t* l = ListOf(partitions);
  (void)rd_kafka_pause_partitions(rk_, l);
  rd_kafka_topic_partition_list_destroy(l);
}

void KafkaSource::Resume(const std::vector<int32_t>& partitions) {
  if (partitions.empty()) return;
  rd_kafka_topic_partition_list_t* l = ListOf(partitions);
  (void)rd_kafka_resume_partitions(rk_, l);
  rd_kafka_topic_partition_list_destroy(l);
}

Status KafkaSource::Rewind() {
  Release();
  std::vector<int32_t> ids;
  for (auto& [p, st] : assigned_) {
    ids.push_back(p);
    st = PartitionState{};
  }
  if (ids.empty()) return Status::Ok();
  rd_kafka_topic_partition_list_t* l = ListOf(ids);
  ApplyStartOffsets(l, !opt_.group.empty());
  rd_kafka_error_t* e = rd_kafka_seek_partitions(rk_, l, kMetadataTimeoutMs);
  std::string failed;
  for (int i = 0; !e && i < l->cnt; ++i)
    if (l->elems[i].err) failed = "partition " + std::to_string(l->elems[i].partition) + ": " + rd_kafka_err2str(l->elems[i].err);
  rd_kafka_topic_partition_list_destroy(l);
  if (e) {
    Status s = Status::KafkaError(std::string("seek: ") + rd_kafka_error_string(e));
    rd_kafka_error_destroy(e);
    return s;
  }
  if (!failed.empty()) return Status::KafkaError("seek: " + failed);
  return Status::Ok();
}

void KafkaSource::Close() {
  Release();
  client_.CloseConsumer();
}

}  // namespace kt
