// Sources of records: a Kafka topic or NDJSON on stdin/a file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kt/core/record.hpp"
#include "kt/core/status.hpp"

namespace kt {

struct TopicPartitionOffset {
  std::string topic;
  int32_t partition;
  int64_t offset;  // the next offset to read (Kafka's commit convention)
};

// Told about partition changes, from inside Source::Next (same thread).
class RebalanceListener {
 public:
  virtual ~RebalanceListener() = default;
  virtual void OnAssigned(const std::vector<int32_t>& partitions) = 0;
  // Called before the partitions go: the listener flushes outputs and commits them.
  virtual void OnRevoking(const std::vector<int32_t>& partitions) = 0;
};

class Source {
 public:
  enum class Poll { kRecord, kIdle, kEnd };

  virtual ~Source() = default;
  // Connects / opens. Errors: unreachable broker, missing topic, unreadable file.
  virtual Status Open(RebalanceListener* listener) = 0;
  // The next record, kIdle after `timeout_ms` without one, or kEnd when the input is exhausted
  // (end of file; with -e, caught up on every assigned partition). `*record_status` is non-ok
  // when the record arrived but could not be decoded (rec holds its position and wire bytes).
  // The record's views stay valid until the next call.
  virtual Poll Next(int timeout_ms, Record* rec, Status* record_status) = 0;
  // A fatal error seen by the source (e.g. the topic vanished), or ok.
  virtual Status Fatal() const { return Status::Ok(); }
  // Whether Commit means anything (Kafka with a consumer group).
  virtual bool Commits() const { return false; }
  virtual Status Commit(const std::vector<TopicPartitionOffset>& /*offsets*/, bool /*sync*/) {
    return Status::Ok();
  }
  // Leaves the group (revoking partitions through the listener) and closes.
  virtual void Close() {}
};

}  // namespace kt
