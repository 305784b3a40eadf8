// Turns for a forwarding stage whose records keep their keys: when they apply, and which
// messages are in their key's output partition.
#include "kt/app/key_turns.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "kt/core/murmur2.hpp"

namespace {

kt::RunPlan Batch() {
  kt::CommonOptions c;
  c.input = "clicks";
  c.output = "popular";
  c.exit_at_end = true;
  auto p = kt::PlanRun("kfilter", c);
  REQUIRE(p.ok());
  return *p;
}

rd_kafka_message_t Message(const std::string& key, int32_t partition, bool null_key = false) {
  rd_kafka_message_t m{};
  m.partition = partition;
  if (!null_key) {
    m.key = const_cast<char*>(key.data());
    m.key_len = key.size();
  }
  return m;
}

}  // namespace

TEST_CASE("key turns: a message is home in the output partition its key's murmur2 gives it") {
  auto parts = std::make_shared<int>(0);
  auto home = kt::KeyTurns(Batch(), true, parts);
  REQUIRE(home);
  std::string key = "/products/42";
  int32_t p = kt::Murmur2Partition(key, 16);
  CHECK_FALSE(home(Message(key, p)));  // the output's partitions not known yet
  *parts = 16;
  CHECK(home(Message(key, p)));
  CHECK_FALSE(home(Message(key, (p + 1) % 16)));
  CHECK_FALSE(home(Message(key, p, /*null_key=*/true)));  // null: the producer picks at random
  std::string empty;
  CHECK_FALSE(home(Message(empty, kt::Murmur2Partition(empty, 16))));
  *parts = 4;  // an output of another count: the key's partition among its 4
  for (int32_t q = 0; q < 4; ++q) CHECK(home(Message(key, q)) == (q == kt::Murmur2Partition(key, 4)));
}

TEST_CASE("key turns: only a batch run of one Kafka input into one Kafka output, keys as their bytes") {
  auto parts = std::make_shared<int>(16);
  CHECK(kt::KeyTurns(Batch(), true, parts));
  auto plan = Batch();
  CHECK_FALSE(kt::KeyTurns(plan, false, parts));  // kmap --key, kbranch, ...
  plan = Batch();
  plan.exit_at_end = false;  // continuous: live input may come before older records
  CHECK_FALSE(kt::KeyTurns(plan, true, parts));
  plan = Batch();
  plan.count = 10;  // -n: the first N records are the merge's
  CHECK_FALSE(kt::KeyTurns(plan, true, parts));
  plan = Batch();
  plan.output = "-";  // stdout shows the merge
  CHECK_FALSE(kt::KeyTurns(plan, true, parts));
  plan = Batch();
  plan.more_inputs = {"views"};
  CHECK_FALSE(kt::KeyTurns(plan, true, parts));
  plan = Batch();
  auto binary = kt::Codec::Parse("json|binary");
  REQUIRE(binary.ok());
  plan.out_key_codec = *binary;  // the producer hashes other bytes
  CHECK_FALSE(kt::KeyTurns(plan, true, parts));
}
