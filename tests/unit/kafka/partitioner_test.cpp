#include <librdkafka/rdkafka.h>

#include <catch2/catch.hpp>
#include <string_view>

// KafkaSink forces librdkafka's murmur2_random partitioner: keyed records land where Java's
// producer puts them, toPositive(murmur2(key)) % n.
TEST_CASE("the partitioner ktools forces is toPositive(murmur2) % n") {
  auto partition = [](std::string_view key, int32_t n) {
    return rd_kafka_msg_partitioner_murmur2_random(nullptr, key.data(), key.size(), n, nullptr, nullptr);
  };
  CHECK(partition("21", 4) == 0);
  CHECK(partition("foobar", 4) == 2);
  CHECK(partition("a-little-bit-longer-string", 4) == 3);
  CHECK(partition("user-42", 4) == 0);
  CHECK(partition("/products/42", 4) == 2);
  CHECK(partition("anything", 1) == 0);
}
