// --from / --until specs.
//   --from  beginning | end | RFC 3339 time | -DURATION (relative to now) | epoch ms
//           | offset:N (that offset of each partition) | offset:-N (N records before its end)
//   --until now | RFC 3339 time | -DURATION | epoch ms
#pragma once

#include <cstdint>
#include <string_view>

#include "kt/core/status.hpp"

namespace kt {

struct StartSpec {
  enum class Kind { kBeginning, kEnd, kTime, kOffset };
  Kind kind = Kind::kBeginning;
  int64_t time_ms = 0;  // kTime only
  // kOffset only: an offset (>= 0), or -N: N records before the partition's end. Either is
  // kept within the partition's records (its log start offset to its end).
  int64_t offset = 0;
};

Result<StartSpec> ParseStartSpec(std::string_view text, int64_t now_ms);
// A point in time: "now", RFC 3339, -DURATION before now, or epoch milliseconds.
Result<int64_t> ParseTimeSpec(std::string_view text, int64_t now_ms);

}  // namespace kt
