// Java-compatible murmur2 partitioning (org.apache.kafka.common.utils.Utils.murmur2), so that
// records keyed by ktools land in the partitions Java, kafka-python and Faust producers pick.
#pragma once

#include <cstdint>
#include <string_view>

namespace kt {

// Utils.murmur2: seed 0x9747b28c, little-endian 4-byte blocks; returned as Java's signed int.
int32_t Murmur2(std::string_view key);
// Utils.toPositive(murmur2(key)) % partitions. REQUIRES: partitions > 0.
int32_t PartitionForKey(std::string_view key, int32_t partitions);

}  // namespace kt
