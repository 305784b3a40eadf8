// kwindow's Transform on an in-memory store: what it emits and what stays in its state as
// stream time closes and purges windows.
#include "kwindow/window_transform.hpp"

#include <catch2/catch.hpp>
#include <map>

#include "kt/core/json.hpp"

namespace {

struct WindowOutputs : kt::Emitter {
  std::vector<std::string> lines;  // "key value" ("null" for tombstones)
  void Emit(const kt::OutRecord& o) override {
    if (o.internal) return;
    lines.push_back(std::string(*o.key) + " " +
                    (o.value_kind == kt::OutRecord::ValueKind::kNull ? "null" : std::string(o.value_text)));
  }
};

struct Harness {
  kt::PartitionedState* state;
  std::unique_ptr<kt::kwindow::WindowTransform> t;
  WindowOutputs out;
  int64_t line = 0;

  Harness(kt::Result<kt::WindowSpec> spec, bool final, bool close_at_end = false) {
    REQUIRE(spec.ok());
    kt::StoreOptions so;
    so.kind = kt::StoreOptions::Kind::kMemory;
    auto owned = std::make_unique<kt::PartitionedState>(so, nullptr);
    state = owned.get();
    auto count = kt::ParseAggSpec("count");
    REQUIRE(count.ok());
    auto time = kt::EventTime::Parse("@timestamp", "", "ms");
    REQUIRE(time.ok());
    t = std::make_unique<kt::kwindow::WindowTransform>(std::move(owned), *spec, kt::Aggregator({*count}),
                                                       std::nullopt, std::move(*time), final, close_at_end);
    REQUIRE(t->OnAssigned({-1}).ok());
  }

  kt::Status Add(const char* key, int64_t time) {
    kt::Record rec;
    rec.key = key;
    rec.timestamp = time;
    rec.line = ++line;
    rapidjson::Document v;
    v.SetObject();
    kt::Input in{rec, &v};
    return t->Process(in, out);
  }

  std::map<std::string, std::string> Stored() {
    REQUIRE(t->WriteState(out).ok());
    REQUIRE(t->PersistState({}).ok());
    std::map<std::string, std::string> m;
    REQUIRE(state->store(-1)
                ->ForEach([&](std::string_view k, std::string_view v) { m[std::string(k)] = v; })
                .ok());
    return m;
  }
};

}  // namespace

TEST_CASE("kwindow keeps windows until retention, then deletes them from the store") {
  Harness h(kt::WindowSpec::Hopping(10, 10, 0, 30), false);
  REQUIRE(h.Add("a", 5).ok());
  REQUIRE(h.Add("a", 15).ok());
  CHECK(h.Stored() == std::map<std::string, std::string>{{"__kt.stream_time", "15"},
                                                         {"a@0/10", R"({"t":5,"agg":{"count":1}})"},
                                                         {"a@10/20", R"({"t":15,"agg":{"count":1}})"}});
  REQUIRE(h.Add("a", 40).ok());  // [0,10) ends at 10, not before 40 - 30: kept
  CHECK(h.Stored().count("a@0/10") == 1);
  REQUIRE(h.Add("a", 41).ok());  // 10 < 41 - 30: purged
  auto stored = h.Stored();
  CHECK(stored.count("a@0/10") == 0);
  CHECK(stored.count("a@10/20") == 1);
  CHECK(stored.at("a@40/50") == R"({"t":41,"agg":{"count":2}})");
  // A record for a purged (long closed) window is late.
  CHECK(h.Add("a", 7).IsDropped());
  CHECK(h.t->SummaryExtra().find("1 late records dropped") != std::string::npos);
}

TEST_CASE("kwindow --emit final writes each window once, as stream time closes it") {
  Harness h(kt::WindowSpec::Hopping(10, 10, 5, -1), true, /*close_at_end=*/true);
  REQUIRE(h.Add("b", 3).ok());
  REQUIRE(h.Add("a", 8).ok());
  REQUIRE(h.Add("a", 14).ok());  // stream time 14: [0,10) open while 10 > 14 - 5
  CHECK(h.out.lines.empty());
  REQUIRE(h.Add("a", 9).ok());   // within grace
  REQUIRE(h.Add("a", 15).ok());  // 10 > 10 is false: [0,10) closes, both keys, in key order
  CHECK(h.out.lines ==
        std::vector<std::string>{R"(a@0/10 {"key":"a","window":{"start":0,"end":10},"count":2})",
                                 R"(b@0/10 {"key":"b","window":{"start":0,"end":10},"count":1})"});
  CHECK(h.Add("a", 9).IsDropped());
  REQUIRE(h.Add("a", 16).ok());  // advancing again emits nothing twice
  CHECK(h.out.lines.size() == 2);
  h.t->Finish(h.out);  // --close-at-end: the input is complete, the rest closes
  CHECK(h.out.lines.back() == R"(a@10/20 {"key":"a","window":{"start":10,"end":20},"count":3})");
  CHECK(h.out.lines.size() == 3);
  CHECK(h.t->SummaryExtra().find("1 windows closed at the end of input") != std::string::npos);
  // Stream time stays where it closed the window ([10,20) + grace 5 = 25): a record for it is
  // late from now on; a record of a later window is not.
  CHECK(h.Add("a", 19).IsDropped());
  REQUIRE(h.Add("a", 24).ok());
}

TEST_CASE("kwindow: the end of input leaves windows open unless --close-at-end, on stdin as on Kafka") {
  Harness h(kt::WindowSpec::Hopping(10, 10, 5, -1), true);
  REQUIRE(h.Add("a", 8).ok());
  REQUIRE(h.Add("a", 21).ok());  // closes [0,10)
  REQUIRE(h.out.lines.size() == 1);
  h.t->Finish(h.out);
  CHECK(h.out.lines.size() == 1);
  CHECK(h.t->SummaryExtra().find("1 windows still open at the end of input (--close-at-end closes them)") !=
        std::string::npos);
}

TEST_CASE("kwindow sessions: merged-away sessions leave the store and get output tombstones") {
  Harness h(kt::WindowSpec::Session(10, 100, -1), false);
  REQUIRE(h.Add("u", 100).ok());
  REQUIRE(h.Add("u", 120).ok());
  REQUIRE(h.Add("u", 110).ok());  // bridges both
  CHECK(h.out.lines ==
        std::vector<std::string>{R"(u@100/100 {"key":"u","window":{"start":100,"end":100},"count":1})",
                                 R"(u@120/120 {"key":"u","window":{"start":120,"end":120},"count":1})",
                                 "u@100/100 null", "u@120/120 null",
                                 R"(u@100/120 {"key":"u","window":{"start":100,"end":120},"count":3})"});
  auto stored = h.Stored();
  CHECK(stored.count("u@100/100") == 0);
  CHECK(stored.count("u@120/120") == 0);
  CHECK(stored.at("u@100/120") == R"({"t":120,"agg":{"count":3}})");
}

TEST_CASE("kwindow writes nothing for a window created and purged between two commits") {
  Harness h(kt::WindowSpec::Hopping(10, 10, 0, 10), false);
  auto written = [&] {
    std::string s = h.t->SummaryExtra();
    return s.substr(s.find("wrote "));
  };
  REQUIRE(h.Add("a", 5).ok());
  REQUIRE(h.Add("a", 15).ok());
  REQUIRE(h.Add("a", 25).ok());  // purges [0,10) (10 <= 25 - 10): never written, no tombstone
  CHECK(h.Stored() == std::map<std::string, std::string>{{"__kt.stream_time", "25"},
                                                         {"a@10/20", R"({"t":15,"agg":{"count":1}})"},
                                                         {"a@20/30", R"({"t":25,"agg":{"count":1}})"}});
  CHECK(written() == "wrote 3 state changes");  // stream time and the two open windows
  REQUIRE(h.Add("a", 35).ok());                 // purges [10,20), which the store holds: a delete
  REQUIRE(h.Add("a", 45).ok());                 // purges [20,30): a delete
  REQUIRE(h.Add("a", 55).ok());                 // purges [30,40), created since the commit: nothing to write
  CHECK(h.Stored() == std::map<std::string, std::string>{{"__kt.stream_time", "55"},
                                                         {"a@40/50", R"({"t":45,"agg":{"count":1}})"},
                                                         {"a@50/60", R"({"t":55,"agg":{"count":1}})"}});
  CHECK(written() == "wrote 8 state changes");  // + stream time, two deletes, [40,50), [50,60)
}
