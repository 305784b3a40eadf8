// Exactly-once delivery (SEMANTICS.md, Delivery; Kafka Streams' exactly_once_v2): what a sink
// sent since Begin and the input offsets given to Commit become visible together, or not at all.
#pragma once

#include <vector>

#include "kt/core/status.hpp"
#include "kt/io/source.hpp"

namespace kt {

class Transactions {
 public:
  virtual ~Transactions() = default;
  virtual Status Begin() = 0;
  // Commits everything sent since Begin, with `offsets` as the input's committed offsets (in
  // the same transaction; none for a file or stdin). Aborted: the transaction was rolled back
  // and nothing of it is visible (the caller reads its input again from the last commit);
  // Unavailable: Kafka did not answer in time (the same, once it does); Fenced: the producer
  // was fenced (Renew, then the same); any other error is fatal.
  virtual Status Commit(const std::vector<TopicPartitionOffset>& offsets) = 0;
  // Rolls back everything sent since Begin (nothing begun: nothing to do).
  virtual Status Abort() = 0;
  // The producer was fenced (Status::Fenced): replaces it with a new one under the same
  // transactional.id; the next Begin initializes it (which aborts whatever the old one left).
  virtual Status Renew() { return Status::Fenced("the producer cannot be renewed"); }
};

}  // namespace kt
