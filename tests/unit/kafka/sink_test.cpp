// KafkaSink on librdkafka's mock cluster: a renewed producer (the Runner's recovery from a
// fenced one) is the one the records after it go through; a record's partition key.
#include "kt/kafka/sink.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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

// A configuration for the mock cluster, which has `topic` (one partition).
kt::KafkaConfig WithTopic(MockCluster& mock, const char* topic) {
  kt::KafkaConfig cfg;
  cfg.brokers = mock.brokers();
  REQUIRE(rd_kafka_mock_topic_create(mock.cluster, topic, 1, 1) == RD_KAFKA_RESP_ERR_NO_ERROR);
  return cfg;
}

}  // namespace

// Renew destroyed the producer's topic handles but TopicFor still handed out the last one it
// had looked up: the first record after a renewal went to a destroyed handle (kmap
// --exactly-once fenced by another producer: a segmentation fault, delivery.bats).
TEST_CASE("KafkaSink: after Renew, records go out through the new producer") {
  MockCluster mock;
  kt::KafkaConfig cfg = WithTopic(mock, "renewed");
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

namespace {

// The producer's bound on the bytes of records queued for sending, as its handle has it.
std::string QueuedKbytes(const kt::KafkaConfig& cfg, int64_t max_record_bytes) {
  kt::KafkaSinkOptions opt{"test", "bounded", kt::Codec(), kt::Codec(), false};
  opt.max_record_bytes = max_record_bytes;
  kt::KafkaSink sink(cfg, opt);
  Acks acks;
  REQUIRE(sink.Open(&acks).ok());
  char value[64] = "";
  size_t size = sizeof value;
  REQUIRE(rd_kafka_conf_get(rd_kafka_conf(sink.handle()), "queue.buffering.max.kbytes", value, &size) ==
          RD_KAFKA_CONF_OK);
  return value;
}

}  // namespace

// librdkafka's 1 GB would let 100,000 queued records of 10 KB hold a gigabyte: 64 MB, or twice the
// largest record the producer takes (the input's, or -X message.max.bytes), so that one fits.
TEST_CASE("KafkaSink: records queued for sending hold at most 64 MB, or two of the largest") {
  MockCluster mock;
  kt::KafkaConfig cfg = WithTopic(mock, "bounded");
  CHECK(QueuedKbytes(cfg, 0) == "65536");
  CHECK(QueuedKbytes(cfg, 4000000) == "65536");
  CHECK(QueuedKbytes(cfg, 100000000) == "195313");
  cfg.properties.emplace_back("message.max.bytes", "50000000");
  CHECK(QueuedKbytes(cfg, 0) == "97657");
  cfg.properties.emplace_back("queue.buffering.max.kbytes", "1024");  // -X wins
  CHECK(QueuedKbytes(cfg, 0) == "1024");
}

// A window's record goes to its group key's partition (OutRecord::partition_key), as Kafka
// Streams' WindowedStreamPartitioner puts it; a record without one goes by its own key.
TEST_CASE("KafkaSink: a record with a partition key goes to that key's partition of the output") {
  MockCluster mock;
  REQUIRE(rd_kafka_mock_topic_create(mock.cluster, "windows", 4, 1) == RD_KAFKA_RESP_ERR_NO_ERROR);
  kt::KafkaConfig cfg;
  cfg.brokers = mock.brokers();
  kt::KafkaSink sink(cfg, kt::KafkaSinkOptions{"test", "windows", kt::Codec(), kt::Codec(), false});
  Acks acks;
  REQUIRE(sink.Open(&acks).ok());
  auto partition = [](std::string_view key) {
    return rd_kafka_msg_partitioner_murmur2_random(nullptr, key.data(), key.size(), 4, nullptr, nullptr);
  };
  struct Case {
    std::string key;
    std::optional<std::string> by;
  };
  const std::vector<Case> cases = {{"user-1@0/10000", "user-1"},
                                   {"/products/42@0/10000", "/products/42"},
                                   {"/products/42@10000/20000", "/products/42"},
                                   {"foobar", std::nullopt}};
  // Else the test could not tell the two apart.
  CHECK(partition("user-1@0/10000") != partition("user-1"));
  CHECK(partition("/products/42@10000/20000") != partition("/products/42"));
  std::vector<int64_t> expected(4, 0);
  std::vector<std::unique_ptr<kt::DeliveryToken>> tokens;
  const std::string value = "{}";  // the records view it
  for (const Case& c : cases) {
    kt::OutRecord o = Value(value);
    o.key = c.key;
    if (c.by) o.partition_key = *c.by;
    tokens.push_back(std::make_unique<kt::DeliveryToken>(kt::DeliveryToken::Kind::kRecord));
    REQUIRE(sink.Send(o, tokens.back().get()).ok());
    ++expected[static_cast<size_t>(partition(c.by ? *c.by : c.key))];
  }
  REQUIRE(sink.Flush(10000).ok());
  CHECK(acks.ok == 4);
  rd_kafka_t* c = kt::test::NewClient(mock.brokers(), RD_KAFKA_CONSUMER);
  std::vector<int64_t> got;
  for (int32_t p = 0; p < 4; ++p) {
    int64_t lo = 0, hi = 0;
    REQUIRE(rd_kafka_query_watermark_offsets(c, "windows", p, &lo, &hi, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR);
    got.push_back(hi - lo);
  }
  rd_kafka_destroy(c);
  CHECK(got == expected);
}
