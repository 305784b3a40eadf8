#include "kt/kafka/sink.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "kt/core/json.hpp"
#include "kt/core/log.hpp"
#include "kt/core/murmur2.hpp"
#include "kt/core/time.hpp"
#include "kt/kafka/admin.hpp"

namespace kt {

Status DeliveryError(rd_kafka_resp_err_t err, const std::string& what) {
  switch (err) {
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE:
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION:
    case RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS:
    case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_COORDINATOR:
      return Status::Unavailable(what);
    case RD_KAFKA_RESP_ERR__FENCED:
    case RD_KAFKA_RESP_ERR_PRODUCER_FENCED:
    case RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH:
      return Status::Fenced(what);
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
      return Status::KafkaError("not authorized for operation Write on " + what);
    case RD_KAFKA_RESP_ERR__PURGE_QUEUE:
    case RD_KAFKA_RESP_ERR__PURGE_INFLIGHT:
      return Status::Aborted(what);
    // The topic changed under the run: it has fewer partitions than the record was sent to, or none.
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
      return Status::KafkaError(what +
                                " (the topic no longer has this partition: was it deleted, or "
                                "created again with fewer?)");
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
      return Status::KafkaError(what + " (the topic is gone: was it deleted?)");
    default:
      return Status::KafkaError(what);
  }
}

KafkaSink::KafkaSink(KafkaConfig cfg, KafkaSinkOptions options)
    : opt_(std::move(options)), client_(std::move(cfg), opt_.tool, opt_.verbose) {}

KafkaSink::~KafkaSink() {
  AwaitLeaders();
  for (auto& [name, rkt] : topics_) rd_kafka_topic_destroy(rkt);
}

Status KafkaSink::Open(DeliveryListener* listener) {
  AwaitLeaders();
  listener_ = listener;
  // Keyed records go where Java's producer puts them (SEMANTICS.md, Keys and partitioning):
  // murmur2_random is librdkafka's port of Java's murmur2 partitioner (random, batched per
  // partition, for null keys). It is forced: an -X partitioner would silently break
  // co-partitioning with the topics Java, Faust and other ktools stages write.
  if (std::string p = client_.config().Get("partitioner", "murmur2_random"); p != "murmur2_random")
    return Status::InvalidArgument("-X partitioner=" + p +
                                   " is not supported: keyed outputs always use "
                                   "murmur2_random, Java's partitioner, so that they are co-partitioned");
  Properties defaults = {{"enable.idempotence", "true"}, {"linger.ms", "5"}, {"batch.num.messages", "10000"}};
  // Records as large as the input takes (and their batch overhead) go out whole.
  if (opt_.max_record_bytes > 1000000)
    defaults.emplace_back("message.max.bytes", std::to_string(opt_.max_record_bytes));
  if (opt_.internal_topic) defaults.emplace_back("compression.type", "lz4");
  // Records queued for sending: librdkafka bounds them by count (100,000) and by 1 GB, so records
  // of 10 KB could hold a gigabyte. 64 MB (Java's producer: 32 MB) is about a second of sending
  // here; at least twice the largest record the producer takes (max_bytes_: message.max.bytes
  // as -X or the input sets it), so that one always fits.
  std::string user_max = client_.config().Get("message.max.bytes", "");
  max_bytes_ =
      !user_max.empty() ? std::atoll(user_max.c_str()) : std::max<int64_t>(opt_.max_record_bytes, 1000000);
  defaults.emplace_back("queue.buffering.max.kbytes",
                        std::to_string(std::max<int64_t>(64 << 10, 2 * max_bytes_ / 1024 + 1)));
  Properties forced = {{"partitioner", "murmur2_random"}};
  if (!opt_.transactional_id.empty()) {
    forced.emplace_back("transactional.id", opt_.transactional_id);
    defaults.emplace_back("transaction.timeout.ms", std::to_string(opt_.transaction_timeout_ms));
    // A commit flushes every record of its transaction before the offsets go in, so records
    // queued beyond what is in flight only wait there: 10,000 (librdkafka's default 100,000)
    // bounds that memory and the flush at each commit. Measured on 1M click events
    // (bench/run-eos): peak RSS 25.3 -> 19.5 MB (at-least-once 23.0 MB), speed 0.86x at-least-once.
    defaults.emplace_back("queue.buffering.max.messages", "10000");
  }
  Status s = client_.Create(RD_KAFKA_PRODUCER, "producer", defaults, forced, this,
                            [](rd_kafka_conf_t* conf) { rd_kafka_conf_set_dr_msg_cb(conf, DeliveryCb); });
  if (!s.ok()) return s;
  rk_ = client_.get();
  bool named = !opt_.topic.empty();
  int partitions = 0;  // of the output topic, looked up in the same metadata request
  if (Status m = FetchMetadata(rk_, client_.config(), named ? opt_.topic : "", named ? &partitions : nullptr);
      !m.ok())
    return m;
  bool created = false;
  if (named && partitions == 0 && opt_.create_missing) {
    if (Status c = CreateAsAutoCreated(client_.config(), opt_.topic, opt_.tool, &created, opt_.topic_configs);
        !c.ok())
      return c;
    if (created && opt_.verbose)
      LogInfo(opt_.tool, "created topic " + opt_.topic + " with the broker's defaults");
  }
  // A topic just created (here or by the tool, e.g. kgroupby's) may have no leaders yet.
  if (named && partitions > 0) {
    // In the background: the run's first record waits for it (Send), not the source's start.
    leaders_ = std::thread([rk = rk_, topic = opt_.topic] { (void)AwaitTopicLeaders(rk, topic); });
  } else if (named && (created || opt_.topic_exists)) {
    (void)AwaitTopicLeaders(rk_, opt_.topic, &partitions);  // listed only now: packs need the count
  }
  output_partitions_ = partitions;
  packs_.clear();
  if (opt_.internal_topic && partitions > 0) {
    packs_.resize(static_cast<size_t>(partitions));
    // A pack and its message's overhead stay within what the producer may send.
    pack_bytes_ =
        std::min<size_t>(kPackBytes, static_cast<size_t>(std::max<int64_t>(max_bytes_ - 1024, 1024)));
  }
  return Status::Ok();
}

rd_kafka_topic_t* KafkaSink::TopicFor(std::string_view name) {
  if (name.empty()) name = opt_.topic;
  if (last_topic_ && name == last_name_) return last_topic_;  // most records: the same topic again
  last_name_ = name;
  auto it = topics_.find(last_name_);
  if (it == topics_.end())
    it = topics_.emplace(last_name_, rd_kafka_topic_new(rk_, last_name_.c_str(), nullptr)).first;
  last_topic_ = it->second;
  return last_topic_;
}

namespace {

// A record that cannot be encoded is a bad record; a codec that cannot work at all (its schema
// registry unreachable, its schema refused) stops the run.
Status EncodeError(const Status& s, const char* what, const Codec& codec) {
  std::string m = std::string("cannot encode ") + what + " as " + codec.spec() + ": " + s.message();
  return s.IsDataError() ? Status::DataError(m) : Status::InvalidArgument(m);
}

}  // namespace

Status KafkaSink::Send(const OutRecord& rec, DeliveryToken* token) {
  AwaitLeaders();
  if (const Status& f = client_.fatal(); !f.ok()) return f;
  if (const Status& a = client_.auth_error(); !a.ok()) return a;
  std::string_view key, value;
  bool has_key = rec.key.has_value(), has_value = rec.value_kind != OutRecord::ValueKind::kNull;
  if (has_key) {
    if (rec.wire)
      key = *rec.key;
    else if (Status s = opt_.key_codec.Encode(*rec.key, &key_scratch_, &key); !s.ok())
      return EncodeError(s, "key", opt_.key_codec);
  }
  if (has_value && !rec.wire && rec.ValueIsInputs() && opt_.value_codec.KeepsWire(*rec.input_wire_value)) {
    value = *rec.input_wire_value;  // an Avro value passed through: its bytes, not encoded again
  } else if (has_value && !rec.wire && rec.value_kind == OutRecord::ValueKind::kJson &&
             opt_.value_codec.EncodesDocuments()) {
    if (Status s = opt_.value_codec.EncodeDocument(*rec.value_json, &value_scratch_, &value); !s.ok())
      return EncodeError(s, "value", opt_.value_codec);
  } else if (has_value) {
    std::string_view text = rec.value_text;
    if (rec.value_kind == OutRecord::ValueKind::kText && !rec.wire) {
      if (Status s = rec.Text(&json_, &text); !s.ok()) return s.WithContext("value");  // an input's, made now
    } else if (rec.value_kind == OutRecord::ValueKind::kJson) {
      if (!opt_.value_codec.IsJson() && rec.value_json->IsString()) {
        text = View(*rec.value_json);
      } else {
        json_.clear();
        AppendJson(*rec.value_json, &json_, rec.raw_numbers);
        text = json_;
      }
    }
    if (rec.wire)
      value = text;
    else if (Status s = opt_.value_codec.Encode(text, &value_scratch_, &value); !s.ok())
      return EncodeError(s, "value", opt_.value_codec);
  }
  std::optional<std::string_view> k, v;
  if (has_key) k = key;
  if (has_value) v = value;
  rd_kafka_topic_t* rkt = TopicFor(rec.topic);
  int32_t partition = rec.partition;
  if (partition < 0 && rec.partition_key && !rec.wire && output_partitions_ > 0 && rkt == TopicFor("")) {
    std::string_view pk;
    if (Status s = opt_.key_codec.Encode(*rec.partition_key, &partition_key_scratch_, &pk); !s.ok())
      return EncodeError(s, "key", opt_.key_codec);
    partition = Murmur2Partition(pk, output_partitions_);
  }
  if (!packs_.empty() && !rec.wire && rkt == TopicFor("") && (has_key || partition >= 0)) {
    auto n = static_cast<int32_t>(packs_.size());
    if (partition < 0) partition = Murmur2Partition(key, n);
    size_t size = key.size() + value.size() + 32;
    if (rec.headers)
      for (const Header& h : *rec.headers) size += h.name.size() + (h.value ? h.value->size() : 0) + 8;
    if (size <= pack_bytes_)
      return AddToPack(partition % n, k, v, rec.timestamp >= 0 ? rec.timestamp : NowMs(), rec.headers, token);
    // Too large to share a message: what its partition holds goes first, then it alone.
    if (Status s = SendPack(partition % n, nullptr); !s.ok()) return s;
  }
  rd_kafka_headers_t* hdrs = nullptr;
  if (rec.headers && !rec.headers->empty()) {
    hdrs = rd_kafka_headers_new(rec.headers->size());
    for (const Header& h : *rec.headers)
      rd_kafka_header_add(hdrs, h.name.data(), static_cast<ssize_t>(h.name.size()),
                          h.value ? h.value->data() : nullptr,
                          h.value ? static_cast<ssize_t>(h.value->size()) : 0);
  }
  if (rec.timestamp == 0 && !warned_epoch_zero_) {
    warned_epoch_zero_ = true;
    LogWarning(opt_.tool,
               "a record with timestamp 0 (1970-01-01T00:00:00Z) is written with the current time: "
               "librdkafka reads 0 as 'now' (this warning is given once)");
  }
  Status error;
  Produce(rkt, partition, k, v, rec.timestamp, hdrs, token, &error);
  return error;
}

bool KafkaSink::Produce(rd_kafka_topic_t* rkt, int32_t partition, std::optional<std::string_view> key,
                        std::optional<std::string_view> value, int64_t timestamp, rd_kafka_headers_t* hdrs,
                        void* opaque, Status* error) {
  const char* key_data = key ? key->data() : nullptr;
  size_t key_size = key ? key->size() : 0;
  char* value_data = value ? const_cast<char*>(value->data()) : nullptr;
  size_t value_size = value ? value->size() : 0;
  while (true) {
    rd_kafka_resp_err_t err = rd_kafka_producev(
        rk_, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_PARTITION(partition), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_KEY(key_data, key_size), RD_KAFKA_V_VALUE(value_data, value_size),
        RD_KAFKA_V_TIMESTAMP(timestamp >= 0 ? timestamp : 0), RD_KAFKA_V_HEADERS(hdrs),
        RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return true;
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(rk_, 10);  // serve delivery reports to make room
      continue;
    }
    if (hdrs) rd_kafka_headers_destroy(hdrs);
    // The fatal error (a fenced producer) may be raised before its callback was served.
    if (Status f = client_.FatalError(); !f.ok()) {
      *error = f;
      return false;
    }
    std::string what = "produce to " + std::string(rd_kafka_topic_name(rkt)) + ": " + rd_kafka_err2str(err);
    if (err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)
      *error = Status::DataError(what + " (" + std::to_string(key_size + value_size) +
                                 " bytes of key and value; the producer's message.max.bytes is " +
                                 std::to_string(max_bytes_) +
                                 "; -X message.max.bytes=N raises it, up to the topic's max.message.bytes)");
    // No open transaction: the last one failed to end (its producer fenced, or the broker gone)
    // and the run has yet to recover; the record is written again by the recovery.
    else if (err == RD_KAFKA_RESP_ERR__STATE && !opt_.transactional_id.empty())
      *error = Status::Aborted(what + " (no transaction open)");
    else
      *error = Status::KafkaError(what);
    return false;
  }
}

Status KafkaSink::AddToPack(int32_t partition, std::optional<std::string_view> key,
                            std::optional<std::string_view> value, int64_t timestamp, const Headers* headers,
                            DeliveryToken* token) {
  Pack& p = packs_[static_cast<size_t>(partition)];
  size_t size = (key ? key->size() : 0) + (value ? value->size() : 0);
  if (headers)
    for (const Header& h : *headers) size += h.name.size() + (h.value ? h.value->size() : 0);
  if (!p.writer.empty() && p.writer.bytes().size() + size > pack_bytes_)
    if (Status s = SendPack(partition, nullptr); !s.ok()) return s;
  if (p.writer.empty()) p.since_ms = NowMs();
  p.writer.Append(key, value, timestamp, headers);
  p.tokens.push_back(token);
  p.timestamp = std::max(p.timestamp, timestamp);
  if (p.writer.bytes().size() >= pack_bytes_) return SendPack(partition, token);
  return Status::Ok();
}

Status KafkaSink::SendPack(int32_t partition, DeliveryToken* sending) {
  Pack& p = packs_[static_cast<size_t>(partition)];
  if (p.writer.empty()) return Status::Ok();
  auto sent = std::make_unique<SentPack>();
  sent->tokens.swap(p.tokens);
  rd_kafka_headers_t* hdrs = rd_kafka_headers_new(1);
  rd_kafka_header_add(hdrs, kPackHeader.data(), static_cast<ssize_t>(kPackHeader.size()), kPackVersion.data(),
                      static_cast<ssize_t>(kPackVersion.size()));
  // Tagged in its lowest bit (a token's is always clear): DeliveryCb tells a pack from a record.
  void* opaque = reinterpret_cast<void*>(reinterpret_cast<uintptr_t>(sent.get()) | 1);
  Status error;
  bool ok =
      Produce(TopicFor(""), partition, std::nullopt, p.writer.bytes(), p.timestamp, hdrs, opaque, &error);
  p.writer.Clear();
  p.timestamp = 0;
  if (ok) {
    SentPack* key = sent.get();
    in_flight_.emplace(key, std::move(sent));  // DeliveryCb's
    return Status::Ok();
  }
  for (DeliveryToken* t : sent->tokens)
    if (t != sending && listener_) listener_->OnDelivered(t, error, Delivered{opt_.topic, partition, -1});
  return error;
}

Status KafkaSink::SendPacks(int64_t age_ms) {
  if (packs_.empty()) return Status::Ok();
  int64_t now = age_ms > 0 ? NowMs() : 0;
  Status result;
  for (size_t i = 0; i < packs_.size(); ++i)
    if (!packs_[i].writer.empty() && (age_ms <= 0 || now - packs_[i].since_ms >= age_ms))
      if (Status s = SendPack(static_cast<int32_t>(i), nullptr); !s.ok() && result.ok()) result = s;
  return result;
}

void KafkaSink::DropPacks() {
  for (size_t i = 0; i < packs_.size(); ++i) {
    Pack& p = packs_[i];
    std::vector<DeliveryToken*> tokens;
    tokens.swap(p.tokens);
    p.writer.Clear();
    p.timestamp = 0;
    for (DeliveryToken* t : tokens)
      if (listener_)
        listener_->OnDelivered(t, Status::Aborted(opt_.topic + ": purged before it was sent"),
                               Delivered{opt_.topic, static_cast<int32_t>(i), -1});
  }
}

void KafkaSink::Poll() {
  // A pack refused here fails its records through the listener: the run stops on it.
  (void)SendPacks(kPackLingerMs);
  rd_kafka_poll(rk_, 0);
}

void KafkaSink::Purge() {
  AwaitLeaders();
  DropPacks();
  if (!rk_) return;
  rd_kafka_purge(rk_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  (void)rd_kafka_flush(rk_, 1000);  // serves the purged records' reports
}

Status KafkaSink::Renew() {
  AwaitLeaders();
  DropPacks();
  for (auto& [name, rkt] : topics_) rd_kafka_topic_destroy(rkt);
  topics_.clear();
  last_topic_ = nullptr;  // destroyed above: TopicFor must not hand it out again
  last_name_.clear();
  client_.Reset();
  rk_ = nullptr;
  return Open(listener_);
}

Status KafkaSink::Flush(int timeout_ms) {
  AwaitLeaders();
  if (!rk_) return Status::Ok();
  if (Status s = SendPacks(0); !s.ok()) return s;
  rd_kafka_resp_err_t e = rd_kafka_flush(rk_, timeout_ms);
  if (const Status& f = client_.fatal(); !f.ok()) return f;
  if (e == RD_KAFKA_RESP_ERR__TIMED_OUT)
    return Status::Unavailable(std::to_string(rd_kafka_outq_len(rk_)) + " record(s) not acknowledged by " +
                               client_.config().brokers + " in time");
  return Status::Ok();
}

void KafkaSink::DeliveryCb(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* self = static_cast<KafkaSink*>(KafkaClient::Owner(opaque));
  Status s;
  std::string_view topic = rd_kafka_topic_name(m->rkt);
  if (m->err) {
    std::string what =
        std::string(topic) + " [" + std::to_string(m->partition) + "]: " + rd_kafka_err2str(m->err);
    if (m->err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)  // the broker's answer: over the topic's limit
      what += " (" + std::to_string(m->key_len + m->len) +
              " bytes of key and value; the topic's max.message.bytes is less)";
    s = DeliveryError(m->err, what);
  }
  // Records a fatal error purged (a fenced producer) fail for that error, not as "Purged in
  // queue": the Runner then knows a new producer is what it takes to go on.
  if (m->err == RD_KAFKA_RESP_ERR__PURGE_QUEUE || m->err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT)
    if (Status f = self->client_.FatalError(); !f.ok()) s = f;
  auto tagged = reinterpret_cast<uintptr_t>(m->_private);
  if (tagged & 1) {  // a pack (SendPack): its records' reports
    auto it = self->in_flight_.find(reinterpret_cast<SentPack*>(tagged & ~uintptr_t{1}));
    if (it == self->in_flight_.end()) return;
    std::unique_ptr<SentPack> sent = std::move(it->second);
    self->in_flight_.erase(it);
    if (self->listener_)
      for (DeliveryToken* t : sent->tokens)
        self->listener_->OnDelivered(t, s, Delivered{topic, m->partition, m->offset});
    return;
  }
  if (self->listener_)
    self->listener_->OnDelivered(static_cast<DeliveryToken*>(m->_private), s,
                                 Delivered{topic, m->partition, m->offset});
}

}  // namespace kt
