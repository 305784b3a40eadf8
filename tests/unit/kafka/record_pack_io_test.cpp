// A repartition topic's packed messages (core/record_pack.hpp) on librdkafka's mock cluster:
// KafkaSink packs the records bound for one partition into one message, KafkaSource hands
// them out one by one in timestamp order with their origins, and a commit inside a packed
// message makes the next reader start after the records done.
#include <catch2/catch.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "kt/core/murmur2.hpp"
#include "kt/core/origin.hpp"
#include "kt/core/time.hpp"
#include "kt/kafka/sink.hpp"
#include "kt/kafka/source.hpp"
#include "kt/run/offset_tracker.hpp"
#include "mock_cluster.hpp"

using kt::test::Acks;
using kt::test::MockCluster;

namespace {

// Writes records keyed k0..k<n-1> with timestamps 1000 + 10 * i, each with
// origin headers at input partition 0, offset i, through a repartition topic's sink.
void WritePacked(const MockCluster& mock, const std::string& topic, int n) {
  kt::KafkaConfig cfg;
  cfg.brokers = mock.brokers();
  kt::KafkaSinkOptions so{"test", topic, kt::Codec(), kt::Codec(), false};
  so.internal_topic = true;
  kt::KafkaSink sink(cfg, so);
  Acks acks;
  REQUIRE(sink.Open(&acks).ok());
  std::vector<kt::DeliveryToken> tokens(static_cast<size_t>(n),
                                        kt::DeliveryToken(kt::DeliveryToken::Kind::kRecord));
  kt::OriginWriter origin;
  for (int i = 0; i < n; ++i) {
    std::string key = "k" + std::to_string(i), value = "{\"i\":" + std::to_string(i) + "}";
    std::string orig = "orig" + std::to_string(i);
    kt::Record in;
    in.key = orig;
    in.topic = "input";
    in.partition = 0;
    in.offset = i;
    kt::Headers headers{{"user", std::string_view("h")}};
    origin.Append(in, &headers);
    kt::OutRecord out;
    out.key = key;
    out.value_kind = kt::OutRecord::ValueKind::kText;
    out.value_text = value;
    out.timestamp = 1000 + 10 * i;
    out.headers = &headers;
    REQUIRE(sink.Send(out, &tokens[static_cast<size_t>(i)]).ok());
  }
  REQUIRE(sink.Flush(10000).ok());
  CHECK(acks.ok == n);
  CHECK(acks.failed == 0);
}

// Messages in each partition of `topic`.
std::vector<int64_t> Messages(const MockCluster& mock, const std::string& topic, int partitions) {
  rd_kafka_t* c = kt::test::NewClient(mock.brokers(), RD_KAFKA_CONSUMER);
  std::vector<int64_t> out;
  for (int p = 0; p < partitions; ++p) {
    int64_t lo = 0, hi = 0;
    REQUIRE(rd_kafka_query_watermark_offsets(c, topic.c_str(), p, &lo, &hi, 5000) ==
            RD_KAFKA_RESP_ERR_NO_ERROR);
    out.push_back(hi - lo);
  }
  rd_kafka_destroy(c);
  return out;
}

struct Read {
  std::string key, value, origin_key, user_header;
  int64_t timestamp;
  int32_t partition;
  int64_t origin_offset;
};

// Reads `topic` as the stage after a repartition topic (group `group`, committing as it
// goes): at most `max` records; commits what it read before it stops.
std::vector<Read> ReadPacked(const MockCluster& mock, const std::string& topic, const std::string& group,
                             size_t max) {
  kt::KafkaConfig cfg;
  cfg.brokers = mock.brokers();
  kt::KafkaSourceOptions opt;
  opt.tool = "test";
  opt.topics = {topic};
  opt.group = group;
  opt.batch = true;  // direct assignment on the mock cluster: no group join to wait for
  opt.exit_at_end = true;
  opt.origin_headers = true;
  kt::KafkaSource source(cfg, opt);
  REQUIRE(source.Open(nullptr).ok());
  kt::OffsetTracker tracker;
  std::vector<Read> got;
  int64_t deadline = kt::NowMs() + 30000;
  while (got.size() < max && kt::NowMs() < deadline) {
    kt::Record rec;
    kt::Status st;
    auto poll = source.Next(100, &rec, &st);
    if (poll == kt::Source::Poll::kEnd) break;
    if (poll != kt::Source::Poll::kRecord) continue;
    REQUIRE(st.ok());
    REQUIRE(rec.origin);
    std::string user;
    for (const kt::Header& h : *rec.headers)
      if (h.name == "user" && h.value) user = std::string(*h.value);
    got.push_back({std::string(rec.key.value_or("")), std::string(rec.value.value_or("")),
                   std::string(rec.origin->key.value_or("")), user, rec.timestamp, rec.partition,
                   rec.origin->offset});
    tracker.Seal(
        tracker.Begin(rec.topic, rec.partition, rec.offset, rec.more_at_offset ? rec.packed_index + 1 : 0));
  }
  REQUIRE(source.Fatal().ok());
  REQUIRE(source.Commit(tracker.Committable()).ok());
  source.Close();
  return got;
}

// Creates `topic` with `partitions`, writes n records to it (WritePacked); the messages in
// each partition.
std::vector<int64_t> CreateAndWrite(const MockCluster& mock, const std::string& topic, int partitions,
                                    int n) {
  REQUIRE(mock.cluster);
  rd_kafka_mock_topic_create(mock.cluster, topic.c_str(), partitions, 1);
  WritePacked(mock, topic, n);
  return Messages(mock, topic, partitions);
}

}  // namespace

TEST_CASE("a repartition topic's records go packed, one message per partition, and come back one by one") {
  MockCluster mock;
  const int n = 40;
  auto messages = CreateAndWrite(mock, "rp", 2, n);
  CHECK(messages[0] + messages[1] <= 2);  // one pack each (a partition without records has none)
  auto got = ReadPacked(mock, "rp", "g1", 1000);
  REQUIRE(got.size() == static_cast<size_t>(n));
  for (size_t i = 0; i < got.size(); ++i) {
    int k = static_cast<int>(i);  // timestamp order across the partitions
    INFO("record " << i);
    CHECK(got[i].key == "k" + std::to_string(k));
    CHECK(got[i].value == "{\"i\":" + std::to_string(k) + "}");
    CHECK(got[i].timestamp == 1000 + 10 * k);
    CHECK(got[i].partition == kt::Murmur2Partition(got[i].key, 2));
    CHECK(got[i].origin_key == "orig" + std::to_string(k));
    CHECK(got[i].origin_offset == k);
    CHECK(got[i].user_header == "h");
  }
}

TEST_CASE("a commit inside a packed message: the next reader starts after the records done") {
  MockCluster mock;
  const int n = 10;
  CHECK(CreateAndWrite(mock, "rp1", 1, n)[0] == 1);
  auto first = ReadPacked(mock, "rp1", "g", 3);
  REQUIRE(first.size() == 3);
  auto rest = ReadPacked(mock, "rp1", "g", 1000);
  REQUIRE(rest.size() == static_cast<size_t>(n - 3));
  for (size_t i = 0; i < rest.size(); ++i) CHECK(rest[i].origin_offset == 3 + static_cast<int64_t>(i));
  CHECK(ReadPacked(mock, "rp1", "g", 1000).empty());  // all done: the offset after the message
}
