// librdkafka's mock cluster for unit tests that need a broker's answers, including wrong ones
// (rd_kafka_mock_push_request_errors): one broker, owned by a producer handle that lives as long
// as the cluster.
#pragma once

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kt/io/sink.hpp"

namespace kt::test {

struct MockCluster {
  rd_kafka_t* rk = nullptr;
  rd_kafka_mock_cluster_t* cluster = nullptr;
  MockCluster() {
    char err[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "0", err, sizeof err);
    rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    cluster = rd_kafka_mock_cluster_new(rk, 1);
  }
  ~MockCluster() {
    rd_kafka_mock_cluster_destroy(cluster);
    rd_kafka_destroy(rk);
  }
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;
  std::string brokers() const { return rd_kafka_mock_cluster_bootstraps(cluster); }
};

// A client of `brokers` (the caller destroys it); log_level 0 keeps injected errors quiet.
// `batch`: a producer's batch.num.messages, when not empty. `linger_ms`: its linger.ms, when not
// empty.
inline rd_kafka_t* NewClient(const std::string& brokers, rd_kafka_type_t type = RD_KAFKA_PRODUCER,
                             const std::string& batch = "", const std::string& linger_ms = "") {
  char err[256];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), err, sizeof err);
  rd_kafka_conf_set(conf, "log_level", "0", err, sizeof err);
  if (!batch.empty()) rd_kafka_conf_set(conf, "batch.num.messages", batch.c_str(), err, sizeof err);
  if (!linger_ms.empty()) rd_kafka_conf_set(conf, "linger.ms", linger_ms.c_str(), err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);
  REQUIRE(rk);
  return rk;
}

// Writes (partition, timestamp) records, in the order given, to `topic`; each value is
// {"t":<timestamp>}. `one_per_batch`: each record in a batch of its own, so that a consumer
// fetching one batch at a time (max.partition.fetch.bytes=1) gets a partition in pieces.
// Otherwise each partition's records are one batch, so that a consumer gets them in one fetch
// (a test of the order of turns depends on it: a turn ends at a partition that has nothing more
// fetched yet). Nothing is sent before the flush, which overrides linger.ms; and the topic's
// partitions are known before the first record: records written before are held unassigned
// and moved to their partitions one by one when the metadata comes, and with the flush on
// (linger overridden) the first went out in a batch of its own when the machine was loaded.
inline void Produce(const std::string& brokers, const std::string& topic,
                    const std::vector<std::pair<int32_t, int64_t>>& recs, bool one_per_batch = false) {
  rd_kafka_t* p =
      NewClient(brokers, RD_KAFKA_PRODUCER, one_per_batch ? "1" : "", one_per_batch ? "" : "60000");
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(p, topic.c_str(), nullptr);
  REQUIRE(rkt);
  const rd_kafka_metadata_t* md = nullptr;
  REQUIRE(rd_kafka_metadata(p, 0, rkt, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_metadata_destroy(md);
  for (auto [partition, ts] : recs) {
    std::string value = "{\"t\":" + std::to_string(ts) + "}";
    REQUIRE(rd_kafka_producev(p, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
                              RD_KAFKA_V_VALUE(value.data(), value.size()), RD_KAFKA_V_TIMESTAMP(ts),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                              RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  REQUIRE(rd_kafka_flush(p, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_topic_destroy(rkt);
  rd_kafka_destroy(p);
}

// Counts a sink's delivery reports.
struct Acks : kt::DeliveryListener {
  int ok = 0, failed = 0;
  void OnDelivered(kt::DeliveryToken*, const kt::Status& s, const kt::Delivered&) override {
    ++(s.ok() ? ok : failed);
  }
};

}  // namespace kt::test
