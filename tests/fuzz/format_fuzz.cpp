// libFuzzer target for kconsume -f formats (kcat's). Checked: no crash; every part is a known
// field or non-empty literal text, and no two literals are adjacent.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kt/io/record_format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto parts = kt::ParseRecordFormat(in);
  if (!parts.ok()) return 0;
  bool last_literal = false;
  for (const kt::FormatPart& p : *parts) {
    if (p.field == 0 && (p.literal.empty() || last_literal)) __builtin_trap();
    if (p.field != 0 && std::string_view("sktpoThSK").find(p.field) == std::string_view::npos)
      __builtin_trap();
    last_literal = p.field == 0;
  }
  return 0;
}
