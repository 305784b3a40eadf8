#include "kt/kafka/group_repair.hpp"

#include <catch2/catch.hpp>

using namespace kt;

TEST_CASE("OwnerlessPartitions: the partitions of the group's topics that no member is assigned") {
  GroupDescription d;
  d.state = "Stable";
  d.member_list = {{"m1", "c", "a", "h", {{"t", 0}, {"t", 2}}}, {"m2", "c", "b", "h", {}}};
  // Two of four: a cooperative rebalance's first round, whose second never came.
  CHECK(OwnerlessPartitions(d, {"t"}, {4}) == std::vector<TopicPartition>{{"t", 1}, {"t", 3}});
  d.member_list[1].assignment = {{"t", 1}, {"t", 3}};
  CHECK(OwnerlessPartitions(d, {"t"}, {4}).empty());
  // Several topics (a pattern); a partition of a topic not asked about does not count.
  d.member_list[1].assignment = {{"t", 1}, {"t", 3}, {"u", 1}, {"x", 0}};
  CHECK(OwnerlessPartitions(d, {"t", "u"}, {4, 2}) == std::vector<TopicPartition>{{"u", 0}});
  // No member: every partition.
  d.member_list.clear();
  CHECK(OwnerlessPartitions(d, {"t"}, {2}) == std::vector<TopicPartition>{{"t", 0}, {"t", 1}});
}

TEST_CASE("ListPartitions: partitions of one topic together, topics apart") {
  CHECK(ListPartitions({}) == "");
  CHECK(ListPartitions({{"t", 1}}) == "t partition 1");
  CHECK(ListPartitions({{"t", 1}, {"t", 3}, {"u", 0}}) == "t partition 1, 3; u partition 0");
}
