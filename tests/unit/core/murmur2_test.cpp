#include "kt/core/murmur2.hpp"

#include <catch2/catch.hpp>

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
