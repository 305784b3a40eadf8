// Which copy keeps which partitions warm (--standbys): the N copies after each partition's
// holder, in client-id order, wrapping around; never the holder; the same on every copy.
#include "kt/kafka/standby_planner.hpp"

#include <catch2/catch.hpp>
#include <map>

namespace {

kt::GroupMember Member(const std::string& id, std::vector<int32_t> partitions,
                       const std::string& topic = "t") {
  kt::GroupMember m;
  m.client_id = "ktable;id=" + id;
  for (int32_t p : partitions) m.assignment.push_back({topic, p});
  return m;
}

}  // namespace

TEST_CASE("standby planner: the next copies after a partition's holder keep it warm") {
  // listed out of order: the choice sorts by client id
  std::vector<kt::GroupMember> members = {Member("c", {4, 5}), Member("a", {0, 1}), Member("b", {2, 3})};
  using Set = std::set<int32_t>;
  CHECK(kt::StandbyPlanner::Choose(members, "t", "id=a", 1) == Set{4, 5});  // after c comes a
  CHECK(kt::StandbyPlanner::Choose(members, "t", "id=b", 1) == Set{0, 1});
  CHECK(kt::StandbyPlanner::Choose(members, "t", "id=c", 1) == Set{2, 3});
  CHECK(kt::StandbyPlanner::Choose(members, "t", "id=a", 2) == Set{2, 3, 4, 5});
  // more standbys than other copies: every other copy's partitions, never its own
  CHECK(kt::StandbyPlanner::Choose(members, "t", "id=a", 5) == Set{2, 3, 4, 5});
  // each partition is kept by exactly N copies
  for (int n = 1; n <= 2; ++n) {
    std::map<int32_t, int> keepers;
    for (const char* self : {"id=a", "id=b", "id=c"})
      for (int32_t p : kt::StandbyPlanner::Choose(members, "t", self, n)) ++keepers[p];
    for (int32_t p = 0; p < 6; ++p) CHECK(keepers[p] == n);
  }
}

TEST_CASE("standby planner: nothing alone, nothing when not found, other topics ignored") {
  using Set = std::set<int32_t>;
  CHECK(kt::StandbyPlanner::Choose({Member("a", {0, 1, 2, 3})}, "t", "id=a", 1).empty());
  CHECK(kt::StandbyPlanner::Choose({Member("a", {0}), Member("b", {1})}, "t", "id=z", 1).empty());
  CHECK(kt::StandbyPlanner::Choose({Member("a", {0}), Member("b", {1}, "other")}, "t", "id=a", 1) == Set{});
  CHECK(kt::StandbyPlanner::Choose({Member("a", {0}), Member("b", {1})}, "t", "id=a", 0).empty());
}
