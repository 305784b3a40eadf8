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

// librdkafka before 2.3 aborts destroying a cooperative-sticky member whose JoinGroup was answered
// and whose SyncGroup was not (librdkafka#4381): a close right after FinishFirstJoin looked.
TEST_CASE(
    "KafkaClient: a consumer closed in its first join, its SyncGroup unanswered, is kept, not destroyed") {
  kt::test::MockCluster mock;
  REQUIRE(mock.cluster);
  REQUIRE(rd_kafka_mock_topic_create(mock.cluster, "t", 2, 1) == RD_KAFKA_RESP_ERR_NO_ERROR);
  constexpr int16_t kSyncGroup = 14;
  rd_kafka_mock_broker_push_request_error_rtts(mock.cluster, 1, kSyncGroup, 1, RD_KAFKA_RESP_ERR_NO_ERROR,
                                               5000);
  kt::KafkaConfig cfg;
  cfg.brokers = mock.brokers();
  cfg.brokers_origin = "-b";
  cfg.properties = {{"log_level", "0"}};
  {
    kt::KafkaClient client(cfg, "ktest", false);
    REQUIRE(client
                .Create(RD_KAFKA_CONSUMER, "consumer",
                        {{"group.id", "ktest-first-join"},
                         {"partition.assignment.strategy", "cooperative-sticky"}},
                        {})
                .ok());
    rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, "t", RD_KAFKA_PARTITION_UA);
    REQUIRE(rd_kafka_subscribe(client.get(), topics) == RD_KAFKA_RESP_ERR_NO_ERROR);
    rd_kafka_topic_partition_list_destroy(topics);
    for (int i = 0; i < 100 && !kt::HasJoined(client.get()); ++i)
      if (rd_kafka_message_t* m = rd_kafka_consumer_poll(client.get(), 50)) rd_kafka_message_destroy(m);
    REQUIRE(kt::HasJoined(client.get()));
    client.CloseConsumer(/*synced=*/false);
    CHECK((client.get() == nullptr) == (rd_kafka_version() < 0x02030000));
  }  // without the fix, librdkafka 2.0 aborts here
}
