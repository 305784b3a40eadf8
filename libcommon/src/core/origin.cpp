#include "kt/core/origin.hpp"

#include <charconv>

namespace kt {

namespace {
constexpr std::string_view kOriginKeyHeader = "kt.origin.key";
constexpr std::string_view kOriginPosHeader = "kt.origin.pos";
}  // namespace

void OriginWriter::Append(const Record& rec, Headers* headers) {
  if (rec.key) headers->push_back({kOriginKeyHeader, *rec.key});
  char num[24];
  pos_.assign(num, std::to_chars(num, num + sizeof num, rec.partition).ptr);
  pos_.push_back(':');
  pos_.append(num, std::to_chars(num, num + sizeof num, rec.offset).ptr);
  headers->push_back({kOriginPosHeader, pos_});
}

bool OriginReader::Take(const Header& h) {
  if (h.name == kOriginKeyHeader) {
    origin_.key = h.value;
    found_ = true;
    return true;
  }
  if (h.name != kOriginPosHeader || !h.value) return false;
  std::string_view pos = *h.value;
  size_t colon = pos.find(':');
  if (colon == std::string_view::npos) return false;
  int32_t partition = -1;
  int64_t offset = -1;
  auto [p1, e1] = std::from_chars(pos.data(), pos.data() + colon, partition);
  auto [p2, e2] = std::from_chars(pos.data() + colon + 1, pos.data() + pos.size(), offset);
  if (e1 != std::errc() || e2 != std::errc() || p1 != pos.data() + colon || p2 != pos.data() + pos.size())
    return false;
  origin_.partition = partition;
  origin_.offset = offset;
  found_ = true;
  return true;
}

std::optional<InputPosition> PositionOf(const Record& rec) {
  if (rec.origin && rec.origin->partition >= 0)
    return InputPosition{rec.origin->partition, rec.origin->offset};
  if (rec.line > 0 || rec.partition < 0 || rec.offset < 0) return std::nullopt;
  return InputPosition{rec.partition, rec.offset};
}

}  // namespace kt
