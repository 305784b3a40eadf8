// Java-compatible murmur2 (org.apache.kafka.common.utils.Utils.murmur2): the expression
// language's hash(). Outputs are partitioned by librdkafka's murmur2_random, the same function,
// which KafkaSink forces (kafka/sink.hpp).
#pragma once

#include <cstdint>
#include <string_view>

namespace kt {

// Utils.murmur2: seed 0x9747b28c, little-endian 4-byte blocks; returned as Java's signed int.
int32_t Murmur2(std::string_view key);
// The partition of `partitions` (> 0) that Java's default partitioner (and librdkafka's
// murmur2_random) gives a record with this key.
inline int32_t Murmur2Partition(std::string_view key, int32_t partitions) {
  return (Murmur2(key) & 0x7fffffff) % partitions;
}

}  // namespace kt
