// libFuzzer target for record packs (core/record_pack.hpp), as the stage after a repartition
// topic reads them from Kafka. Checked: no crash or overread; reading stops at the first error
// without moving; every record read, packed again, reads back the same.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kt/core/record_pack.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view pack(reinterpret_cast<const char*>(data), size);
  auto start = kt::PackStart(pack);
  if (!start.ok()) return 0;
  size_t at = *start;
  kt::PackedRecord r, back;
  while (at < pack.size()) {
    size_t before = at;
    if (!kt::ReadPacked(pack, &at, &r).ok()) {
      if (at != before) __builtin_trap();
      break;
    }
    if (at <= before || at > pack.size()) __builtin_trap();
    kt::PackWriter w;
    w.Append(r.key, r.value, r.timestamp, &r.headers);
    size_t pos = 1;
    if (!kt::ReadPacked(w.bytes(), &pos, &back).ok() || pos != w.bytes().size()) __builtin_trap();
    if (back.key != r.key || back.value != r.value || back.timestamp != r.timestamp ||
        back.headers.size() != r.headers.size())
      __builtin_trap();
    for (size_t i = 0; i < r.headers.size(); ++i)
      if (back.headers[i].name != r.headers[i].name || back.headers[i].value != r.headers[i].value)
        __builtin_trap();
  }
  return 0;
}
