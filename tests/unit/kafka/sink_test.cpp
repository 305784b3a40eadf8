// KafkaSink on librdkafka's mock cluster: a renewed producer (the Runner's recovery from a
// fenced one) is the one the records after it go through.
#include "kt/kafka/sink.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "mock_cluster.hpp"

using kt::test::Acks;
using kt::test::MockCluster;

namespace {

kt::OutRecord Value(const std::string& text) {
  kt::OutRecord out;
  out.value_kind = kt::OutRecord::ValueKind::kText;
  out.value_text = text;
  return out;
}

}  // namespace

// Renew destroyed the producer's topic handles but TopicFor still handed out the last one it
// had looked up: the first record after a renewal went to a destroyed handle (kmap
// --exactly-once fenced by another producer: a segmentation fault, delivery.bats).
TEST_CASE("KafkaSink: after Renew, records go out through the new producer") {
  MockCluster mock;
  kt::KafkaConfig cfg;
  cfg.brokers = mock.brokers();
  REQUIRE(rd_kafka_mock_topic_create(mock.cluster, "renewed", 1, 1) == RD_KAFKA_RESP_ERR_NO_ERROR);
  kt::KafkaSink sink(cfg, kt::KafkaSinkOptions{"test", "renewed", kt::Codec(), kt::Codec(), false});
  Acks acks;
  REQUIRE(sink.Open(&acks).ok());
  // Aligned as the Runner's tokens are: an odd address marks a pack's report (KafkaSink).
  alignas(8) kt::DeliveryToken first(kt::DeliveryToken::Kind::kRecord);
  alignas(8) kt::DeliveryToken second(kt::DeliveryToken::Kind::kRecord);
  REQUIRE(sink.Send(Value("{\"n\":1}"), &first).ok());
  REQUIRE(sink.Flush(10000).ok());
  REQUIRE(sink.Renew().ok());
  REQUIRE(sink.Send(Value("{\"n\":2}"), &second).ok());
  REQUIRE(sink.Flush(10000).ok());
  CHECK(acks.ok == 2);
  CHECK(acks.failed == 0);
  rd_kafka_t* c = kt::test::NewClient(mock.brokers(), RD_KAFKA_CONSUMER);
  int64_t lo = 0, hi = 0;
  REQUIRE(rd_kafka_query_watermark_offsets(c, "renewed", 0, &lo, &hi, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_destroy(c);
  CHECK(hi - lo == 2);
}
