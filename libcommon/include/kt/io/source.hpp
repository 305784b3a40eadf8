// Sources of records: a Kafka topic or NDJSON on stdin/a file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kt/core/json_doc_writer.hpp"
#include "kt/core/record.hpp"
#include "kt/core/status.hpp"

namespace kt {

struct TopicPartitionOffset {
  std::string topic;
  int32_t partition;
  int64_t offset;  // the next offset to read (Kafka's commit convention)
  // Records of the packed message at `offset` already done (core/record_pack.hpp): reading
  // starts after them. Committed as the offset's metadata (kPackDoneMetadata).
  int32_t packed_done = 0;
};

struct TopicPartition {
  std::string topic;  // "" for stdin and files
  int32_t partition;  // -1 for stdin and files
  bool operator==(const TopicPartition&) const = default;
  auto operator<=>(const TopicPartition&) const = default;
};

// Told about partition changes, from inside Source::Next or Close (same thread).
class RebalanceListener {
 public:
  virtual ~RebalanceListener() = default;
  // Partitions about to be assigned, before the source looks up where they start (one or more
  // round trips): the listener may begin slow preparations in the background. OnAssigned
  // follows with the same partitions, unless the source fails first.
  virtual void OnAssigning(const std::vector<TopicPartition>& /*partitions*/) {}
  virtual void OnAssigned(const std::vector<TopicPartition>& partitions) = 0;
  // Called before the partitions go: the listener flushes outputs and commits them.
  virtual void OnRevoking(const std::vector<TopicPartition>& partitions) = 0;
  // The partitions are already gone (the group moved on without this instance: it missed
  // heartbeats or max.poll.interval.ms): nothing of them may be committed or written any more.
  virtual void OnLost(const std::vector<TopicPartition>& partitions) = 0;
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
  // A source whose value codec can (avro, protobuf) builds each record's value document into `*target`
  // beside its text, and sets Record::value_document. The target is overwritten by every Next;
  // its owner (the Runner) clears it before each.
  virtual void BuildValueDocuments(DocumentTarget* /*target*/) {}
  // Whether Commit means anything (Kafka with a consumer group).
  virtual bool Commits() const { return false; }
  // Commits `offsets` and returns once the broker answered: ok means they are committed.
  virtual Status Commit(const std::vector<TopicPartitionOffset>& /*offsets*/) { return Status::Ok(); }
  // Stops / resumes delivering records of these partitions (while their state restores).
  virtual void Pause(const std::vector<TopicPartition>& /*partitions*/) {}
  virtual void Resume(const std::vector<TopicPartition>& /*partitions*/) {}
  // Goes back to the last committed offsets (or the start) of every assigned partition:
  // records after them are read again (an aborted transaction). A source that cannot read
  // again (stdin) says so.
  virtual Status Rewind() { return Status::IoError("the input cannot be read again"); }
  // Leaves the group (revoking partitions through the listener) and closes.
  virtual void Close() {}
  // Partitions read to their end with nothing of them left to hand out, and the offset after
  // their end: past a transaction's commit marker, which is no record, so that committing it
  // leaves no lag of 1 behind a transactional input.
  virtual std::vector<TopicPartitionOffset> EndPositions() const { return {}; }
  // Records of the assigned partitions not yet processed: each one's end offset (as last
  // fetched) minus `next` (the offset after its last processed record; where a partition has
  // none, its position). nullopt where that is not known (stdin, nothing fetched yet).
  virtual std::optional<int64_t> Lag(const std::vector<TopicPartitionOffset>& /*next*/) const {
    return std::nullopt;
  }
  // The same per assigned partition (--http's consumer lag); -1 where it is not known.
  virtual std::vector<std::pair<TopicPartition, int64_t>> PartitionLags(
      const std::vector<TopicPartitionOffset>& /*next*/) const {
    return {};
  }
  // After a run that reached the end without a record: why there was nothing, for the user
  // (a group's committed offsets at the end offsets; an empty input); "" when there is nothing
  // to say. Before Close.
  virtual std::string NothingReadNote() const { return ""; }
  // Next ended because the run hands its input over to another way of reading it (a continuous
  // run in place whose group changed: app/in_place.hpp), not at the input's end.
  virtual bool HandingOver() const { return false; }
};

}  // namespace kt
