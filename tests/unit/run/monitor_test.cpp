// The monitor (--http): stages publish what they counted, and state queries asked from another
// thread are answered by the stage's own thread, or time out.
#include "kt/run/monitor.hpp"

#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "fakes.hpp"
#include "kt/run/runner.hpp"

namespace {

// Counts what it sees; answers a query for key "k" with one line.
class QueryableTransform : public kt::Transform {
 public:
  bool WantsValue() const override { return false; }
  kt::Status Process(kt::Input& in, kt::Emitter& out) override {
    out.Emit(kt::OutRecord::From(in.record));
    return kt::Status::Ok();
  }
  bool Queryable() const override { return true; }
  kt::StateAnswer Query(const kt::StateQuery& q) override {
    if (q.key != "k") return {kt::Status::NotFound("no " + q.key), ""};
    return {kt::Status::Ok(), "{\"key\":\"k\"}\n"};
  }
  void Counters(std::vector<std::pair<std::string, int64_t>>* out) const override {
    out->emplace_back("seen", 7);
  }
};

}  // namespace

TEST_CASE("monitor: a query asked on one thread is answered on the stage's thread") {
  kt::Monitor& m = kt::Monitor::Instance();
  int id = m.Register("stage");
  kt::StageSnapshot s;
  s.stage = "stage";
  s.has_state = true;
  m.Publish(id, s);
  auto asked = std::async(std::launch::async, [&] { return m.Ask(id, {"k", false}, 5000); });
  while (!m.HasQueries(id)) std::this_thread::yield();
  std::thread::id answered_on;
  m.Answer(id, [&](const kt::StateQuery& q) -> kt::StateAnswer {
    answered_on = std::this_thread::get_id();
    return {kt::Status::Ok(), "line for " + q.key};
  });
  kt::StateAnswer a = asked.get();
  CHECK(a.status.ok());
  CHECK(a.lines == "line for k");
  CHECK(answered_on == std::this_thread::get_id());

  SECTION("a stage that does not answer in time: Unavailable") {
    kt::StateAnswer late = m.Ask(id, {"k", false}, 20);
    CHECK(late.status.IsUnavailable());
  }
  SECTION("a stage that ends answers what waits with Unavailable") {
    auto waiting = std::async(std::launch::async, [&] { return m.Ask(id, {"k", false}, 5000); });
    while (!m.HasQueries(id)) std::this_thread::yield();
    s.running = false;
    m.Publish(id, s);
    CHECK(waiting.get().status.IsUnavailable());
    CHECK(m.Ask(id, {"k", false}, 5000).status.IsUnavailable());
  }
  s.running = false;
  m.Publish(id, s);
}

TEST_CASE("monitor: a Runner publishes its counts per input partition, and its end") {
  kt::Monitor& m = kt::Monitor::Instance();
  m.Enable();
  fakes::FakeSource src(fakes::Records(100));
  fakes::FakeSink sink;
  src.sink = &sink;
  QueryableTransform t;
  kt::RunnerOptions o;
  o.tool = "monitored";
  o.quiet = true;
  o.commit_interval_ms = 0;
  o.output = "out";
  auto r = fakes::MakeRunner(o, &src, {&sink, nullptr, nullptr}, &t);
  REQUIRE(r->Run() == 0);
  const kt::StageSnapshot* mine = nullptr;
  auto all = m.Snapshots();
  for (const kt::StageSnapshot& s : all)
    if (s.stage == "monitored") mine = &s;
  REQUIRE(mine);
  CHECK_FALSE(mine->running);
  CHECK(mine->has_state);
  CHECK(mine->output == "out");
  CHECK(mine->stats.in == 100);
  CHECK(mine->stats.out == 100);
  int64_t in = 0;
  for (auto& [tp, c] : mine->partitions) {
    CHECK(c.in == 50);
    in += c.in;
  }
  CHECK(in == 100);
  CHECK(mine->partitions.size() == 2);
  CHECK(mine->commits >= 1);
  REQUIRE(mine->counters.size() == 1);
  CHECK(mine->counters[0].second == 7);
}

TEST_CASE("monitor: a stage started again under its name shows as one, its counters going on") {
  kt::Monitor& m = kt::Monitor::Instance();
  kt::TopicPartition p0{"in", 0}, p1{"in", 1};
  kt::StageSnapshot first;
  first.stage = "handed-over";
  first.stats.in = 10;
  first.stats.out = 9;
  first.partitions[p0].in = 6;
  first.partitions[p1].in = 4;
  first.counters = {{"updates", 9}};
  first.commits = 2;
  first.assigned = {p0, p1};
  first.running = false;  // its end: handed over to the repartition topic
  m.Publish(m.Register("handed-over"), first);
  int id = m.Register("handed-over");
  kt::StageSnapshot again;
  again.stage = "handed-over";
  again.stats.in = 5;
  again.partitions[p0].in = 5;
  again.counters = {{"updates", 1}, {"late", 1}};
  again.commits = 1;
  again.assigned = {p0};
  m.Publish(id, again);

  std::vector<kt::StageSnapshot> shown;
  for (auto& s : m.Snapshots())
    if (s.stage == "handed-over") shown.push_back(s);
  REQUIRE(shown.size() == 1);
  const kt::StageSnapshot& s = shown[0];
  CHECK(s.running);
  CHECK(s.stats.in == 15);
  CHECK(s.stats.out == 9);
  CHECK(s.partitions.at(p0).in == 11);
  CHECK(s.partitions.at(p1).in == 4);
  CHECK(s.counters == std::vector<std::pair<std::string, int64_t>>{{"updates", 10}, {"late", 1}});
  CHECK(s.commits == 3);
  CHECK(s.assigned == std::vector<kt::TopicPartition>{p0});  // what it holds now
  CHECK(m.Snapshot(id).stats.in == 15);
  again.running = false;  // the monitor is the process's: a stage left running fails --http's liveness
  m.Publish(id, again);
}
