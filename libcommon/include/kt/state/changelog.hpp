// A store's changelog topic: <group>-<store>-changelog, compacted, with exactly as many
// partitions as the input (partition p of the changelog belongs to input partition p).
// Values are complete states (not deltas), so replaying any suffix in order is idempotent.
#pragma once

#include <cstdint>
#include <string>

#include "kt/kafka/client.hpp"
#include "kt/kafka/config.hpp"
#include "kt/core/status.hpp"
#include "kt/state/store.hpp"

namespace kt {

class Changelog {
 public:
  Changelog(KafkaConfig cfg, std::string topic, std::string tool, bool verbose = false);
  ~Changelog();
  Changelog(const Changelog&) = delete;
  Changelog& operator=(const Changelog&) = delete;

  const std::string& topic() const { return topic_; }
  // Creates the topic (compacted) with `partitions` partitions, or checks that an existing one
  // has that many: co-partitioning with the input (Faust: PartitionsMismatch).
  Status Ensure(int partitions);
  // Applies partition `p` from offset `from` to its current end to `store` (a null value
  // deletes) and commits the store with the last applied offset as checkpoint.
  // Returns the number of records applied.
  Result<int64_t> Restore(int32_t p, int64_t from, StateStore* store);
  // The offset after the last record of partition p (its high watermark).
  Result<int64_t> EndOffset(int32_t p);

 private:
  Status Connect();
  KafkaConfig cfg_;
  std::string topic_, tool_;
  KafkaClient client_;        // an assign-only consumer, never in a group
  rd_kafka_t* rk_ = nullptr;  // client_'s handle, once connected
};

}  // namespace kt
