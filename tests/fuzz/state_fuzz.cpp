// libFuzzer target for stored state (state/state_value.hpp, state/positions.hpp): the bytes a
// store holds for a key and a changelog record's value and headers, as a restore reads them
// after a crash or from a topic someone else wrote. Input: any bytes, read as a stored state, as
// a positions text, and split at its first two '\n' into a changelog value, kt.aux and kt.pos.
// Checked: no crash or sanitizer report; a stored state that decodes encodes back to bytes that
// decode to the same parts; a positions text that parses is written as one that parses to the
// same positions; a changelog record whose value and kt.aux hold no NUL and whose kt.pos parses
// becomes a stored state that decodes to exactly its parts, and one that does not is refused or
// decoded without reading past it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kt/core/record.hpp"
#include "kt/state/positions.hpp"
#include "kt/state/state_value.hpp"

namespace {

std::string Text(const kt::AppliedPositions& pos) {
  std::string s;
  pos.AppendText(&s);
  return s;
}

void CheckStored(std::string_view stored) {
  auto v = kt::DecodeState(stored);
  if (!v.ok()) return;
  if (v->value.size() > stored.size() || v->value.find('\0') != std::string_view::npos) __builtin_trap();
  std::string again;
  kt::EncodeState(v->value, v->aux, v->pos, &again);
  auto w = kt::DecodeState(again);
  if (!w.ok() || w->value != v->value || w->aux != v->aux || Text(w->pos) != Text(v->pos)) __builtin_trap();
}

void CheckPositions(std::string_view text) {
  auto p = kt::AppliedPositions::Parse(text);
  if (!p.ok()) return;
  std::string t = Text(*p);
  auto q = kt::AppliedPositions::Parse(t);
  if (!q.ok() || Text(*q) != t) __builtin_trap();
  if (text.empty() != p->empty()) __builtin_trap();
}

void CheckChangelog(std::string_view in) {
  size_t a = in.find('\n');
  size_t b = a == std::string_view::npos ? a : in.find('\n', a + 1);
  std::string_view value = in.substr(0, a);
  std::string_view aux = a == std::string_view::npos ? std::string_view() : in.substr(a + 1, b - a - 1);
  std::string_view pos = b == std::string_view::npos ? std::string_view() : in.substr(b + 1);
  kt::Headers headers;
  kt::AppendStateHeaders(aux, pos, &headers);
  std::string stored;
  kt::StoredFromChangelog(value, headers, &stored);
  auto v = kt::DecodeState(stored);
  auto parsed = kt::AppliedPositions::Parse(pos);
  bool clean =
      value.find('\0') == std::string_view::npos && aux.find('\0') == std::string_view::npos && parsed.ok();
  if (!clean) return;  // a foreign record: refused, or decoded within `stored` (CheckStored's bounds)
  if (!v.ok() || v->value != value || v->aux != aux || Text(v->pos) != Text(*parsed)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  CheckStored(in);
  CheckPositions(in);
  CheckChangelog(in);
  return 0;
}
