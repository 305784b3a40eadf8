// PartitionedState: stores opened ahead of their assignment.
#include "kt/state/partitioned_state.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "../temp_dir.hpp"

namespace {

// RocksDB stores with a changelog that is never reached: nothing here restores.
std::unique_ptr<kt::PartitionedState> RocksDbState(const std::string& dir) {
  kt::StoreOptions so;
  so.dir = dir;
  kt::KafkaConfig cfg;
  cfg.brokers = "127.0.0.1:1";
  return std::make_unique<kt::PartitionedState>(
      so, std::make_unique<kt::Changelog>(cfg, "unreached-changelog", "ktest"), "ktest");
}

}  // namespace

TEST_CASE("PartitionedState: Assign takes the store StartOpening opens in the background") {
  kt_test::TempDir dir("kt-pstate");
  auto state = RocksDbState(dir.path());
  state->StartOpening({0, 1, 2});
  state->StartOpening({1, 2});  // once each
  // A second open of a store that is open fails on RocksDB's lock: each Assign must take the
  // one opened ahead, whether its thread has finished or not.
  for (int32_t p : {2, 0, 1}) {
    auto r = state->Assign(p);
    INFO("partition " << p);
    REQUIRE(r.ok());
    CHECK(*r);  // a changelog: restored before use
  }
  for (int32_t p : {0, 1, 2}) CHECK(std::filesystem::exists(dir.path() + "/partition-" + std::to_string(p)));
  // The same with a second StartOpening that overlaps the first (as OnAssigned's after OnAssigning).
  kt_test::TempDir dir2("kt-pstate");
  auto other = RocksDbState(dir2.path());
  other->StartOpening({0, 1});
  other->StartOpening({0, 1, 3});
  for (int32_t p : {0, 1, 3}) {
    INFO("partition " << p);
    REQUIRE(other->Assign(p).ok());
  }
}

TEST_CASE("PartitionedState: stores still opening when the state goes are closed with it") {
  kt_test::TempDir dir("kt-pstate");
  RocksDbState(dir.path())->StartOpening({0, 1, 2, 3});  // destroyed at once
  auto again = RocksDbState(dir.path());                 // their locks are released
  for (int32_t p : {0, 1, 2, 3}) {
    INFO("partition " << p);
    REQUIRE(again->Assign(p).ok());
  }
}
