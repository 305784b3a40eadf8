#include "kt/state/positions.hpp"

#include <charconv>
#include <string_view>

namespace kt {

bool AppliedPositions::Covers(const InputPosition& p) const {
  for (auto& [part, off] : v_)
    if (part == p.partition) return p.offset <= off;
  return false;
}

void AppliedPositions::Advance(const InputPosition& p) {
  for (auto& [part, off] : v_) {
    if (part == p.partition) {
      if (p.offset > off) off = p.offset;
      return;
    }
  }
  v_.emplace_back(p.partition, p.offset);
}

void AppliedPositions::AppendText(std::string* out) const {
  char num[24];
  for (size_t i = 0; i < v_.size(); ++i) {
    if (i) out->push_back(',');
    out->append(num, std::to_chars(num, num + sizeof num, v_[i].first).ptr);
    out->push_back(':');
    out->append(num, std::to_chars(num, num + sizeof num, v_[i].second).ptr);
  }
}

Result<AppliedPositions> AppliedPositions::Parse(std::string_view text) {
  AppliedPositions out;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    int32_t part = 0;
    int64_t off = 0;
    auto [p1, e1] = std::from_chars(p, end, part);
    if (e1 != std::errc() || p1 == end || *p1 != ':')
      return Status::InvalidArgument("bad positions '" + std::string(text) + "'");
    auto [p2, e2] = std::from_chars(p1 + 1, end, off);
    if (e2 != std::errc() || (p2 != end && *p2 != ','))
      return Status::InvalidArgument("bad positions '" + std::string(text) + "'");
    out.Advance({part, off});
    if (p2 != end && p2 + 1 == end)
      return Status::InvalidArgument("bad positions '" + std::string(text) + "'");
    p = p2 == end ? end : p2 + 1;
  }
  return out;
}

}  // namespace kt
