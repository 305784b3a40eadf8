#include "kt/stream/window.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <set>

#include "kt/core/json.hpp"
#include "kt/core/time.hpp"
#include "kt/stream/event_time.hpp"

using kt::Window;
using kt::WindowSpec;

namespace {

WindowSpec Hop(int64_t size, int64_t advance, int64_t grace = 0) {
  auto s = WindowSpec::Hopping(size, advance, grace, -1);
  REQUIRE(s.ok());
  return *s;
}

std::vector<Window> W(std::initializer_list<std::pair<int64_t, int64_t>> ws) {
  std::vector<Window> out;
  for (auto [s, e] : ws) out.push_back({s, e});
  return out;
}

}  // namespace

TEST_CASE("tumbling and hopping window assignment") {
  struct Case {
    int64_t size, advance, t;
    std::vector<Window> want;
  };
  const int64_t big = 1'763'700'000'123;  // 2025-11-21, ms
  std::vector<Case> cases = {
      {10, 10, 0, W({{0, 10}})},
      {10, 10, 9, W({{0, 10}})},
      {10, 10, 10, W({{10, 20}})},
      {10, 5, 0, W({{0, 10}})},  // never negative: no [-5, 5)
      {10, 5, 4, W({{0, 10}})},
      {10, 5, 5, W({{0, 10}, {5, 15}})},
      {10, 5, 12, W({{5, 15}, {10, 20}})},
      {10, 3, 0, W({{0, 10}})},  // size not a multiple of the advance
      {10, 3, 7, W({{0, 10}, {3, 13}, {6, 16}})},
      {10, 3, 10, W({{3, 13}, {6, 16}, {9, 19}})},
      {10, 3, 11, W({{3, 13}, {6, 16}, {9, 19}})},
      {10, 3, 12, W({{3, 13}, {6, 16}, {9, 19}, {12, 22}})},
      {60000, 10000, 59999,
       W({{0, 60000}, {10000, 70000}, {20000, 80000}, {30000, 90000}, {40000, 100000}, {50000, 110000}})},
      {10000, 10000, big, W({{big - 123 + 0 - 0, big - 123 + 10000}})},
      {60000, 10000, big,
       W({{big - 123 - 50000, big - 123 + 10000},
          {big - 123 - 40000, big - 123 + 20000},
          {big - 123 - 30000, big - 123 + 30000},
          {big - 123 - 20000, big - 123 + 40000},
          {big - 123 - 10000, big - 123 + 50000},
          {big - 123, big - 123 + 60000}})},
  };
  for (const Case& c : cases) {
    INFO("size " << c.size << " advance " << c.advance << " t " << c.t);
    CHECK(Hop(c.size, c.advance).HoppingWindowsFor(c.t) == c.want);
  }
}

TEST_CASE("window specs are validated") {
  CHECK_FALSE(WindowSpec::Hopping(0, 0, 0, -1).ok());
  CHECK_FALSE(WindowSpec::Hopping(10, 11, 0, -1).ok());  // step > size
  CHECK_FALSE(WindowSpec::Hopping(10, 0, 0, -1).ok());
  CHECK_FALSE(WindowSpec::Hopping(10, 5, 5, 14).ok());  // retention < size + grace
  CHECK(WindowSpec::Hopping(10, 5, 5, 15)->retention == 15);
  CHECK(WindowSpec::Hopping(10, 5, 5, -1)->retention == 15);
  CHECK(WindowSpec::Sliding(10, 2, -1)->retention == 12);
  CHECK(WindowSpec::Session(10, 2, -1)->retention == 22);  // 2 * gap + grace
  CHECK_FALSE(WindowSpec::Session(10, 2, 11).ok());
  CHECK(WindowSpec::Session(10, 2, 12).ok());
  CHECK(Hop(10000, 10000).Describe() == "tumbling 10000ms");
  CHECK(Hop(60000, 10000).Describe() == "hopping 60000ms/10000ms");
}

TEST_CASE("grace: a window takes records while end > streamTime - grace") {
  WindowSpec w = Hop(10, 10, 5);
  // Window [0, 10): open at stream time 14 (10 > 9), closed at 15 (10 > 10 is false).
  CHECK(w.IsOpen(10, 14));
  CHECK_FALSE(w.IsOpen(10, 15));
  CHECK(w.OpenFrom(15) == 11);
  WindowSpec no_grace = Hop(10, 10, 0);
  CHECK(no_grace.IsOpen(10, 9));
  CHECK_FALSE(no_grace.IsOpen(10, 10));  // closes as soon as stream time reaches its end
  // Sliding windows are inclusive: [0, 10] is open while 10 >= streamTime - grace.
  auto sl = WindowSpec::Sliding(10, 5, -1);
  CHECK(sl->IsOpen(10, 15));
  CHECK_FALSE(sl->IsOpen(10, 16));
  // Sessions: closeTime = streamTime - grace - gap; open while end >= closeTime.
  auto se = WindowSpec::Session(10, 5, -1);
  CHECK(se->IsOpen(100, 115));
  CHECK_FALSE(se->IsOpen(100, 116));
}

TEST_CASE("retention: windows ending before streamTime - retention expire") {
  auto w = WindowSpec::Hopping(10, 10, 5, 30);
  CHECK_FALSE(w->IsExpired(10, 40));
  CHECK(w->IsExpired(10, 41));
  // With the default retention (size + grace) a window expires only after it closed.
  WindowSpec d = Hop(10, 10, 5);
  for (int64_t st = 0; st < 100; ++st) {
    if (d.IsExpired(10, st)) CHECK_FALSE(d.IsOpen(10, st));
  }
}

namespace {

// Applies PlanSliding to windows holding the record times themselves, then checks the result
// against the definition: for every record r its left window [max(0, r - size), that + size],
// and its right window [r + 1, r + 1 + size] if a record falls in it; each holds exactly the
// records within its bounds (inclusive).
struct SlidingSim {
  int64_t size;
  std::map<int64_t, std::multiset<int64_t>> windows;  // start -> record times
  std::vector<int64_t> records;

  void Add(int64_t t) {
    std::map<int64_t, int64_t> existing;
    for (auto& [start, recs] : windows) existing[start] = *recs.rbegin();
    auto steps = kt::PlanSliding(existing, t, size);
    std::vector<std::multiset<int64_t>> copies(steps.size());
    for (size_t i = 0; i < steps.size(); ++i) {
      if (steps[i].kind == kt::SlidingStep::Kind::kCreate) {
        REQUIRE(windows.count(steps[i].window.start) == 0);
        if (steps[i].copy_from) copies[i] = windows.at(*steps[i].copy_from);
      } else {
        REQUIRE(windows.count(steps[i].window.start) == 1);
      }
      REQUIRE(steps[i].window.end == steps[i].window.start + size);
    }
    for (size_t i = 0; i < steps.size(); ++i) {
      auto& w = windows[steps[i].window.start];
      if (steps[i].kind == kt::SlidingStep::Kind::kCreate) w = copies[i];
      if (steps[i].add_record) w.insert(t);
    }
    records.push_back(t);
  }

  std::map<int64_t, std::multiset<int64_t>> Expected() const {
    std::map<int64_t, std::multiset<int64_t>> want;
    auto fill = [&](int64_t start) {
      auto& w = want[start];
      w.clear();
      for (int64_t r : records)
        if (r >= start && r <= start + size) w.insert(r);
    };
    for (int64_t r : records) {
      fill(std::max<int64_t>(0, r - size));
      bool right =
          std::any_of(records.begin(), records.end(), [&](int64_t x) { return x > r && x <= r + 1 + size; });
      if (right) fill(r + 1);
    }
    return want;
  }
};

}  // namespace

TEST_CASE("sliding windows: a worked example") {
  SlidingSim sim{10, {}, {}};
  for (int64_t t : {20, 25, 40, 33}) sim.Add(t);
  // left windows [10,20] [15,25] [30,40] [23,33]; right windows [21,31] {25}, [26,36] {33}, [34,44] {40}
  std::map<int64_t, std::multiset<int64_t>> want = {{10, {20}}, {15, {20, 25}}, {21, {25}}, {23, {25, 33}},
                                                    {26, {33}}, {30, {33, 40}}, {34, {40}}};
  CHECK(sim.windows == want);
  CHECK(sim.windows == sim.Expected());
}

TEST_CASE("sliding windows equal the definition for any arrival order") {
  std::mt19937_64 rng(7);
  for (int run = 0; run < 400; ++run) {
    int64_t size = 1 + static_cast<int64_t>(rng() % 12);
    int n = 1 + static_cast<int>(rng() % 25);
    int64_t span = 1 + static_cast<int64_t>(rng() % 60);
    SlidingSim sim{size, {}, {}};
    for (int i = 0; i < n; ++i) sim.Add(static_cast<int64_t>(rng() % span));
    INFO("run " << run << " size " << size);
    REQUIRE(sim.windows == sim.Expected());
  }
}

TEST_CASE("session windows merge and stay apart") {
  std::map<int64_t, int64_t> sessions;  // start -> end
  auto add = [&](int64_t t) {
    kt::SessionPlan p = kt::PlanSession(sessions, t, 10);
    for (Window w : p.joined) sessions.erase(w.start);
    sessions[p.merged.start] = p.merged.end;
    return p;
  };
  auto p = add(100);
  CHECK(p.merged == Window{100, 100});
  CHECK(p.joined.empty());
  p = add(105);  // within the gap: extends
  CHECK(p.merged == Window{100, 105});
  CHECK(p.joined == W({{100, 100}}));
  p = add(103);  // inside: same bounds
  CHECK(p.merged == Window{100, 105});
  CHECK(p.joined == W({{100, 105}}));
  p = add(130);  // beyond the gap: a new session
  CHECK(p.merged == Window{130, 130});
  p = add(115);  // exactly gap after 105: joins it (inclusive)
  CHECK(p.merged == Window{100, 115});
  p = add(120);  // bridges [100,115] and [130,130]
  CHECK(p.merged == Window{100, 130});
  CHECK(p.joined == W({{100, 115}, {130, 130}}));
  CHECK(sessions == std::map<int64_t, int64_t>{{100, 130}});
  p = add(141);  // gap + 1 after 130: apart
  CHECK(p.merged == Window{141, 141});
  CHECK(sessions.size() == 2);
}

namespace {

kt::Result<int64_t> TimeOf(const std::string& spec, const std::string& value, const std::string& format = "",
                           const std::string& unit = "ms", int64_t timestamp = -1) {
  auto et = kt::EventTime::Parse(spec, format, unit);
  REQUIRE(et.ok());
  rapidjson::Document doc;
  REQUIRE(kt::ParseJson(value, &doc).ok());
  kt::Record rec;
  rec.timestamp = timestamp;
  kt::expr::EvalContext ctx;
  ctx.Reset(&rec, &doc);
  return et->Of(rec, ctx);
}

}  // namespace

TEST_CASE("event time from the timestamp, a field, or the clock") {
  CHECK(*TimeOf("@timestamp", "{}", "", "ms", 1234) == 1234);
  CHECK(TimeOf("@timestamp", "{}").status().IsDataError());  // no timestamp
  CHECK(*TimeOf("timestamp", R"({"timestamp":"2026-11-20T09:00:00.165Z"})") == 1795165200165);
  CHECK(*TimeOf("timestamp", R"({"timestamp":"2026-11-20T10:00:00.1651+01:00"})") == 1795165200165);
  CHECK(*TimeOf("timestamp", R"({"timestamp":"2026-11-20T03:30:00-0530"})") == 1795165200000);
  CHECK(*TimeOf("pickup", R"({"pickup":"2020-01-01 00:28:15"})", "%Y-%m-%d %H:%M:%S") == 1577838495000);
  CHECK(*TimeOf("ts", R"({"ts":1577838495})", "", "s") == 1577838495000);
  CHECK(*TimeOf("ts", R"({"ts":1577838495.25})", "", "s") == 1577838495250);
  CHECK(*TimeOf("ts", R"({"ts":1577838495250})") == 1577838495250);
  CHECK(*TimeOf("a.b", R"({"a":{"b":42}})") == 42);
  auto bad = TimeOf("timestamp", R"({"timestamp":"yesterday"})");
  CHECK(bad.status().IsDataError());
  CHECK(bad.status().message().find("yesterday") != std::string::npos);
  CHECK(TimeOf("pickup", R"({"pickup":"2020-01-01T00:28:15"})", "%Y-%m-%d %H:%M:%S").status().IsDataError());
  CHECK(TimeOf("timestamp", R"({})").status().message().find("missing") != std::string::npos);
  CHECK(TimeOf("timestamp", R"({"timestamp":true})").status().IsDataError());
  CHECK(TimeOf("ts", R"({"ts":-5})").status().IsDataError());
  int64_t now = *TimeOf("now", "{}");
  CHECK(std::llabs(now - kt::NowMs()) < 60000);
  CHECK_FALSE(kt::EventTime::Parse("a +", "", "ms").ok());
  CHECK_FALSE(kt::EventTime::Parse("@timestamp", "", "us").ok());
}
