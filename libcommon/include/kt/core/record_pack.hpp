// Records packed into one Kafka message: how ktools' own repartition topics carry records
// (bench/README, issue 30). Every record crossing a repartition topic as a message of its own
// cost a producer's and a consumer's per-message work and the broker's; a re-keying stage
// packs the records bound for one partition (in the order it sends them) into one message,
// and the stage after it reads them back one by one, each with its own key, value, timestamp
// and headers (the origin headers among them).
//
// A packed message carries the header kt.pack = "1" and no key; its value is
//   pack   := version record*      (version 0x01; every version stays below 0x20, see MayBePack)
//   record := zigzag-varint timestamp, bytes key, bytes value,
//             varint header count, (bytes name, bytes value)*
//   bytes  := varint (length + 1), 0 for null (a name is never null), then length bytes
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kt/core/record.hpp"
#include "kt/core/status.hpp"

namespace kt {

inline constexpr std::string_view kPackHeader = "kt.pack";
inline constexpr std::string_view kPackVersion = "1";
// A committed offset's metadata when records of the packed message there are done already:
// "kt.pack.done=<how many>" (TopicPartitionOffset::packed_done).
inline constexpr std::string_view kPackDoneMetadata = "kt.pack.done=";
// The metadata of a commit of `done` records of a packed message ("" for none), and back (0
// for anything else).
std::string PackDoneMetadata(int32_t done);
int32_t ParsePackDoneMetadata(std::string_view metadata);

// Whether a message with this key and value may be a pack, so that its headers are worth
// looking at: no key, and a value that is empty or begins with a byte below 0x20 (a version;
// no JSON or text value begins so). Asking librdkafka (2.0) for a message's headers allocates
// and frees a buffer whenever the message has none, the most per-record work of a read: this
// leaves almost every other message alone.
inline bool MayBePack(bool has_key, std::string_view value) {
  return !has_key && (value.empty() || static_cast<unsigned char>(value[0]) < 0x20);
}

// Builds one pack. Append copies what it is given.
class PackWriter {
 public:
  PackWriter() { Clear(); }
  void Append(std::optional<std::string_view> key, std::optional<std::string_view> value, int64_t timestamp,
              const Headers* headers);
  const std::string& bytes() const { return buf_; }
  size_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  void Clear() {
    buf_.assign(1, '\x01');
    count_ = 0;
  }

 private:
  void Varint(uint64_t v);
  void Bytes(std::optional<std::string_view> b);
  std::string buf_;
  size_t count_ = 0;
};

// One record of a pack; every view points into the pack.
struct PackedRecord {
  std::optional<std::string_view> key, value;
  int64_t timestamp = -1;
  Headers headers;
};

// Where a pack's first record begins, or DataError when `pack` is no pack this reader knows.
Result<size_t> PackStart(std::string_view pack);
// Reads the record that begins at *pos (at most pack.size()) into *out and moves *pos past it;
// DataError (saying what is wrong and at which byte) when the bytes there are no record.
Status ReadPacked(std::string_view pack, size_t* pos, PackedRecord* out);

}  // namespace kt
