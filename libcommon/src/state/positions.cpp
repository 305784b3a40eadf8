#include "kt/state/positions.hpp"

#include <charconv>
#include <string_view>

namespace kt {

namespace {
constexpr std::string_view kMember = "\"__kt.pos\":{";
}  // namespace

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

void AppliedPositions::AppendTo(std::string* object) const {
  if (v_.empty() || object->empty() || object->back() != '}') return;
  object->pop_back();
  if (object->size() > 1) object->push_back(',');
  object->append(kMember);
  char num[24];
  for (size_t i = 0; i < v_.size(); ++i) {
    if (i) object->push_back(',');
    object->push_back('"');
    object->append(num, std::to_chars(num, num + sizeof num, v_[i].first).ptr);
    object->append("\":");
    object->append(num, std::to_chars(num, num + sizeof num, v_[i].second).ptr);
  }
  object->append("}}");
}

AppliedPositions AppliedPositions::ExtractFrom(std::string* object) {
  AppliedPositions out;
  size_t at = object->rfind(kMember);
  if (at == std::string::npos || object->size() < 2 || object->compare(object->size() - 2, 2, "}}") != 0) return out;
  // The member is the last one: "{...,"__kt.pos":{...}}" or "{"__kt.pos":{...}}".
  std::string_view body(object->data() + at + kMember.size(), object->size() - 2 - at - kMember.size());
  while (!body.empty()) {
    int32_t part;
    int64_t off;
    if (body.front() != '"') return AppliedPositions();
    auto [p1, e1] = std::from_chars(body.data() + 1, body.data() + body.size(), part);
    if (e1 != std::errc() || p1 + 2 > body.data() + body.size() || p1[0] != '"' || p1[1] != ':')
      return AppliedPositions();
    auto [p2, e2] = std::from_chars(p1 + 2, body.data() + body.size(), off);
    if (e2 != std::errc()) return AppliedPositions();
    out.v_.emplace_back(part, off);
    body.remove_prefix(static_cast<size_t>(p2 - body.data()));
    if (!body.empty()) {
      if (body.front() != ',') return AppliedPositions();
      body.remove_prefix(1);
    }
  }
  size_t cut = at;
  if (cut > 1 && (*object)[cut - 1] == ',') --cut;
  object->resize(cut);
  object->push_back('}');
  return out;
}

}  // namespace kt
