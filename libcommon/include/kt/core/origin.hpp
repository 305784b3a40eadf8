// Where a record came from in a tool's input, across one of ktools' own repartition topics.
//
// A keyed stage that re-keys (ktable --by, kjoin --by) writes each record to a repartition topic
// under its new key; the stage after it must still know the record's original key (to give it
// back on output) and its position in the tool's input (to tell a record re-sent after a crash
// from a new one: state/positions.hpp). This module owns both directions:
//   OriginWriter   the re-keying stage puts them on the record as headers,
//                  kt.origin.key (absent for a null key) and kt.origin.pos "<partition>:<offset>";
//   OriginReader   the source reading a repartition topic takes them off again (they never reach
//                  a Transform as headers) and fills Record::origin;
//   PositionOf     a record's position in the tool's input: its origin's, else its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kt/core/record.hpp"

namespace kt {

struct Origin {
  std::optional<std::string_view> key;  // views into the record's headers: valid as the record is
  int32_t partition = -1;
  int64_t offset = -1;
};

// Appends the origin headers of `rec` to `headers`. The appended views point into `rec` and
// into this writer: valid until the next Append or until `rec` goes.
class OriginWriter {
 public:
  void Append(const Record& rec, Headers* headers);

 private:
  std::string pos_;
};

// Collects the origin headers of one record at a time.
class OriginReader {
 public:
  // Starts a new record.
  void Reset() {
    origin_ = Origin();
    found_ = false;
  }
  // True when `h` is an origin header (then recorded, and not an ordinary header of the record).
  bool Take(const Header& h);
  // The origin of the record, or null when it carried none.
  const Origin* origin() const { return found_ ? &origin_ : nullptr; }

 private:
  Origin origin_;
  bool found_ = false;
};

// A position in a tool's input: one of its partitions and an offset there.
struct InputPosition {
  int32_t partition;
  int64_t offset;
};

// The position of `rec` in the tool's input (its origin's, for a record of a repartition topic);
// nullopt for stdin and files, which are never read again.
std::optional<InputPosition> PositionOf(const Record& rec);

}  // namespace kt
