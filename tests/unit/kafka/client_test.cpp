// KafkaClient: a producer's fatal errors in words that name the missing ACL.
#include "kt/kafka/client.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "mock_cluster.hpp"

TEST_CASE("KafkaClient: a producer refused its producer id says which cluster ACL is missing, and whose") {
  kt::test::MockCluster mock;
  REQUIRE(mock.cluster);
  // The broker's answer to a user without IdempotentWrite on the cluster (API key 22:
  // InitProducerId).
  constexpr int16_t kInitProducerId = 22;
  rd_kafka_mock_push_request_errors(mock.cluster, kInitProducerId, 1,
                                    RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED);
  kt::KafkaConfig cfg;
  cfg.brokers = mock.brokers();
  cfg.brokers_origin = "-b";
  cfg.properties = {{"log_level", "0"}, {"sasl.username", "bob"}};
  kt::KafkaClient client(cfg, "ktest", false);
  REQUIRE(client.Create(RD_KAFKA_PRODUCER, "producer", {{"enable.idempotence", "true"}}, {}).ok());
  // (Not checked: that no error is there yet. The producer's thread may have the refusal before
  // this thread looks, as it did under ASan beside the fuzz runs.)
  for (int i = 0; i < 500 && client.FatalError().ok(); ++i)  // up to 5 s for the refusal
    rd_kafka_poll(client.get(), 10);
  kt::Status s = client.FatalError();
  REQUIRE_FALSE(s.ok());
  CHECK(
      s.message().starts_with("not authorized on the cluster for operation IdempotentWrite (user 'bob') ("));
}

TEST_CASE("QueryWatermarks waits out a leader that does not know it leads yet") {
  kt::test::MockCluster mock;
  REQUIRE(mock.cluster);
  REQUIRE(rd_kafka_mock_topic_create(mock.cluster, "fresh", 1, 1) == RD_KAFKA_RESP_ERR_NO_ERROR);
  kt::KafkaConfig cfg;
  cfg.brokers = mock.brokers();
  cfg.brokers_origin = "-b";
  cfg.properties = {{"log_level", "0"}};
  kt::KafkaClient client(cfg, "ktest", false);
  REQUIRE(client.Create(RD_KAFKA_CONSUMER, "consumer", {{"group.id", "ktest"}}, {}).ok());
  // A topic created a moment ago: its leader answers ListOffsets (API key 2) with
  // NOT_LEADER_FOR_PARTITION for its first milliseconds, and librdkafka 2.0 does not retry.
  constexpr int16_t kListOffsets = 2;
  int64_t lo = -1, hi = -1;
  rd_kafka_mock_push_request_errors(mock.cluster, kListOffsets, 2, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                    RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
  CHECK(rd_kafka_query_watermark_offsets(client.get(), "fresh", 0, &lo, &hi, 5000) ==
        RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
  rd_kafka_mock_clear_request_errors(mock.cluster, kListOffsets);
  rd_kafka_mock_push_request_errors(mock.cluster, kListOffsets, 3, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                    RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
                                    RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
  CHECK(kt::QueryWatermarks(client.get(), "fresh", 0, &lo, &hi) == RD_KAFKA_RESP_ERR_NO_ERROR);
  CHECK(lo == 0);
  CHECK(hi == 0);
}
