// Where a run starts when the broker answers ListOffsets badly: OffsetsForTimes waits out a
// leader that does not know it leads yet, and a --from time that cannot be looked up stops the
// run before it reads anything (a wrong start would skip records or read ones not asked for).
#include <catch2/catch.hpp>
#include <string>

#include "kt/kafka/client.hpp"
#include "kt/kafka/source.hpp"
#include "mock_cluster.hpp"

namespace {

constexpr int16_t kListOffsets = 2;  // the Kafka protocol's ApiKey

// Answers the next `n` ListOffsets requests with `err`.
void FailListOffsets(const kt::test::MockCluster& mock, int n, rd_kafka_resp_err_t err) {
  for (int i = 0; i < n; ++i) rd_kafka_mock_push_request_errors(mock.cluster, kListOffsets, 1, err);
}

// The offset found for `time_ms` in t [0], or the error. The mock cluster answers only the
// logical times (-1 the end, -2 the beginning); a real broker's answers to times are in bats.
std::pair<int64_t, rd_kafka_resp_err_t> Lookup(rd_kafka_t* rk, int64_t time_ms, bool retry) {
  rd_kafka_topic_partition_list_t* q = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(q, "t", 0)->offset = time_ms;
  rd_kafka_resp_err_t e = retry ? kt::OffsetsForTimes(rk, q) : rd_kafka_offsets_for_times(rk, q, 10000);
  std::pair<int64_t, rd_kafka_resp_err_t> out{q->elems[0].offset, e ? e : q->elems[0].err};
  rd_kafka_topic_partition_list_destroy(q);
  return out;
}

}  // namespace

TEST_CASE("OffsetsForTimes waits out a leader that is not ready yet") {
  kt::test::MockCluster mock;
  REQUIRE(mock.cluster);
  rd_kafka_mock_topic_create(mock.cluster, "t", 1, 1);
  kt::test::Produce(mock.brokers(), "t", {{0, 10}, {0, 20}, {0, 30}});
  rd_kafka_t* rk = kt::test::NewClient(mock.brokers());

  // librdkafka alone passes the answer on (why OffsetsForTimes asks again).
  FailListOffsets(mock, 1, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
  CHECK(Lookup(rk, RD_KAFKA_OFFSET_END, false).second == RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);

  FailListOffsets(mock, 3, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
  auto [offset, err] = Lookup(rk, RD_KAFKA_OFFSET_END, true);
  CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR);
  CHECK(offset == 3);

  // An answer that will not change is not asked again: the second error is left for the next call.
  FailListOffsets(mock, 2, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
  CHECK(Lookup(rk, RD_KAFKA_OFFSET_END, true).second == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
  CHECK(Lookup(rk, RD_KAFKA_OFFSET_END, true).second == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
  CHECK(Lookup(rk, RD_KAFKA_OFFSET_END, true) ==
        std::pair<int64_t, rd_kafka_resp_err_t>{3, RD_KAFKA_RESP_ERR_NO_ERROR});
  rd_kafka_destroy(rk);
}

TEST_CASE("A --from time that cannot be looked up stops the run before it reads") {
  kt::test::MockCluster mock;
  REQUIRE(mock.cluster);
  rd_kafka_mock_topic_create(mock.cluster, "t", 2, 1);
  kt::test::Produce(mock.brokers(), "t", {{0, 10}, {0, 20}, {1, 30}});
  kt::KafkaConfig cfg;
  cfg.brokers = mock.brokers();
  kt::KafkaSourceOptions opt;
  opt.tool = "test";
  opt.topics = {"t"};
  opt.exit_at_end = true;
  opt.from = {kt::StartSpec::Kind::kTime, 15};
  kt::KafkaSource source(cfg, opt);
  FailListOffsets(mock, 1, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
  kt::Status st = source.Open(nullptr);
  REQUIRE_FALSE(st.ok());
  CHECK(st.message() == "cannot find where --from 1970-01-01T00:00:00.015Z starts in t [0]: " +
                            std::string(rd_kafka_err2str(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED)));
}
