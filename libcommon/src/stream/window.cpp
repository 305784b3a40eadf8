#include "kt/stream/window.hpp"

#include <algorithm>

#include "kt/core/time.hpp"

namespace kt {

namespace {

Status CheckDurations(int64_t size, int64_t grace, int64_t retention) {
  if (size > kMaxDurationMs || grace > kMaxDurationMs || retention > kMaxDurationMs)
    return Status::InvalidArgument("window durations are at most 100 years");
  return Status::Ok();
}

Status CheckRetention(WindowSpec* w, int64_t retention, const char* what) {
  int64_t minimum = w->size + w->grace;
  // A session stays until no record that could still be accepted can reach it (such a record
  // is at most gap before closeTime, and joins sessions at most gap before itself).
  if (retention < 0) retention = w->type == WindowType::kSession ? minimum + w->size : minimum;
  if (retention < minimum)
    return Status::InvalidArgument(std::string("--retention must be at least ") + what + " + grace (" +
                                   std::to_string(minimum) +
                                   " ms): windows would be purged before they close");
  w->retention = retention;
  return Status::Ok();
}

}  // namespace

Result<WindowSpec> WindowSpec::Hopping(int64_t size, int64_t advance, int64_t grace, int64_t retention) {
  if (size <= 0) return Status::InvalidArgument("window size must be positive");
  if (advance <= 0 || advance > size)
    return Status::InvalidArgument("--step must be positive and at most the window size");
  if (Status s = CheckDurations(size, grace, retention); !s.ok()) return s;
  if (size / advance > kMaxWindowsPerRecord)
    return Status::InvalidArgument("--step is too small: every record would be in " +
                                   std::to_string(size / advance) + " windows (at most " +
                                   std::to_string(kMaxWindowsPerRecord) + ")");
  WindowSpec w{WindowType::kHopping, size, advance, grace, 0};
  if (Status s = CheckRetention(&w, retention, "size"); !s.ok()) return s;
  return w;
}

Result<WindowSpec> WindowSpec::Sliding(int64_t size, int64_t grace, int64_t retention) {
  if (size <= 0) return Status::InvalidArgument("window size must be positive");
  if (Status s = CheckDurations(size, grace, retention); !s.ok()) return s;
  WindowSpec w{WindowType::kSliding, size, 0, grace, 0};
  if (Status s = CheckRetention(&w, retention, "size"); !s.ok()) return s;
  return w;
}

Result<WindowSpec> WindowSpec::Session(int64_t gap, int64_t grace, int64_t retention) {
  if (gap <= 0) return Status::InvalidArgument("session gap must be positive");
  if (Status s = CheckDurations(gap, grace, retention); !s.ok()) return s;
  WindowSpec w{WindowType::kSession, gap, 0, grace, 0};
  if (Status s = CheckRetention(&w, retention, "gap"); !s.ok()) return s;
  return w;
}

void WindowSpec::HoppingWindowsFor(int64_t t, std::vector<Window>* out) const {
  out->clear();
  int64_t start = std::max<int64_t>(0, t - size + advance) / advance * advance;
  for (; start <= t; start += advance) out->push_back({start, start + size});
}

std::vector<Window> WindowSpec::HoppingWindowsFor(int64_t t) const {
  std::vector<Window> out;
  HoppingWindowsFor(t, &out);
  return out;
}

int64_t WindowSpec::OpenFrom(int64_t stream_time) const {
  switch (type) {
    case WindowType::kHopping:
      return stream_time - grace + 1;  // end is exclusive
    case WindowType::kSliding:
      return stream_time - grace;  // end is inclusive
    case WindowType::kSession:
      return stream_time - grace - size;
  }
  return stream_time;
}

std::string WindowSpec::Describe() const {
  auto ms = [](int64_t v) { return std::to_string(v) + "ms"; };
  switch (type) {
    case WindowType::kHopping:
      return advance == size ? "tumbling " + ms(size) : "hopping " + ms(size) + "/" + ms(advance);
    case WindowType::kSliding:
      return "sliding " + ms(size);
    case WindowType::kSession:
      return "session " + ms(size);
  }
  return {};
}

// Kafka Streams' processInOrder (t >= size) and processEarly (t < size, where the left window
// would start before 0: one window [0, size] holds every early record), step for step.
std::vector<SlidingStep> PlanSliding(const std::map<int64_t, int64_t>& existing, int64_t t, int64_t size) {
  std::vector<SlidingStep> steps;
  std::optional<int64_t> left_agg, right_agg, previous;  // window starts; previous record time
  int64_t right_agg_max = 0;
  bool left_created = false, right_created = false;
  auto update = [&](int64_t start) {
    steps.push_back({SlidingStep::Kind::kUpdate, {start, start + size}, {}, true});
  };
  auto create = [&](Window w, std::optional<int64_t> from, bool add) {
    steps.push_back({SlidingStep::Kind::kCreate, w, from, add});
  };
  // A window holding t and records after it: updated, and the source of t's right window.
  auto take_right = [&](int64_t start, int64_t max_time) {
    right_agg = start;
    right_agg_max = max_time;
    update(start);
  };
  auto create_right = [&] {
    if (!right_created && right_agg && right_agg_max > t) create({t + 1, t + 1 + size}, right_agg, false);
  };
  // Kafka collects the starts it iterated; every start asked about lies in the iterated range.
  auto exists = [&](int64_t start) { return existing.count(start) > 0; };

  if (t < size) {
    std::optional<int64_t> combined_max;
    for (auto it = existing.lower_bound(0); it != existing.end() && it->first <= t + 1; ++it) {
      auto [start, max_time] = *it;
      if (start == 0) {
        combined_max = max_time;
        if (max_time < t) previous = max_time;
      } else if (start <= t) {
        take_right(start, max_time);
      } else {
        right_created = true;  // start == t + 1
      }
    }
    if (!right_agg && combined_max && *combined_max > t) right_agg = 0, right_agg_max = *combined_max;
    create_right();
    if (previous && !exists(*previous + 1)) create({*previous + 1, *previous + 1 + size}, std::nullopt, true);
    if (combined_max)
      update(0);
    else
      create({0, size}, std::nullopt, true);
    return steps;
  }

  for (auto it = existing.lower_bound(std::max<int64_t>(0, t - 2 * size));
       it != existing.end() && it->first <= t + 1; ++it) {
    auto [start, max_time] = *it;
    int64_t end = start + size;
    if (end < t) {
      left_agg = start;
      previous = max_time;
    } else if (end == t) {
      left_created = true;
      if (max_time < t) previous = max_time;
      update(start);
    } else if (start <= t) {
      take_right(start, max_time);
    } else {
      right_created = true;  // start == t + 1
    }
  }
  if (previous) {
    int64_t prs = *previous + 1;  // the previous record's right window, now that t falls in it
    if (!exists(prs) && prs + size >= t) create({prs, prs + size}, std::nullopt, true);
  }
  if (!left_created) {
    bool left_not_empty = previous && t - size <= *previous;
    create({t - size, t}, left_not_empty ? left_agg : std::nullopt, true);
  }
  create_right();
  return steps;
}

SessionPlan PlanSession(const std::map<int64_t, int64_t>& sessions, int64_t t, int64_t gap) {
  SessionPlan plan{{t, t}, {}};
  for (const auto& [start, end] : sessions) {
    if (start > t + gap) break;
    if (end < t - gap) continue;
    plan.joined.push_back({start, end});
    plan.merged.start = std::min(plan.merged.start, start);
    plan.merged.end = std::max(plan.merged.end, end);
  }
  return plan;
}

}  // namespace kt
