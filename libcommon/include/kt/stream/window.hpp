// Window rules (SEMANTICS.md, Windows — Kafka Streams' rules): which windows a record time
// belongs to, when a window stops accepting records (grace) and closes, when it is purged
// (retention), and how sliding and session windows change when a record arrives.
//
// Everything here is pure arithmetic on epoch milliseconds: the aggregates themselves live in
// the caller (kwindow), which applies the plans computed here. Record times are >= 0.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kt/core/status.hpp"

namespace kt {

// A window's bounds. Hopping/tumbling: [start, end) with end = start + size. Sliding: [start,
// end] inclusive, end = start + size. Session: [start, end] inclusive, the first and last
// record times.
struct Window {
  int64_t start = 0;
  int64_t end = 0;
  bool operator==(const Window&) const = default;
  auto operator<=>(const Window&) const = default;
};

enum class WindowType { kHopping, kSliding, kSession };

constexpr int64_t kMaxWindowsPerRecord = 100'000;

struct WindowSpec {
  WindowType type = WindowType::kHopping;
  int64_t size = 0;     // hopping/sliding: window size; session: the inactivity gap
  int64_t advance = 0;  // hopping only: 0 < advance <= size (tumbling: advance == size)
  int64_t grace = 0;
  int64_t retention = 0;  // windows ending before streamTime - retention are purged

  // Validated specs. `retention` < 0 means the default: size + grace (sessions: 2 * gap +
  // grace, see PlanSession); less than size + grace is an error (a window could be purged
  // before it closes). Durations are at most kMaxDurationMs, and a hopping record belongs to
  // at most kMaxWindowsPerRecord windows, so window arithmetic on event times (at most
  // kMaxTimeMs) cannot overflow or run away.
  static Result<WindowSpec> Hopping(int64_t size, int64_t advance, int64_t grace, int64_t retention);
  static Result<WindowSpec> Sliding(int64_t size, int64_t grace, int64_t retention);
  static Result<WindowSpec> Session(int64_t gap, int64_t grace, int64_t retention);

  // Hopping: the windows containing t, oldest first:
  // start = max(0, t - size + advance) / advance * advance, then start += advance while start <= t.
  std::vector<Window> HoppingWindowsFor(int64_t t) const;
  // The same into `out` (cleared first), reusing its capacity: the per-record form.
  void HoppingWindowsFor(int64_t t, std::vector<Window>* out) const;

  // The smallest window end that is still open at `stream_time`: a window accepts records and
  // is open while end >= OpenFrom(streamTime), and closes (for good) once it is not.
  //   hopping: open while end > streamTime - grace    (end exclusive)
  //   sliding: open while end >= streamTime - grace   (end inclusive; Kafka's windowEnd >= closeTime)
  //   session: open while end >= streamTime - grace - gap
  int64_t OpenFrom(int64_t stream_time) const;
  bool IsOpen(int64_t end, int64_t stream_time) const { return end >= OpenFrom(stream_time); }
  // The earliest stream time at which a window ending at `end` is closed.
  int64_t CloseTime(int64_t end) const { return end - OpenFrom(0) + 1; }
  // Purged once end < streamTime - retention.
  bool IsExpired(int64_t end, int64_t stream_time) const { return end < stream_time - retention; }

  // "tumbling 10s", "hopping 1m/10s", "sliding 5s", "session 30s" (for messages).
  std::string Describe() const;
};

// How a sliding window (KIP-450) changes when a record at t arrives: the port of Kafka
// Streams' KStreamSlidingWindowAggregate. `existing` maps the key's window starts to the largest
// record time each holds (only windows with start in [t - 2*size, t + 1] matter). The caller
// applies the steps in order: first every kCreate reads its source window as it was before this
// record, then every step with add_record folds the record in (subject to IsOpen on the window
// end).
struct SlidingStep {
  enum class Kind {
    kUpdate,  // add the record to the existing window
    kCreate,  // a new window: a copy of `copy_from`'s aggregate (empty when nullopt)
  };
  Kind kind;
  Window window;
  std::optional<int64_t> copy_from;  // kCreate: start of the existing window to copy
  bool add_record = true;            // kCreate of the record's right window copies only
};
std::vector<SlidingStep> PlanSliding(const std::map<int64_t, int64_t>& existing, int64_t t, int64_t size);

// How a session window changes when a record at t arrives: the record joins every session of
// its key that ends at or after t - gap and starts at or before t + gap; they merge into one.
// `sessions` maps the key's session starts to their ends. The caller drops the record (late)
// when !IsOpen(merged.end) — as Kafka Streams does — and also when a joined session has
// already closed: a closed session never changes, so its final result stays final (Kafka
// Streams would reopen it). Otherwise `merged` (aggregates of `joined` merged oldest first, then
// the record) replaces every joined session.
struct SessionPlan {
  Window merged;               // the session the record ends up in
  std::vector<Window> joined;  // existing sessions it joins, oldest first (may equal `merged`)
};
SessionPlan PlanSession(const std::map<int64_t, int64_t>& sessions, int64_t t, int64_t gap);

}  // namespace kt
