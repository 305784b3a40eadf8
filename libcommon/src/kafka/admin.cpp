#include "kt/kafka/admin.hpp"

#include <librdkafka/rdkafka.h>

#include "kt/kafka/client.hpp"

namespace kt {

namespace {
bool HasController(rd_kafka_t* rk) {
  int32_t controller = rd_kafka_controllerid(rk, kMetadataTimeoutMs);
  const rd_kafka_metadata_t* md = nullptr;
  if (controller < 0 || rd_kafka_metadata(rk, 0, nullptr, &md, kMetadataTimeoutMs) != RD_KAFKA_RESP_ERR_NO_ERROR)
    return false;
  bool found = false;
  for (int i = 0; i < md->broker_cnt; ++i) found = found || md->brokers[i].id == controller;
  rd_kafka_metadata_destroy(md);
  return found;
}
}  // namespace

Result<int> PartitionCount(const KafkaConfig& cfg, const std::string& topic, const std::string& tool) {
  KafkaClient admin(cfg, tool, false);
  if (Status s = admin.Create(RD_KAFKA_PRODUCER, "admin client", {}, {}); !s.ok()) return s;
  int n = 0;
  Status s = FetchMetadata(admin.get(), cfg, topic, &n);
  if (!s.ok()) return s;
  return n;
}

Status EnsureTopic(const KafkaConfig& cfg, const std::string& topic, int partitions,
                   int replication_factor, const std::string& tool, bool* created,
                   const Properties& configs) {
  *created = false;
  KafkaClient rk(cfg, tool, false);
  if (Status s = rk.Create(RD_KAFKA_PRODUCER, "admin client", {}, {}); !s.ok()) return s;
  char err[512];
  int existing = 0;
  Status s = FetchMetadata(rk.get(), cfg, topic, &existing);
  if (!s.ok()) return s;
  if (existing > 0) {
    if (existing != partitions)
      return Status::InvalidArgument("topic '" + topic + "' exists with " + std::to_string(existing) +
                                     " partitions, not " + std::to_string(partitions));
    return Status::Ok();
  }
  // librdkafka 2.0's mock cluster (kbroker) has no CreateTopics and reports a controller id
  // that is none of its brokers: the admin request would wait for that controller until it
  // times out. There topics are created on first use (with the mock's default partition
  // count), so leave it to that.
  if (!HasController(rk.get())) return Status::Ok();
  rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(topic.c_str(), partitions, replication_factor, err, sizeof err);
  if (!nt) return Status::InvalidArgument(std::string("topic ") + topic + ": " + err);
  for (auto& [k, v] : configs) rd_kafka_NewTopic_set_config(nt, k.c_str(), v.c_str());
  rd_kafka_queue_t* q = rd_kafka_queue_new(rk.get());
  rd_kafka_AdminOptions_t* opts = rd_kafka_AdminOptions_new(rk.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_AdminOptions_set_operation_timeout(opts, kMetadataTimeoutMs, err, sizeof err);
  rd_kafka_CreateTopics(rk.get(), &nt, 1, opts, q);
  rd_kafka_event_t* ev = rd_kafka_queue_poll(q, kMetadataTimeoutMs + 5000);
  Status result;
  if (!ev) {
    result = Status::KafkaError("timed out creating topic '" + topic + "'");
  } else if (rd_kafka_event_error(ev)) {
    rd_kafka_resp_err_t e = rd_kafka_event_error(ev);
    // kbroker (mock cluster): no CreateTopics; the topic is auto-created when first produced to.
    if (e != RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE && e != RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION)
      result = Status::KafkaError("cannot create topic '" + topic + "': " + rd_kafka_event_error_string(ev));
  } else {
    const rd_kafka_CreateTopics_result_t* res = rd_kafka_event_CreateTopics_result(ev);
    size_t n = 0;
    const rd_kafka_topic_result_t** tr = rd_kafka_CreateTopics_result_topics(res, &n);
    rd_kafka_resp_err_t e = n ? rd_kafka_topic_result_error(tr[0]) : RD_KAFKA_RESP_ERR_NO_ERROR;
    if (e == RD_KAFKA_RESP_ERR_NO_ERROR) *created = true;
    else if (e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS && e != RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION &&
             e != RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE)
      result = Status::KafkaError("cannot create topic '" + topic + "': " + rd_kafka_topic_result_error_string(tr[0]));
  }
  if (ev) rd_kafka_event_destroy(ev);
  if (result.ok() && !*created) {  // someone else created it meanwhile: check its size
    Status m = FetchMetadata(rk.get(), cfg, topic, &existing);
    if (m.ok() && existing > 0 && existing != partitions)
      result = Status::InvalidArgument("topic '" + topic + "' exists with " + std::to_string(existing) +
                                       " partitions, not " + std::to_string(partitions));
  }
  rd_kafka_AdminOptions_destroy(opts);
  rd_kafka_NewTopic_destroy(nt);
  rd_kafka_queue_destroy(q);
  return result;
}

}  // namespace kt
