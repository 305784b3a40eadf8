#include <catch2/catch.hpp>

#include "kt/core/partitioner.hpp"

// Vectors from Kafka's UtilsTest.testMurmur2 (and kafka-python, which agrees).
TEST_CASE("murmur2 matches the Java client") {
  CHECK(kt::Murmur2("21") == -973932308);
  CHECK(kt::Murmur2("foobar") == -790332482);
  CHECK(kt::Murmur2("a-little-bit-long-string") == -985981536);
  CHECK(kt::Murmur2("a-little-bit-longer-string") == -1486304829);
  CHECK(kt::Murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8") == -58897971);
  CHECK(kt::Murmur2("abc") == 479470107);
  CHECK(kt::Murmur2("") == 275646681);
}

TEST_CASE("partition for key is toPositive(murmur2) % n") {
  CHECK(kt::PartitionForKey("21", 4) == 0);
  CHECK(kt::PartitionForKey("foobar", 4) == 2);
  CHECK(kt::PartitionForKey("a-little-bit-longer-string", 4) == 3);
  CHECK(kt::PartitionForKey("user-42", 4) == 0);
  CHECK(kt::PartitionForKey("/products/42", 4) == 2);
  CHECK(kt::PartitionForKey("anything", 1) == 0);
}
