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
  CHECK(client.FatalError().ok());
  for (int i = 0; i < 500 && client.FatalError().ok(); ++i)  // up to 5 s for the refusal
    rd_kafka_poll(client.get(), 10);
  kt::Status s = client.FatalError();
  REQUIRE_FALSE(s.ok());
  CHECK(
      s.message().starts_with("not authorized on the cluster for operation IdempotentWrite (user 'bob') ("));
}
