#include "kt/kafka/client.hpp"

#include <cstdio>

namespace kt {

namespace {
Status Set(rd_kafka_conf_t* conf, const std::string& k, const std::string& v) {
  char err[512];
  if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK)
    return Status::InvalidArgument("Kafka property " + k + ": " + err);
  return Status::Ok();
}

void LogCb(const rd_kafka_t* rk, int /*level*/, const char* fac, const char* buf) {
  std::fprintf(stderr, "%s: kafka: %s: %s\n", rk ? rd_kafka_name(rk) : "ktools", fac, buf);
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

Status FetchMetadata(rd_kafka_t* rk, const KafkaConfig& cfg, const std::string& topic,
                     int* partition_count) {
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk, topic.empty() ? 0 : 1, nullptr, &md, kMetadataTimeoutMs);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::KafkaError("cannot reach Kafka at " + cfg.brokers + " (brokers from " +
                              cfg.brokers_origin + "): " + rd_kafka_err2str(err));
  }
  if (partition_count) {
    *partition_count = 0;
    for (int i = 0; i < md->topic_cnt; ++i) {
      const rd_kafka_metadata_topic_t& t = md->topics[i];
      if (topic == t.topic && t.err == RD_KAFKA_RESP_ERR_NO_ERROR) *partition_count = t.partition_cnt;
    }
  }
  rd_kafka_metadata_destroy(md);
  return Status::Ok();
}

}  // namespace kt
