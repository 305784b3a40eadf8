#include "kt/state/changelog.hpp"

#include <unistd.h>

#include <algorithm>
#include <map>
#include <vector>

#include "kt/core/time.hpp"
#include "kt/kafka/admin.hpp"
#include "kt/state/state_value.hpp"

namespace kt {

Changelog::Changelog(KafkaConfig cfg, std::string topic, std::string tool, bool verbose)
    : topic_(std::move(topic)),
      tool_(tool),
      client_(cfg, tool, verbose),
      end_client_(cfg, tool, verbose),
      lookup_client_(cfg, tool, verbose) {}

Changelog::~Changelog() {
  if (queue_) rd_kafka_queue_destroy(queue_);  // before client_ destroys the handle
}

Status Changelog::Connect() {
  if (rk_) return Status::Ok();
  // auto.offset.reset=error: a position that is not in the log is reported (out_of_range),
  // never silently replaced by the log's start or end.
  Status s = client_.Create(RD_KAFKA_CONSUMER, "restore consumer", {{"client.id", tool_ + "-restore"}},
                            {{"group.id", tool_ + "-restore-" + std::to_string(getpid())},
                             {"enable.auto.commit", "false"},
                             {"enable.auto.offset.store", "false"},
                             {"enable.partition.eof", "true"},
                             {"auto.offset.reset", "error"},
                             {"isolation.level", "read_committed"},
                             {"fetch.wait.max.ms", follows_ && !one_shot_ ? "500" : "10"}});
  if (!s.ok()) return s;
  rk_ = client_.get();
  queue_ = rd_kafka_queue_get_consumer(rk_);
  batch_.resize(1024);
  return Status::Ok();
}

TopicSpec Changelog::Spec(const std::string& topic, int partitions, int replication_factor,
                          const Properties& configs) {
  Properties all = {{"cleanup.policy", "compact"}};
  all.insert(all.end(), configs.begin(), configs.end());
  return TopicSpec{.name = topic,
                   .partitions = partitions,
                   .replication_factor = replication_factor,
                   .configs = all,
                   .required = {{"cleanup.policy", "compact"}}};
}

Status Changelog::Ensure(int partitions, int replication_factor, const Properties& configs) {
  bool created = false;
  Status s =
      EnsureTopic(client_.config(), Spec(topic_, partitions, replication_factor, configs), tool_, &created);
  if (s.IsInvalidArgument() && s.message().find("partitions") != std::string::npos)
    return Status::KafkaError("changelog " + s.message() + ", but the input has " +
                              std::to_string(partitions) +
                              ": state and input must be co-partitioned (use another --group, or delete the "
                              "changelog topic to start the state afresh)");
  if (s.IsInvalidArgument())
    return Status::KafkaError(
        "changelog " + s.message() +
        ": a changelog must be compacted, or old states "
        "are deleted by retention and lost for restores (set cleanup.policy=compact on it, or "
        "delete it to start the state afresh)");
  return s;
}

// A lookup client (offsets only, never fetching), made on first use.
Result<rd_kafka_t*> Changelog::Lookup(KafkaClient& client, const char* what, const char* isolation) {
  if (!client.get()) {
    Status s = client.Create(RD_KAFKA_CONSUMER, what, {{"client.id", tool_ + "-restore"}},
                             {{"group.id", tool_ + "-restore-" + std::to_string(getpid())},
                              {"enable.auto.commit", "false"},
                              {"isolation.level", isolation}});
    if (!s.ok()) return s;
  }
  return client.get();
}

Result<rd_kafka_t*> Changelog::WatermarksClient() {
  // Once the restore consumer has read, a client of its own, which never fetches: the broker
  // answers one connection's requests in order, and the consumer's connection waits in long-poll
  // fetches at partitions' ends (a standby caught up, or one just stopped), which held each
  // lookup up for fetch.wait.max.ms (0.5 s a partition). Before, the consumer asks (no new
  // client: ktable get).
  if (!has_read_) {
    if (Status s = Connect(); !s.ok()) return s;
    return rk_;
  }
  return Lookup(lookup_client_, "changelog lookup", "read_committed");
}

namespace {

// The offsets of `ps` at `which` (RD_KAFKA_OFFSET_BEGINNING or _END, sent as ListOffsets'
// timestamp) in one request; partitions it could not answer are left out.
void OffsetsAt(rd_kafka_t* rk, const std::string& topic, const std::vector<int32_t>& ps, int64_t which,
               std::map<int32_t, int64_t>* out) {
  rd_kafka_topic_partition_list_t* l = rd_kafka_topic_partition_list_new(static_cast<int>(ps.size()));
  for (int32_t p : ps) rd_kafka_topic_partition_list_add(l, topic.c_str(), p)->offset = which;
  if (OffsetsForTimes(rk, l) == RD_KAFKA_RESP_ERR_NO_ERROR)
    for (int i = 0; i < l->cnt; ++i)
      if (l->elems[i].err == RD_KAFKA_RESP_ERR_NO_ERROR && l->elems[i].offset >= 0)
        (*out)[l->elems[i].partition] = l->elems[i].offset;
  rd_kafka_topic_partition_list_destroy(l);
}

}  // namespace

void Changelog::LookAhead(const std::vector<int32_t>& ps) {
  ForgetLookAhead();
  if (ps.size() < 2) return;  // one partition: its own lookups are as quick
  auto rk = WatermarksClient();
  auto end_rk = Lookup(end_client_, "changelog end lookup", "read_uncommitted");
  if (!rk.ok() || !end_rk.ok()) return;  // each partition looks up (and reports) alone
  std::map<int32_t, int64_t> lo, hi;
  OffsetsAt(*rk, topic_, ps, RD_KAFKA_OFFSET_BEGINNING, &lo);
  OffsetsAt(*rk, topic_, ps, RD_KAFKA_OFFSET_END, &hi);
  OffsetsAt(*end_rk, topic_, ps, RD_KAFKA_OFFSET_END, &ends_ahead_);
  for (auto& [p, l] : lo)
    if (auto h = hi.find(p); h != hi.end()) marks_ahead_[p] = {l, h->second};
}

Result<std::pair<int64_t, int64_t>> Changelog::Watermarks(int32_t p) {
  if (auto ahead = marks_ahead_.find(p); ahead != marks_ahead_.end()) {
    auto marks = ahead->second;
    marks_ahead_.erase(ahead);
    return marks;
  }
  auto client = WatermarksClient();
  if (!client.ok()) return client.status();
  rd_kafka_t* rk = *client;
  int64_t lo = 0, hi = 0;
  rd_kafka_resp_err_t e = QueryWatermarks(rk, topic_, p, &lo, &hi);
  if (e == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || e == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)
    return std::pair<int64_t, int64_t>{0, 0};
  if (e)
    return Status::KafkaError("changelog " + topic_ + " [" + std::to_string(p) + "]: " + rd_kafka_err2str(e));
  return std::pair<int64_t, int64_t>{lo, hi};
}

Result<int64_t> Changelog::LogEnd(int32_t p) {
  if (auto ahead = ends_ahead_.find(p); ahead != ends_ahead_.end()) {
    int64_t end = ahead->second;
    ends_ahead_.erase(ahead);
    return end;
  }
  auto lookup = Lookup(end_client_, "changelog end lookup", "read_uncommitted");
  if (!lookup.ok()) return lookup.status();
  int64_t lo = 0, hi = 0;
  rd_kafka_resp_err_t e = QueryWatermarks(*lookup, topic_, p, &lo, &hi);
  if (e == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || e == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)
    return int64_t{0};
  if (e)
    return Status::KafkaError("changelog " + topic_ + " [" + std::to_string(p) + "]: " + rd_kafka_err2str(e));
  return hi;
}

Status Changelog::Start(int32_t p, int64_t from) {
  if (Status s = Connect(); !s.ok()) return s;
  // An absolute offset: librdkafka 2.0 looks a logical one up after assign, and may retry that
  // on a 500 ms timer when it runs before the partition joined its leader (KafkaSource too).
  if (from == RD_KAFKA_OFFSET_BEGINNING || from == RD_KAFKA_OFFSET_END) {
    auto marks = Watermarks(p);
    if (!marks.ok()) return marks.status();
    from = from == RD_KAFKA_OFFSET_BEGINNING ? marks->first : marks->second;
  }
  rd_kafka_topic_partition_list_t* l = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(l, topic_.c_str(), p)->offset = from;
  rd_kafka_error_t* e = rd_kafka_incremental_assign(rk_, l);
  rd_kafka_topic_partition_list_destroy(l);
  if (!e) {
    if (!has_read_) {  // the lookup client connects now, not when a takeover needs it
      has_read_ = true;
      (void)Watermarks(p);
    }
    return Status::Ok();
  }
  Status s =
      Status::KafkaError("changelog " + topic_ + " [" + std::to_string(p) + "]: " + rd_kafka_error_string(e));
  rd_kafka_error_destroy(e);
  return s;
}

void Changelog::Stop(int32_t p) {
  if (!rk_) return;
  rd_kafka_topic_partition_list_t* l = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(l, topic_.c_str(), p);
  if (rd_kafka_error_t* e = rd_kafka_incremental_unassign(rk_, l)) rd_kafka_error_destroy(e);
  rd_kafka_topic_partition_list_destroy(l);
}

Status Changelog::Poll(int budget_ms, const Events& events) {
  if (Status s = Connect(); !s.ok()) return s;
  int64_t deadline = NowMs() + budget_ms;
  Status result;
  while (result.ok() && !(events.finished && events.finished())) {
    // What is there, without waiting; else the next message, waiting at most the budget's rest
    // (a batch read with a timeout would wait for a full batch).
    ssize_t n = rd_kafka_consume_batch_queue(queue_, 0, batch_.data(), batch_.size());
    int64_t left = deadline - NowMs();
    if (n == 0 && left > 0) {
      if (rd_kafka_message_t* m = rd_kafka_consume_queue(queue_, static_cast<int>(left))) {
        batch_[0] = m;
        n = 1;
      }
    }
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; ++i) {
      rd_kafka_message_t* m = batch_[i];
      if (result.ok()) {
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
          events.end(m->partition, m->offset);
        } else if (m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET ||
                   m->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE) {
          events.out_of_range(m->partition);
        } else if (m->err == RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED) {
          // The restore consumer joins no group: a group it may not use is no matter.
        } else if (m->err) {
          result = Status::KafkaError("reading changelog " + topic_ + ": " + rd_kafka_message_errstr(m));
        } else {
          std::string_view key(static_cast<const char*>(m->key), m->key_len);
          std::optional<std::string_view> value;
          if (m->payload) {  // the state's store encoding: the value with its bookkeeping headers
            headers_.clear();
            rd_kafka_headers_t* hdrs = nullptr;
            if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
              const char* name;
              const void* val;
              size_t size;
              for (size_t h = 0;
                   rd_kafka_header_get_all(hdrs, h, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++h)
                if (val) headers_.push_back({name, std::string_view(static_cast<const char*>(val), size)});
            }
            StoredFromChangelog(std::string_view(static_cast<const char*>(m->payload), m->len), headers_,
                                &stored_);
            value = stored_;
          }
          result = events.record(m->partition, m->offset, rd_kafka_message_timestamp(m, nullptr), key, value);
        }
      }
      rd_kafka_message_destroy(m);
    }
    if (NowMs() >= deadline) break;
  }
  if (Status f = client_.fatal(); !f.ok()) return f;
  return result;
}

Result<int64_t> Changelog::ReadAll(const std::vector<int32_t>& ps,
                                   const std::function<StateStore*(int32_t)>& store_of) {
  if (!rk_) one_shot_ = true;
  std::map<int32_t, int64_t> ends;  // partitions still being read -> the offset after their last
  for (int32_t p : ps) {
    auto marks = Watermarks(p);
    if (!marks.ok()) return marks.status();
    auto end = LogEnd(p);
    if (!end.ok()) return end.status();
    int64_t lo = marks->first, hi = std::max(marks->second, *end);
    if (lo >= hi) continue;
    if (Status s = Start(p, lo); !s.ok()) return s;
    ends[p] = hi;
  }
  std::map<int32_t, int64_t> all = ends;
  int64_t applied = 0;
  Events ev;
  ev.record = [&](int32_t p, int64_t offset, int64_t, std::string_view key,
                  std::optional<std::string_view> value) {
    auto it = ends.find(p);
    if (it == ends.end()) return Status::Ok();
    ++applied;
    StateStore* store = store_of(p);
    Status s = value ? store->Put(key, *value) : store->Delete(key);
    if (offset + 1 >= it->second) ends.erase(it);
    return s;
  };
  // The last offsets of a transactional changelog are markers, never delivered: its end is seen.
  ev.end = [&](int32_t p, int64_t next) {
    if (auto it = ends.find(p); it != ends.end() && next >= it->second) ends.erase(it);
  };
  Status bad;
  ev.out_of_range = [&](int32_t) {
    bad = Status::KafkaError("changelog " + topic_ + " changed while it was read");
  };
  ev.finished = [&] { return ends.empty(); };
  while (!ends.empty() && bad.ok()) {
    if (Status s = Poll(1000, ev); !s.ok()) bad = s;
  }
  for (auto& [p, hi] : all) Stop(p);
  if (!bad.ok()) return bad;
  for (auto& [p, hi] : all)
    if (Status s = store_of(p)->Commit(hi - 1); !s.ok()) return s;
  return applied;
}

}  // namespace kt
