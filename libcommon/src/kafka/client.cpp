#include "kt/kafka/client.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "kt/core/deadline.hpp"
#include "kt/core/log.hpp"
#include "kt/core/time.hpp"

namespace kt {

namespace {
Status Set(rd_kafka_conf_t* conf, const std::string& k, const std::string& v) {
  char err[512];
  if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
    if (IsSecretProperty(k))
      return Status::InvalidArgument("Kafka property " + k + ": invalid value (not shown)");
    return Status::InvalidArgument("Kafka property " + k + ": " + err);
  }
  return Status::Ok();
}

std::atomic<int64_t> last_broker_contact_ms{0};

// statistics.interval.ms (set with --http): a broker connection in state UP is a contact. The
// stats JSON names broker states only as "state":"UP" (the group's is lower case).
int StatsCb(rd_kafka_t*, char* json, size_t len, void*) {
  if (std::string_view(json, len).find("\"state\":\"UP\"") != std::string_view::npos)
    last_broker_contact_ms = NowMs();
  return 0;  // librdkafka frees json
}

void LogCb(const rd_kafka_t* rk, int /*level*/, const char* fac, const char* buf) {
  // -X reaches every client of a tool (consumers, producers, admin): librdkafka's note that a
  // consumer property "will be ignored by this producer instance", or the reverse, is about
  // that wiring, not the user's setting, which its own kind of client takes. Other CONFWARNs stay.
  if (std::string_view(fac) == "CONFWARN" &&
      std::string_view(buf).find(" property and will be ignored by this ") != std::string_view::npos)
    return;
  LogDebug(rk ? rd_kafka_name(rk) : "ktools", std::string("kafka: ") + fac + ": " + buf);
}
}  // namespace

Result<rd_kafka_conf_t*> BuildKafkaConf(const KafkaConfig& cfg, const Properties& defaults,
                                        const Properties& forced, bool verbose) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set_log_cb(conf, LogCb);
  Status s = Set(conf, "log_level", verbose ? "6" : "0");
  if (s.ok()) s = Set(conf, "bootstrap.servers", cfg.brokers);
  for (const Properties* props : {&defaults, &cfg.properties, &forced}) {
    for (auto& [k, v] : *props) {
      if (!s.ok()) break;
      s = Set(conf, k, v);
    }
  }
  if (!s.ok()) {
    rd_kafka_conf_destroy(conf);
    return s;
  }
  return conf;
}

std::string CopyToken() {
  char host[256] = "";
  if (gethostname(host, sizeof host) != 0 || !host[0]) std::snprintf(host, sizeof host, "localhost");
  return std::string(host) + "-" + std::to_string(getpid());
}

int64_t LastBrokerContactMs() { return last_broker_contact_ms.load(); }

namespace {
// Runs `work` on a helper thread and waits up to `limit`: true when it finished; otherwise the
// thread is left running it (detached) and false. For librdkafka calls that can wait for good.
bool RunWithin(std::function<void()> work, std::chrono::milliseconds limit) {
  std::packaged_task<void()> task(std::move(work));
  std::future<void> done = task.get_future();
  std::thread t(std::move(task));
  if (done.wait_for(limit) == std::future_status::ready) {
    t.join();
    return true;
  }
  t.detach();
  return false;
}
}  // namespace

KafkaClient::KafkaClient(KafkaConfig cfg, std::string tool, bool verbose)
    : cfg_(std::move(cfg)), tool_(std::move(tool)), verbose_(verbose) {}

// librdkafka 2.0 can leave a broker thread waiting forever for a reference that is never
// dropped (confluentinc/librdkafka#4362, #4674, #3007), and rd_kafka_destroy then never returns:
// a tool that has done all its work would hang at exit. Everything that matters (offsets
// committed, the group left, produced records delivered) happened before this point, so the
// handle is destroyed on a helper thread and given kDestroyWait; a handle that does not finish
// by then is left behind (its threads only wait) with a note under -v.
KafkaClient::~KafkaClient() {
  if (!rk_) return;
  CloseConsumer();
  if (!rk_) return;  // a close that hung left it behind
  rd_kafka_t* rk = rk_;
  if (RunWithin([rk] { rd_kafka_destroy(rk); }, std::chrono::seconds(5))) return;
  if (verbose_)
    LogWarning(tool_,
               what_ + ": librdkafka did not shut down in 5 s; leaving it (a known librdkafka 2.0 issue)");
}

Status KafkaClient::Create(rd_kafka_type_t type, const std::string& what, const Properties& defaults,
                           const Properties& forced, void* owner,
                           const std::function<void(rd_kafka_conf_t*)>& setup) {
  type_ = type;
  what_ = what;
  owner_ = owner;
  Properties with_id = {{"client.id", tool_}};
  // librdkafka 2.2 and later stop fetching a partition whose queue is full for
  // fetch.queue.backoff.ms, 1 s by default, and a wake-up (FetchWaker) does not cut that short:
  // with the small queues PrefetchFor sizes, kfilter -e over 1M click events took 114 s instead
  // of 0.7 s (librdkafka 2.15.0 built from source; bench/README). 1 ms: a queue at its threshold
  // holds many milliseconds of records, so fetching resumes long before it runs dry; 0 spins
  // (40% more CPU). 2.0 (Debian bookworm's) has neither the property nor the wait.
  if (type == RD_KAFKA_CONSUMER && rd_kafka_version() >= 0x02020000)
    with_id.emplace_back("fetch.queue.backoff.ms", "1");
  with_id.insert(with_id.end(), defaults.begin(), defaults.end());
  auto conf = BuildKafkaConf(cfg_, with_id, forced, verbose_);
  if (!conf.ok()) return conf.status();
  rd_kafka_conf_set_opaque(*conf, this);
  rd_kafka_conf_set_error_cb(*conf, ErrorCb);
  rd_kafka_conf_set_stats_cb(*conf, StatsCb);
  if (setup) setup(*conf);
  char err[512];
  rk_ = rd_kafka_new(type, *conf, err, sizeof err);
  if (!rk_) {
    rd_kafka_conf_destroy(*conf);
    return Status::KafkaError("cannot create " + what + ": " + err);
  }
  if (type == RD_KAFKA_CONSUMER) rd_kafka_poll_set_consumer(rk_);
  return Status::Ok();
}

Status KafkaClient::FatalError() const {
  char buf[512] = "";
  rd_kafka_resp_err_t code = rk_ ? rd_kafka_fatal_error(rk_, buf, sizeof buf) : RD_KAFKA_RESP_ERR_NO_ERROR;
  if (code == RD_KAFKA_RESP_ERR_NO_ERROR) return Status::Ok();
  std::string msg = "fatal " + what_ + " error: " + buf;
  if (code == RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED)
    return Status::KafkaError("not authorized on the cluster for operation IdempotentWrite" + UserOf(cfg_) +
                              " (" + buf + ")");
  if (code == RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
    return Status::KafkaError("not authorized on its transactional id for operation Write" + UserOf(cfg_) +
                              " (" + buf + ")");
  // A producer's other fatal errors are fencing: another producer took its transactional.id,
  // or its epoch was bumped when its transaction timed out. A new producer can go on.
  bool fenced = code == RD_KAFKA_RESP_ERR__FENCED || code == RD_KAFKA_RESP_ERR_PRODUCER_FENCED ||
                code == RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH;
  return fenced ? Status::Fenced(msg) : Status::KafkaError(msg);
}

void KafkaClient::Reset() {
  if (!rk_) return;
  if (type_ == RD_KAFKA_PRODUCER) {  // whatever is queued or in flight comes back as purged
    rd_kafka_purge(rk_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(rk_, 0);
  }
  CloseConsumer();
  if (rk_) rd_kafka_destroy(rk_);  // null: a close that hung left it behind
  rk_ = nullptr;
  closed_ = false;
  fatal_ = Status::Ok();
}

void* KafkaClient::Owner(void* opaque) { return static_cast<KafkaClient*>(opaque)->owner_; }

bool HasJoined(rd_kafka_t* rk) {
  const char* protocol = rd_kafka_rebalance_protocol(rk);  // NULL once the consumer is closing
  return protocol && std::string_view(protocol) != "NONE";
}

void FinishFirstJoin(rd_kafka_t* rk, const bool* synced) {
  for (Deadline deadline(kJoinWaitMs); !*synced && HasJoined(rk) && !deadline.Passed();)
    if (rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 50)) rd_kafka_message_destroy(m);
}

void LeaveGroup(rd_kafka_t* rk) {
  (void)rd_kafka_unsubscribe(rk);
  for (int64_t deadline = NowMs() + 5000, wait = 0; NowMs() < deadline; wait = 50) {
    if (rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, wait)) rd_kafka_message_destroy(m);
    rd_kafka_topic_partition_list_t* parts = nullptr;
    bool empty = rd_kafka_assignment(rk, &parts) == RD_KAFKA_RESP_ERR_NO_ERROR && parts && parts->cnt == 0;
    if (parts) rd_kafka_topic_partition_list_destroy(parts);
    if (empty) return;
  }
}

bool IsCooperative(rd_kafka_t* rk) {
  const char* protocol = rd_kafka_rebalance_protocol(rk);  // NULL once the consumer is closing
  return protocol && std::string_view(protocol) == "COOPERATIVE";
}

void TakeAssigned(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* parts) {
  if (!IsCooperative(rk)) {
    rd_kafka_assign(rk, parts);
  } else if (rd_kafka_error_t* e = rd_kafka_incremental_assign(rk, parts)) {
    rd_kafka_error_destroy(e);
  }
}

void GiveBack(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* parts) {
  if (!IsCooperative(rk)) {
    rd_kafka_assign(rk, nullptr);
  } else if (rd_kafka_error_t* e = rd_kafka_incremental_unassign(rk, parts)) {
    rd_kafka_error_destroy(e);
  }
}

// librdkafka 2.0 can wait for good in rd_kafka_consumer_close when partitions are assigned while
// the consumer closes: its group state stays "waiting for the application's assign call",
// whether the rebalance callback makes one or not (confluentinc/librdkafka#4527, fixed in 2.4).
// KafkaSource::Close leaves the group first to make it rare, not impossible (seen once in a test
// run: a copy stopped with SIGTERM while the other copy joined). What was read is committed
// before the close (at the Runner's end, or in the callback revoking the partitions), so the
// close runs on a helper thread (the callbacks it serves run there while this thread waits) and
// is given kCloseWaitMs, longer than any commit it may serve (a broker restart's); one that does
// not finish is left behind, with its handle (destroying it would race with the close).
void KafkaClient::CloseConsumer(bool synced) {
  if (!rk_ || type_ != RD_KAFKA_CONSUMER || closed_) return;
  closed_ = true;
  rd_kafka_t* rk = rk_;
  if (RunWithin([rk] { rd_kafka_consumer_close(rk); }, std::chrono::milliseconds(kCloseWaitMs))) {
    if (synced || rd_kafka_version() >= 0x02030000) return;
    // Reachable from here to the end, so that leak checkers do not count it.
    static std::vector<rd_kafka_t*>* kept = new std::vector<rd_kafka_t*>;
    static std::mutex kept_mu;
    std::lock_guard<std::mutex> lock(kept_mu);
    kept->push_back(rk);
    rk_ = nullptr;
    if (verbose_) LogInfo(tool_, what_ + ": closed in its first join; kept until exit (librdkafka#4381)");
    return;
  }
  rk_ = nullptr;  // left to the close: not destroyed, not closed again
  LogWarning(tool_, what_ + ": librdkafka did not close the consumer in " +
                        std::to_string(kCloseWaitMs / 1000) +
                        " s (librdkafka 2.0, #4527); leaving it (what was read is committed)");
}

void KafkaClient::ErrorCb(rd_kafka_t*, int err, const char* reason, void* opaque) {
  auto* self = static_cast<KafkaClient*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    if (self->fatal_.ok()) self->fatal_ = self->FatalError();
  } else if (err == RD_KAFKA_RESP_ERR__AUTHENTICATION) {
    if (self->auth_error_.ok()) {
      std::string mech = self->cfg_.Get("sasl.mechanisms", self->cfg_.Get("sasl.mechanism", ""));
      std::string user = self->cfg_.Get("sasl.username", "");
      std::string who =
          mech.empty() ? "" : " (" + mech + (user.empty() ? "" : " as user '" + user + "'") + ")";
      self->auth_error_ = Status::KafkaError("authentication failed at " + self->cfg_.brokers + who + ": " +
                                             (reason ? reason : "refused"));
    }
  } else if (!self->quiet_ && (self->verbose_ || err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)) {
    LogWarning(self->tool_, std::string("kafka: ") + reason);
  }
}

void KafkaClient::ServeErrors() {
  if (!rk_) return;
  if (type_ == RD_KAFKA_CONSUMER) {
    // Before anything is assigned the consumer queue holds only events (errors, served by the
    // error callback); a record that does arrive is left to the consumer's own poll.
    if (rd_kafka_queue_t* q = rd_kafka_queue_get_consumer(rk_)) {
      rd_kafka_queue_poll_callback(q, 0);
      rd_kafka_queue_destroy(q);
    }
  } else {
    rd_kafka_poll(rk_, 0);
  }
}

void KafkaClient::DropStaleErrors() {
  quiet_ = true;
  ServeErrors();
  quiet_ = false;
}

namespace {

// Whether a metadata request naming a topic leaves a missing one missing: the client's
// allow.auto.create.topics is false (a consumer's default, and the admin client's, set so;
// librdkafka puts it in the request, and a producer's is true), and the cluster is known not to
// be librdkafka's mock cluster (kbroker), which creates a topic named in any metadata request.
bool LooksWithoutCreating(rd_kafka_t* rk) {
  char value[8];
  size_t size = sizeof value;
  if (rd_kafka_conf_get(rd_kafka_conf(rk), "allow.auto.create.topics", value, &size) != RD_KAFKA_CONF_OK ||
      std::string_view(value) != "false")
    return false;
  char* id = rd_kafka_clusterid(rk, 0);  // known once the client has had metadata; not asked for
  bool known_real = id && !std::string_view(id).starts_with("mockCluster");
  if (id) rd_kafka_mem_free(rk, id);
  return known_real;
}

}  // namespace

Status FetchMetadata(rd_kafka_t* rk, const KafkaConfig& cfg, const std::string& topic, int* partition_count,
                     std::vector<std::string>* names) {
  const rd_kafka_metadata_t* md = nullptr;
  KafkaClient* client = KafkaClient::Of(rk);
  Deadline deadline(kReachTimeoutMs);  // a stop of the process starts it over
  rd_kafka_resp_err_t err;
  // One topic is asked for alone where that cannot create it: a cluster's full metadata is
  // every topic's every partition (60 kB on the test broker after a bats run, megabytes on a
  // large cluster), and a stateful tool's start asks about a topic half a dozen times.
  std::unique_ptr<rd_kafka_topic_t, void (*)(rd_kafka_topic_t*)> alone(nullptr, rd_kafka_topic_destroy);
  if (!topic.empty() && !names && LooksWithoutCreating(rk))
    alone.reset(rd_kafka_topic_new(rk, topic.c_str(), nullptr));
  // In slices, so that a refused login is reported as soon as the broker says so.
  int64_t asked = NowMs();
  while ((err = rd_kafka_metadata(rk, alone || (topic.empty() && !names) ? 0 : 1, alone.get(), &md, 200)) !=
         RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (NowMs() - asked < 50)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // not connected yet
    asked = NowMs();
    if (client) {
      client->ServeErrors();
      if (!client->auth_error().ok()) return client->auth_error();
    }
    if (deadline.Passed())
      return Status::KafkaError("cannot reach Kafka at " + cfg.brokers + " (brokers from " +
                                cfg.brokers_origin + ") in " + FormatDuration(kReachTimeoutMs) + ": " +
                                rd_kafka_err2str(err));
  }
  Status result;
  bool listed = false;
  if (names)
    for (int i = 0; i < md->topic_cnt; ++i)
      if (md->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR) names->emplace_back(md->topics[i].topic);
  if (partition_count) {
    *partition_count = 0;
    for (int i = 0; i < md->topic_cnt; ++i) {
      const rd_kafka_metadata_topic_t& t = md->topics[i];
      if (topic != t.topic) continue;
      listed = true;
      if (t.err == RD_KAFKA_RESP_ERR_NO_ERROR)
        *partition_count = t.partition_cnt;
      else if (t.err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED)
        result = Status::KafkaError("not authorized on topic '" + topic + "' for operation Describe" +
                                    UserOf(cfg));
    }
  }
  rd_kafka_metadata_destroy(md);
  // A topic the user may not describe is left out of the list of all topics: a consumer (which
  // never auto-creates topics) asks for it alone to tell that from a missing topic.
  if (partition_count && !listed && result.ok() && rd_kafka_type(rk) == RD_KAFKA_CONSUMER &&
      !cfg.Get("sasl.username", "").empty()) {
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
    if (rkt && AskAgainAfterStop([&] { return rd_kafka_metadata(rk, 0, rkt, &md, kMetadataTimeoutMs); },
                                 TimedOut) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED)
        result = Status::KafkaError("not authorized on topic '" + topic + "' for operation Describe" +
                                    UserOf(cfg));
      rd_kafka_metadata_destroy(md);
    }
    if (rkt) rd_kafka_topic_destroy(rkt);
  }
  return result;
}

std::string UserOf(const KafkaConfig& cfg) {
  std::string user = cfg.Get("sasl.username", "");
  return user.empty() ? "" : " (user '" + user + "')";
}

namespace {
constexpr int kLeaderProbeMs = 2000;
}  // namespace

bool AwaitTopicLeaders(rd_kafka_t* rk, const std::string& topic, int* listed) {
  if (listed) *listed = 0;
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  if (!rkt) return false;
  int partitions = 0;
  auto led = [&] {
    const rd_kafka_metadata_t* md = nullptr;
    if (rd_kafka_metadata(rk, 0, rkt, &md, kMetadataTimeoutMs) != RD_KAFKA_RESP_ERR_NO_ERROR) return false;
    bool ok = md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR &&
              md->topics[0].partition_cnt > 0;
    for (int i = 0; ok && i < md->topics[0].partition_cnt; ++i) ok = md->topics[0].partitions[i].leader >= 0;
    if (ok) partitions = md->topics[0].partition_cnt;
    rd_kafka_metadata_destroy(md);
    return ok;
  };
  bool ok = false;
  for (Deadline deadline(kMetadataTimeoutMs); !(ok = led()) && !deadline.Passed();)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  rd_kafka_topic_destroy(rkt);
  if (!ok) return false;
  if (listed) *listed = partitions;
  // The metadata names a leader before that broker has taken the partition on: a Produce
  // then fails with NOT_LEADER_FOR_PARTITION and waits retry.backoff.ms (100 ms) for its retry.
  // A ListOffsets of every partition (OffsetsForTimes retries it every 5-20 ms) answers once
  // each leader leads; on a topic that is ready, in one round trip.
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(partitions);
  for (int32_t p = 0; p < partitions; ++p)
    rd_kafka_topic_partition_list_add(parts, topic.c_str(), p)->offset = RD_KAFKA_OFFSET_END;
  // Bounded well below a metadata timeout: only a retry's 100 ms is at stake, and a leader that
  // does not answer (a broker down, mid-failover) must not hold the run's start for long.
  rd_kafka_resp_err_t e = OffsetsForTimes(rk, parts, kLeaderProbeMs);
  for (int i = 0; e == RD_KAFKA_RESP_ERR_NO_ERROR && i < parts->cnt; ++i) e = parts->elems[i].err;
  rd_kafka_topic_partition_list_destroy(parts);
  return e == RD_KAFKA_RESP_ERR_NO_ERROR;
}

namespace {
// What a partition's leader answers while it does not know it leads yet (a topic created a
// moment ago, a leader just moved): gone within milliseconds.
bool LeaderNotReady(rd_kafka_resp_err_t e) {
  switch (e) {
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_REPLICA_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH:
    case RD_KAFKA_RESP_ERR_UNKNOWN_LEADER_EPOCH:
      return true;
    default:
      return false;
  }
}

// Calls `ask(ms left)` until it answers something other than a leader not ready yet, or
// kMetadataTimeoutMs has passed. Waits 5 ms, then 10, then 20 between: a leader learns it leads
// within tens of milliseconds of the topic's creation (the broker loads the partitions of one
// CreateTopics one after another, ~3 ms each), and a longer wait is paid in full by whoever
// waits for the last partition.
template <typename Ask>
rd_kafka_resp_err_t WhileLeaderNotReady(Ask ask, int timeout_ms = kMetadataTimeoutMs) {
  Deadline deadline(timeout_ms);
  for (int backoff_ms = 5;; backoff_ms = std::min(backoff_ms * 2, 20)) {
    int left = static_cast<int>(std::max<int64_t>(1, deadline.LeftMs()));
    bool again = false;
    rd_kafka_resp_err_t e = ask(left, &again);
    if (TimedOut(e) && deadline.LeftMs() > 0) continue;  // started over by a stop
    if (!again || backoff_ms >= deadline.LeftMs()) return e;
    std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
  }
}
}  // namespace

rd_kafka_resp_err_t OffsetsForTimes(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* parts, int timeout_ms) {
  std::vector<int64_t> asked(parts->cnt);
  for (int i = 0; i < parts->cnt; ++i) asked[i] = parts->elems[i].offset;
  return WhileLeaderNotReady(
      [&](int left, bool* again) {
        for (int i = 0; i < parts->cnt; ++i) {  // an answer replaced the question
          parts->elems[i].offset = asked[i];
          parts->elems[i].err = RD_KAFKA_RESP_ERR_NO_ERROR;
        }
        rd_kafka_resp_err_t e = rd_kafka_offsets_for_times(rk, parts, left);
        *again = LeaderNotReady(e);
        for (int i = 0; !*again && i < parts->cnt; ++i) *again = LeaderNotReady(parts->elems[i].err);
        return e;
      },
      timeout_ms);
}

rd_kafka_resp_err_t QueryWatermarks(rd_kafka_t* rk, const std::string& topic, int32_t partition, int64_t* low,
                                    int64_t* high) {
  return WhileLeaderNotReady([&](int left, bool* again) {
    rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(rk, topic.c_str(), partition, low, high, left);
    *again = LeaderNotReady(e);
    return e;
  });
}

bool IsMockCluster(rd_kafka_t* rk) {
  char* id = AskAgainAfterStop([&] { return rd_kafka_clusterid(rk, kMetadataTimeoutMs); },
                               [](const char* known) { return known == nullptr; });
  bool mock = id && std::string_view(id).starts_with("mockCluster");
  if (id) rd_kafka_mem_free(rk, id);
  return mock;
}

}  // namespace kt
