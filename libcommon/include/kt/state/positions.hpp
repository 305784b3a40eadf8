// The input positions a piece of state already reflects, so that a record replayed after a
// crash, a failed commit or a broker outage is never applied twice (SEMANTICS.md, Delivery).
//
// A record's position is where it was read in the tool's input: its own partition and offset,
// or, for a record of a repartition topic, its origin (kt.origin.pos, written by the re-keying
// stage: a re-sent record keeps the position of the first). Records of one input partition
// reach a key's state in offset order, so it is enough to remember, per input partition, the
// offset of the last record applied: one at or before it is a replay.
//
// The positions travel with the state they describe, in the same store write and the same
// changelog record, beside the state's value, never in it (state/state_value.hpp); their text
// is "<partition>:<offset>,...".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kt/core/origin.hpp"
#include "kt/core/status.hpp"

namespace kt {

class AppliedPositions {
 public:
  // True if a record at `p` is already reflected (a replay).
  bool Covers(const InputPosition& p) const;
  // Records that the record at `p` is now reflected.
  void Advance(const InputPosition& p);
  // Also reflects everything `other` does (a session window merging others).
  void Merge(const AppliedPositions& other) {
    for (auto& [part, off] : other.v_) Advance({part, off});
  }
  bool empty() const { return v_.empty(); }
  void clear() { v_.clear(); }

  // Appends the positions' text ("0:5,12:7000000000"; "" when empty).
  void AppendText(std::string* out) const;
  // The positions a text of AppendText holds; InvalidArgument when it is not one.
  static Result<AppliedPositions> Parse(std::string_view text);

 private:
  std::vector<std::pair<int32_t, int64_t>> v_;  // few entries: one per input partition seen
};

}  // namespace kt
