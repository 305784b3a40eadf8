// KafkaSource over several co-partitioned topics on librdkafka's mock cluster: the records of
// every partition of every topic come out in timestamp order (ties: the first topic, then the
// lower partition), each partition's in offset order, whatever order they were written in; or,
// with task turns, each task's records so, the tasks in turns.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "kt/core/time.hpp"
#include "kt/kafka/source.hpp"
#include "mock_cluster.hpp"

using kt::test::MockCluster;
using kt::test::Produce;

// Reads `topics` of the mock cluster to their end: (timestamp, input, partition) of each record.
// `*waited_ms`: how long it took from the first record to the end.
std::vector<std::tuple<int64_t, int, int32_t>> ReadAll(const MockCluster& mock,
                                                       const std::vector<std::string>& topics,
                                                       size_t task_turn = 0, int next_ms = 100,
                                                       int64_t* waited_ms = nullptr) {
  kt::KafkaConfig cfg;
  cfg.brokers = mock.brokers();
  kt::KafkaSourceOptions opt;
  opt.tool = "test";
  opt.topics = topics;
  opt.exit_at_end = true;
  opt.task_turn = task_turn;
  kt::KafkaSource source(cfg, opt);
  REQUIRE(source.Open(nullptr).ok());
  std::vector<std::tuple<int64_t, int, int32_t>> got;
  int64_t deadline = kt::NowMs() + 30000;
  while (kt::NowMs() < deadline) {
    kt::Record rec;
    kt::Status st;
    auto poll = source.Next(next_ms, &rec, &st);
    if (poll == kt::Source::Poll::kEnd) break;
    if (poll == kt::Source::Poll::kRecord) {
      if (got.empty() && waited_ms) *waited_ms = -kt::NowMs();
      got.emplace_back(rec.timestamp, rec.input, rec.partition);
    }
  }
  if (waited_ms) *waited_ms += kt::NowMs();
  REQUIRE(source.Fatal().ok());
  return got;
}

// Two co-partitioned topics of 3 partitions, written partition by partition, so fetch order is
// nothing like time order; partition 2 of "left" holds one record out of order (35 after 40),
// which keeps its offset order.
void WriteLeftRight(const MockCluster& mock) {
  REQUIRE(mock.cluster);
  rd_kafka_mock_topic_create(mock.cluster, "left", 3, 1);
  rd_kafka_mock_topic_create(mock.cluster, "right", 3, 1);
  Produce(mock.brokers(), "left",
          {{2, 10}, {2, 40}, {2, 35}, {2, 90}, {0, 20}, {0, 50}, {0, 80}, {1, 30}, {1, 60}});
  Produce(mock.brokers(), "right", {{1, 20}, {1, 55}, {0, 5}, {0, 70}, {2, 100}});
}

TEST_CASE("KafkaSource merges partitions and topics in timestamp order") {
  MockCluster mock;
  WriteLeftRight(mock);
  auto got = ReadAll(mock, {"left", "right"});
  std::vector<std::tuple<int64_t, int, int32_t>> want = {
      {5, 1, 0},  {10, 0, 2}, {20, 0, 0}, {20, 1, 1}, {30, 0, 1}, {40, 0, 2}, {35, 0, 2},
      {50, 0, 0}, {55, 1, 1}, {60, 0, 1}, {70, 1, 0}, {80, 0, 0}, {90, 0, 2}, {100, 1, 2}};
  CHECK(got == want);
}

TEST_CASE("KafkaSource with task turns: each task in timestamp order, the tasks in turns") {
  MockCluster mock;
  WriteLeftRight(mock);
  // Two records per turn: task 0 (partition 0 of both topics, merged), task 1, task 2, again;
  // in the third round tasks 0 and 1 run out, and pass their turns on.
  std::vector<std::tuple<int64_t, int, int32_t>> want = {
      {5, 1, 0},  {20, 0, 0}, {20, 1, 1}, {30, 0, 1}, {10, 0, 2}, {40, 0, 2}, {50, 0, 0},
      {70, 1, 0}, {55, 1, 1}, {60, 0, 1}, {35, 0, 2}, {90, 0, 2}, {80, 0, 0}, {100, 1, 2}};
  CHECK(ReadAll(mock, {"left", "right"}, 2) == want);
}

TEST_CASE(
    "KafkaSource with task turns: a task whose turn is over takes the next at once when the others have "
    "nothing") {
  // Only partition 0 holds records: after each turn of 2 the other tasks pass theirs, and the
  // turn comes back to task 0 within the same call, not after a wait for news from the broker
  // (none comes: everything is buffered), which Next(5000) would spend in full, 3 times.
  MockCluster mock;
  REQUIRE(mock.cluster);
  rd_kafka_mock_topic_create(mock.cluster, "one", 3, 1);
  Produce(mock.brokers(), "one", {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}, {0, 6}, {0, 7}});
  int64_t waited_ms = 0;
  std::vector<std::tuple<int64_t, int, int32_t>> want = {{1, 0, 0}, {2, 0, 0}, {3, 0, 0}, {4, 0, 0},
                                                         {5, 0, 0}, {6, 0, 0}, {7, 0, 0}};
  CHECK(ReadAll(mock, {"one"}, 2, 5000, &waited_ms) == want);
  CHECK(waited_ms < 5000);
}

TEST_CASE("KafkaSource hands out records at the extremes of the timestamp range") {
  // The merge marks an empty partition and a paused one with the smallest and largest int64;
  // a producer may write either as a timestamp.
  MockCluster mock;
  REQUIRE(mock.cluster);
  rd_kafka_mock_topic_create(mock.cluster, "edge", 2, 1);
  constexpr int64_t kMax = INT64_MAX;
  Produce(mock.brokers(), "edge", {{0, 7}, {0, kMax}, {1, 3}, {1, kMax}});
  std::vector<std::tuple<int64_t, int, int32_t>> want = {{3, 0, 1}, {7, 0, 0}, {kMax, 0, 0}, {kMax, 0, 1}};
  CHECK(ReadAll(mock, {"edge"}) == want);
}

// The merge hands out the records in the order of a stable sort by (the largest timestamp of
// the record's partition up to it, input, partition, offset): a record behind a later one of
// its own partition waits with it. So a record's place in the whole order follows from its own
// partition's records alone, and each task's order from its partitions' (bench/README, "What
// turns in place would take"). Random timestamps out of order, three seeds.
TEST_CASE("KafkaSource's merge is a sort by each partition's running largest timestamp") {
  for (uint32_t seed : {1u, 2u, 3u}) {
    MockCluster mock;
    REQUIRE(mock.cluster);
    rd_kafka_mock_topic_create(mock.cluster, "a", 4, 1);
    rd_kafka_mock_topic_create(mock.cluster, "b", 4, 1);
    uint32_t state = seed;
    auto next = [&state](uint32_t n) {  // a small LCG: the same records on every machine
      state = state * 1664525u + 1013904223u;
      return (state >> 16) % n;
    };
    // (running largest timestamp, input, partition, offset) -> (timestamp, input, partition)
    std::vector<std::pair<std::tuple<int64_t, int, int32_t, int>, std::tuple<int64_t, int, int32_t>>> sorted;
    for (int input = 0; input < 2; ++input) {
      std::vector<std::pair<int32_t, int64_t>> records;
      for (int32_t partition = 0; partition < 4; ++partition) {
        int64_t largest = -1;
        int count = static_cast<int>(next(12));
        for (int offset = 0; offset < count; ++offset) {
          int64_t ts = 1 + next(40);
          largest = std::max(largest, ts);
          records.emplace_back(partition, ts);
          sorted.push_back({{largest, input, partition, offset}, {ts, input, partition}});
        }
      }
      Produce(mock.brokers(), input == 0 ? "a" : "b", records);
    }
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::tuple<int64_t, int, int32_t>> want;
    for (auto& [key, record] : sorted) want.push_back(record);
    INFO("seed " << seed);
    CHECK(ReadAll(mock, {"a", "b"}) == want);
  }
}

// Reads topic "in" of the mock cluster to its end as a run in place would, in turns of 3 while
// `home` says each record is in its own partition's task: (timestamp, partition, offset) of each.
std::vector<std::tuple<int64_t, int32_t, int64_t>> ReadInPlace(
    const MockCluster& mock, std::function<bool(const rd_kafka_message_t&)> home,
    kt::Properties properties = {}) {
  kt::KafkaConfig cfg;
  cfg.brokers = mock.brokers();
  cfg.properties = std::move(properties);
  kt::KafkaSourceOptions opt;
  opt.tool = "test";
  opt.topics = {"in"};
  opt.exit_at_end = true;
  opt.task_turn = 3;
  opt.home = std::move(home);
  kt::KafkaSource source(cfg, opt);
  REQUIRE(source.Open(nullptr).ok());
  std::vector<std::tuple<int64_t, int32_t, int64_t>> got;
  int64_t deadline = kt::NowMs() + 30000;
  while (kt::NowMs() < deadline) {
    kt::Record rec;
    kt::Status st;
    auto poll = source.Next(100, &rec, &st);
    if (poll == kt::Source::Poll::kEnd) break;
    if (poll == kt::Source::Poll::kRecord) got.emplace_back(rec.timestamp, rec.partition, rec.offset);
  }
  REQUIRE(source.Fatal().ok());
  return got;
}

// A run in place (SyncedInput::TakeTurnsWhileHome): the tasks take turns while every record is
// in its own partition's task. Each task must still get its records in the merge's order: those
// of its own partition, and, from the first record that is not home (routed here to another task,
// as a record whose --by key belongs elsewhere), that one in its place among them. Random
// timestamps out of order on 4 partitions, turns of 3; without such a record, and with one at a
// random place.
TEST_CASE("KafkaSource in place: each task in the merge's order, in turns while every record is home") {
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    MockCluster mock;
    REQUIRE(mock.cluster);
    rd_kafka_mock_topic_create(mock.cluster, "in", 4, 1);
    uint32_t state = seed;
    auto next = [&state](uint32_t n) {
      state = state * 1664525u + 1013904223u;
      return (state >> 16) % n;
    };
    using Key = std::tuple<int64_t, int32_t, int64_t>;  // (running largest timestamp, partition, offset)
    std::vector<std::pair<Key, int64_t>> sorted;        // -> timestamp
    std::vector<std::pair<int32_t, int64_t>> records;
    for (int32_t partition = 0; partition < 4; ++partition) {
      int64_t largest = -1;
      int count = 5 + static_cast<int>(next(25));
      for (int offset = 0; offset < count; ++offset) {
        int64_t ts = 1 + next(60);
        largest = std::max(largest, ts);
        records.emplace_back(partition, ts);
        sorted.push_back({{largest, partition, offset}, ts});
      }
    }
    Produce(mock.brokers(), "in", records, /*one_per_batch=*/true);
    std::sort(sorted.begin(), sorted.end());
    // Odd seeds: one record goes to another task.
    int32_t away_partition = -1, away_task = -1;
    int64_t away_offset = -1;
    if (seed % 2) {
      auto& [key, ts] = sorted[next(static_cast<uint32_t>(sorted.size()))];
      away_partition = std::get<1>(key);
      away_offset = std::get<2>(key);
      away_task = (away_partition + 1 + static_cast<int32_t>(next(3))) % 4;
    }
    auto task_of = [&](int32_t partition, int64_t offset) {
      return partition == away_partition && offset == away_offset ? away_task : partition;
    };
    // A batch (a record) per partition and fetch: partitions arrive in pieces, and a turn must
    // wait for the others to be read past it.
    auto got = ReadInPlace(
        mock, [&](const rd_kafka_message_t& m) { return task_of(m.partition, m.offset) == m.partition; },
        {{"max.partition.fetch.bytes", "1"}});
    INFO("seed " << seed << ", away: partition " << away_partition << " offset " << away_offset << " to task "
                 << away_task);
    REQUIRE(got.size() == sorted.size());
    for (int32_t task = 0; task < 4; ++task) {
      std::vector<std::tuple<int64_t, int32_t, int64_t>> want_task, got_task;
      for (auto& [key, ts] : sorted)
        if (task_of(std::get<1>(key), std::get<2>(key)) == task)
          want_task.emplace_back(ts, std::get<1>(key), std::get<2>(key));
      for (auto& r : got)
        if (task_of(std::get<1>(r), std::get<2>(r)) == task) got_task.push_back(r);
      INFO("task " << task);
      CHECK(got_task == want_task);
    }
  }
}

TEST_CASE("KafkaSource in place: while every record is home, the partitions take turns") {
  // Timestamps interleaved (partition p holds 1 + p, 5 + p, 9 + p, ...): the merge would switch
  // partitions at every record. In turns of 3, each turn goes to the partition whose head comes
  // first in the merge.
  // A turn goes on only while every other partition has been fetched past its head: one that has
  // nothing more fetched yet ends it. So this order holds when each partition comes in one fetch:
  // Produce writes each partition as one batch. (With batches of one record it is 1, 2, 3, ...;
  // before Produce made sure of one batch, a loaded machine split off a first record now and then.)
  MockCluster mock;
  REQUIRE(mock.cluster);
  rd_kafka_mock_topic_create(mock.cluster, "in", 4, 1);
  std::vector<std::pair<int32_t, int64_t>> records;
  for (int64_t i = 0; i < 6; ++i)
    for (int32_t p = 0; p < 4; ++p) records.emplace_back(p, 1 + 4 * i + p);
  Produce(mock.brokers(), "in", records);
  std::vector<int64_t> got;
  for (auto& r : ReadInPlace(mock, [](const rd_kafka_message_t&) { return true; }))
    got.push_back(std::get<0>(r));
  std::vector<int64_t> want = {1,  5,  9,  2,  6,  10, 3,  7,  11, 4,  8,  12,
                               13, 17, 21, 14, 18, 22, 15, 19, 23, 16, 20, 24};
  CHECK(got == want);
}
