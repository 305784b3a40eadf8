// kgroup reset: where each partition's committed offset goes (the plan), computed from the
// group's committed offsets and the partitions' watermarks. Printed as a dry run, applied with
// --execute.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kt/core/status.hpp"
#include "kt/kafka/config.hpp"

namespace kt::kgroup {

struct ResetTarget {
  enum class Kind { kEarliest, kLatest, kTime, kShift, kOffset };
  Kind kind = Kind::kEarliest;
  int64_t value = 0;  // the time (ms), the shift, or the offset
};

struct ResetSpec {
  std::string group;
  std::string topic;  // empty: every topic the group has committed offsets for
  std::optional<int32_t> partition;
  ResetTarget target;
};

struct ResetStep {
  std::string topic;
  int32_t partition;
  std::optional<int64_t> from;  // the committed offset; none when the group has none there
  int64_t to;
};

// The plan. A shift of a partition without a committed offset, or a group without committed
// offsets when no --topic is given, is InvalidArgument; offsets are kept within the partition's
// watermarks.
Result<std::vector<ResetStep>> PlanReset(const KafkaConfig& cfg, const ResetSpec& spec);

}  // namespace kt::kgroup
