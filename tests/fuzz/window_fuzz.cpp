// libFuzzer target for window assignment (kwindow): the bytes choose a window spec and a series
// of record times. Checked: no crash or overflow; every hopping window holds its record and
// they come oldest first; sliding and session plans only name sane windows; close times close.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>

#include "kt/core/time.hpp"
#include "kt/stream/window.hpp"

namespace {
struct Bytes {
  const uint8_t* p;
  size_t n;
  int64_t Take(int64_t max) {  // a value in [0, max]
    uint64_t v = 0;
    for (int i = 0; i < 8 && n > 0; ++i, ++p, --n) v = (v << 8) | *p;
    return max <= 0 ? 0 : static_cast<int64_t>(v % (static_cast<uint64_t>(max) + 1));
  }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Bytes b{data, size};
  int kind = static_cast<int>(b.Take(2));
  int64_t scale = b.Take(1) ? kt::kMaxDurationMs : 100'000;  // huge or small durations
  int64_t win = 1 + b.Take(scale - 1), grace = b.Take(scale), advance = 1 + b.Take(win - 1);
  kt::Result<kt::WindowSpec> spec = kind == 0   ? kt::WindowSpec::Hopping(win, advance, grace, -1)
                                    : kind == 1 ? kt::WindowSpec::Sliding(win, grace, -1)
                                                : kt::WindowSpec::Session(win, grace, -1);
  if (!spec.ok()) return 0;
  std::map<int64_t, int64_t> existing;  // starts -> max times (sliding) or ends (session)
  std::vector<kt::Window> windows;
  for (int i = 0; i < 16 && b.n > 0; ++i) {
    int64_t t = b.Take(kt::kMaxTimeMs);
    if (kind == 0) {
      spec->HoppingWindowsFor(t, &windows);
      if (windows.empty() || static_cast<int64_t>(windows.size()) > kt::kMaxWindowsPerRecord + 1)
        __builtin_trap();
      for (size_t k = 0; k < windows.size(); ++k) {
        if (windows[k].start > t || windows[k].end <= t || windows[k].start < 0) __builtin_trap();
        if (k && windows[k].start <= windows[k - 1].start) __builtin_trap();
      }
    } else if (kind == 1) {
      for (const kt::SlidingStep& s : kt::PlanSliding(existing, t, spec->size)) {
        if (s.window.end - s.window.start != spec->size || s.window.start < 0) __builtin_trap();
        existing[s.window.start] = std::max(existing[s.window.start], t);
      }
    } else {
      kt::SessionPlan plan = kt::PlanSession(existing, t, spec->size);
      if (plan.merged.start > t || plan.merged.end < t) __builtin_trap();
      for (kt::Window w : plan.joined) existing.erase(w.start);
      existing[plan.merged.start] = plan.merged.end;
    }
    int64_t close = spec->CloseTime(t);
    if (spec->IsOpen(t, close) || !spec->IsOpen(t, close - 1)) __builtin_trap();
    (void)spec->IsExpired(t, close);
  }
  return 0;
}
