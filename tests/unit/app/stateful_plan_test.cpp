// One planner for every stateful run: single stage or re-keyed, one side or two.
#include "kt/app/stateful_plan.hpp"

#include <catch2/catch.hpp>
#include <functional>
#include <map>

namespace {

kt::RunPlan Run(const std::string& input, const std::string& group = "G") {
  kt::CommonOptions c;
  c.input = input;
  c.output = "out";
  c.group = group;
  return *kt::PlanRun("ktable", c);
}

// A run to stdout without -G: ad hoc.
kt::RunPlan AdHoc(const std::string& input) {
  kt::CommonOptions c;
  c.input = input;
  return *kt::PlanRun("ktable", c);
}

kt::PartitionLookup Sizes(std::map<std::string, int> sizes) {
  return [sizes](const std::string& t) -> kt::Result<int> {
    auto it = sizes.find(t);
    return it == sizes.end() ? 0 : it->second;
  };
}

kt::StateCliOptions Store(const std::string& name) {
  kt::StateCliOptions s;
  s.name = name;
  s.state_dir = "/state";
  return s;
}

}  // namespace

TEST_CASE("stdin: one stage, state in memory, grouped by the Transform") {
  auto p = kt::PlanStateful(Run("-", ""), kt::KeyedIntent("-", "uri", Store("table")), Sizes({}));
  REQUIRE(p.ok());
  CHECK(p->rekeys.empty());
  CHECK(p->by == std::vector<std::string>{"uri"});
  CHECK(p->store.kind == kt::StoreOptions::Kind::kMemory);
  CHECK(p->store.changelog.empty());
  CHECK(p->store.single_task);
}

TEST_CASE("one partition: --by is applied by the Transform, no repartition topic") {
  auto p = kt::PlanStateful(Run("clicks"), kt::KeyedIntent("clicks", "uri", Store("table")),
                            Sizes({{"clicks", 1}}));
  REQUIRE(p.ok());
  CHECK(p->rekeys.empty());
  CHECK(p->by == std::vector<std::string>{"uri"});
  CHECK(p->stage.input == "clicks");
  CHECK(p->stage.group == "G");
  CHECK(p->store.changelog == "G-table-changelog");
  CHECK(p->store.partitions == 1);
  CHECK(p->store.dir == "/state/G/table");
}

TEST_CASE(
    "several partitions: --by re-keys through <G>-<name>-repartition, the stage reads it in <G>-<name>") {
  kt::RunPlan run = Run("clicks");
  run.count = 100;
  run.schema_file = "s.json";
  auto p = kt::PlanStateful(run, kt::KeyedIntent("clicks", "uri", Store("table")), Sizes({{"clicks", 4}}));
  REQUIRE(p.ok());
  REQUIRE(p->rekeys.size() == 1);
  const kt::RekeyPlan& r = p->rekeys[0];
  CHECK(r.run.tool == "ktable-repartition");
  CHECK(r.run.input == "clicks");
  CHECK(r.run.output == "G-table-repartition");
  CHECK(r.run.outputs == std::vector<std::string>{"G-table-repartition"});
  CHECK(r.run.partitions == 4);
  CHECK(r.run.internal_output);  // lz4
  CHECK(r.run.group == "G");
  CHECK(r.run.count == 100);             // -n applies to the input
  CHECK(r.run.schema_file == "s.json");  // and so does the schema
  CHECK(r.by == "uri");
  CHECK(p->by == std::vector<std::string>{""});  // the stage groups by the record key the re-keying set
  CHECK(p->stage.input == "G-table-repartition");
  CHECK(p->stage.group == "G-table");
  CHECK(p->stage.count == -1);
  CHECK(p->stage.exit_at_end);  // bounded: ends once it read what the re-keying wrote
  CHECK(p->stage.schema_file.empty());
  CHECK_FALSE(p->after_rekeys);
  CHECK(p->partitions == 4);
  CHECK(p->store.changelog == "G-table-changelog");
  CHECK(p->store.partitions == 4);
  CHECK(p->stage.prefetch_partitions == 4);  // the stateful stage shares its prefetch over them
  CHECK(r.run.prefetch_partitions == 0);     // the re-keying stage forwards: librdkafka's sizes
  CHECK(p->stage.partition_tasks);           // its tasks, the repartition topic's partitions, take turns
  CHECK_FALSE(r.run.partition_tasks);        // a record goes to any task: every partition merged
}

TEST_CASE("--no-repartition: the Transform groups by --by in place, each key checked against its partition") {
  kt::StateCliOptions store = Store("table");
  store.no_repartition = true;
  auto p = kt::PlanStateful(Run("clicks"), kt::KeyedIntent("clicks", "uri", store), Sizes({{"clicks", 4}}));
  REQUIRE(p.ok());
  CHECK(p->rekeys.empty());
  CHECK(p->by == std::vector<std::string>{"uri"});
  CHECK(p->stage.input == "clicks");
  CHECK(p->stage.group == "G");
  CHECK(p->store.home_partitions == 4);
  CHECK(p->store.changelog == "G-table-changelog");
  auto adhoc =
      kt::PlanStateful(Run("clicks", ""), kt::KeyedIntent("clicks", "uri", store), Sizes({{"clicks", 4}}));
  REQUIRE(adhoc.ok());
  CHECK_FALSE(adhoc->store.single_task);  // keys stay put: a store per partition
  CHECK(adhoc->store.home_partitions == 4);
  CHECK(p->stage.partition_tasks);
  CHECK(adhoc->stage.partition_tasks);
  auto one = kt::PlanStateful(Run("clicks"), kt::KeyedIntent("clicks", "uri", store), Sizes({{"clicks", 1}}));
  REQUIRE(one.ok());
  CHECK(one->store.home_partitions == 0);  // one partition: every key is at home
}

TEST_CASE("a run may read in place: one re-keyed input, at-least-once, batch or continuous") {
  auto plan = [](const std::function<void(kt::RunPlan&)>& change, int partitions = 4) {
    kt::RunPlan run = Run("clicks");
    run.exit_at_end = true;
    change(run);
    auto p = kt::PlanStateful(run, kt::KeyedIntent("clicks", "uri", Store("table")),
                              Sizes({{"clicks", partitions}, {"right", partitions}}));
    REQUIRE(p.ok());
    return *p;
  };
  kt::StatefulPlan batch = plan([](kt::RunPlan&) {});
  CHECK(batch.in_place);
  CHECK(batch.rekeys.size() == 1);  // and the repartitioned run is planned as ever
  CHECK(batch.stage.input == "G-table-repartition");
  CHECK(plan([](kt::RunPlan& r) {
          r.from.kind = kt::StartSpec::Kind::kEnd;
        }).in_place);  // no switch: any start
  CHECK(plan([](kt::RunPlan& r) {
          r.exit_at_end = false;
          r.count = 10;
        }).in_place);
  CHECK(plan([](kt::RunPlan& r) { r.exit_at_end = false; }).in_place);  // continuous: until a copy joins
  CHECK_FALSE(plan([](kt::RunPlan& r) { r.exactly_once = true; }).in_place);
  CHECK_FALSE(plan([](kt::RunPlan&) {}, 1).in_place);  // one partition: in place anyway
  kt::StateCliOptions store = Store("table");
  store.no_repartition = true;
  kt::RunPlan run = Run("clicks");
  run.exit_at_end = true;
  auto told = kt::PlanStateful(run, kt::KeyedIntent("clicks", "uri", store), Sizes({{"clicks", 4}}));
  REQUIRE(told.ok());
  CHECK_FALSE(told->in_place);          // in place all along
  CHECK_FALSE(told->store.route_keys);  // a key in another partition is a bad record there
  kt::StatefulIntent join;
  join.sides = {{"clicks", "uri", "left"}, {"right", "uri", "right"}};
  join.stage_name = "join";
  join.store = Store("join");
  auto joined = kt::PlanStateful(run, join, Sizes({{"clicks", 4}, {"right", 4}}));
  REQUIRE(joined.ok());
  CHECK_FALSE(joined->in_place);
}

TEST_CASE("a missing input topic and a bad store name are errors") {
  auto missing = kt::PlanStateful(Run("nope"), kt::KeyedIntent("nope", "", Store("table")), Sizes({}));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message().find("topic 'nope' does not exist") != std::string::npos);
  auto bad =
      kt::PlanStateful(Run("clicks"), kt::KeyedIntent("clicks", "", Store("a/b")), Sizes({{"clicks", 1}}));
  CHECK(bad.status().IsInvalidArgument());
}

namespace {

kt::StatefulIntent Join(const std::string& by, const std::string& right_by) {
  kt::StatefulIntent in;
  in.sides = {{"left", by, "left"}, {"right", right_by, "right"}};
  in.stage_name = "join";
  in.store = Store("join");
  return in;
}

}  // namespace

TEST_CASE("two sides must be co-partitioned unless one is re-keyed") {
  auto p = kt::PlanStateful(Run("left"), Join("", ""), Sizes({{"left", 2}, {"right", 3}}));
  REQUIRE_FALSE(p.ok());
  CHECK(p.status().IsInvalidArgument());
  CHECK(p.status().message().find("not co-partitioned") != std::string::npos);

  auto same = kt::PlanStateful(Run("left"), Join("", ""), Sizes({{"left", 3}, {"right", 3}}));
  REQUIRE(same.ok());
  CHECK(same->rekeys.empty());
  CHECK(same->stage.input == "left");
  CHECK(same->stage.more_inputs == std::vector<std::string>{"right"});
  CHECK(same->stage.group == "G");
}

TEST_CASE("a re-keyed side follows the other side's partition count") {
  auto left = kt::PlanStateful(Run("left"), Join("user", ""), Sizes({{"left", 2}, {"right", 3}}));
  REQUIRE(left.ok());
  CHECK(left->partitions == 3);
  REQUIRE(left->rekeys.size() == 1);
  CHECK(left->rekeys[0].run.output == "G-join-left-repartition");
  CHECK(left->rekeys[0].run.group == "G");
  CHECK(left->stage.input == "G-join-left-repartition");
  CHECK(left->stage.more_inputs == std::vector<std::string>{"right"});
  CHECK(left->stage.group == "G-join");

  auto right = kt::PlanStateful(Run("left"), Join("", "id"), Sizes({{"left", 2}, {"right", 5}}));
  REQUIRE(right.ok());
  CHECK(right->partitions == 2);
  REQUIRE(right->rekeys.size() == 1);
  CHECK(right->rekeys[0].run.input == "right");
  CHECK(right->rekeys[0].run.output == "G-join-right-repartition");
  CHECK(right->rekeys[0].run.group == "G-join-right");
  CHECK(right->stage.input == "left");
  CHECK(right->stage.group == "G");

  auto both = kt::PlanStateful(Run("left"), Join("user", "id"), Sizes({{"left", 2}, {"right", 5}}));
  REQUIRE(both.ok());
  CHECK(both->partitions == 5);
  CHECK(both->rekeys.size() == 2);
  CHECK(both->store.changelog == "G-join-changelog");
  CHECK(both->store.partitions == 5);
  CHECK(both->stage.prefetch_partitions == 10);  // both sides' partitions
  CHECK_FALSE(both->stage.partition_tasks);      // two inputs: every partition merged
  CHECK_FALSE(right->stage.partition_tasks);
}

TEST_CASE("a bounded join runs its stateful stage after the re-keying") {
  kt::RunPlan run = Run("left");
  run.exit_at_end = true;
  auto p = kt::PlanStateful(run, Join("user", ""), Sizes({{"left", 2}, {"right", 2}}));
  REQUIRE(p.ok());
  CHECK(p->after_rekeys);
  auto live = kt::PlanStateful(Run("left"), Join("user", ""), Sizes({{"left", 2}, {"right", 2}}));
  CHECK_FALSE(live->after_rekeys);
}

TEST_CASE("an ad-hoc run creates nothing: state in memory, one store per partition when keys stay put") {
  auto p = kt::PlanStateful(AdHoc("clicks"), kt::KeyedIntent("clicks", "", Store("table")),
                            Sizes({{"clicks", 4}}));
  REQUIRE(p.ok());
  CHECK(p->rekeys.empty());
  CHECK(p->store.kind == kt::StoreOptions::Kind::kMemory);
  CHECK(p->store.changelog.empty());
  CHECK(p->store.dir.empty());
  CHECK_FALSE(p->store.single_task);
  CHECK(p->stage.group.empty());
  CHECK(p->partitions == 4);
  CHECK(p->stage.prefetch_partitions == 4);
  CHECK(p->stage.partition_tasks);
}

TEST_CASE("an ad-hoc run whose keys move between partitions groups in one store") {
  auto keyed = kt::PlanStateful(AdHoc("clicks"), kt::KeyedIntent("clicks", "uri", Store("table")),
                                Sizes({{"clicks", 4}}));
  REQUIRE(keyed.ok());
  CHECK(keyed->rekeys.empty());
  CHECK(keyed->store.single_task);
  CHECK_FALSE(keyed->stage.partition_tasks);  // one task for all: every partition merged
  CHECK(keyed->by == std::vector<std::string>{"uri"});

  auto one = kt::PlanStateful(AdHoc("clicks"), kt::KeyedIntent("clicks", "uri", Store("table")),
                              Sizes({{"clicks", 1}}));
  CHECK_FALSE(one->store.single_task);  // one partition: nothing to move

  kt::RunPlan join = AdHoc("left");
  auto j = kt::PlanStateful(join, Join("user", "id"), Sizes({{"left", 2}, {"right", 5}}));
  REQUIRE(j.ok());  // sides of different sizes: fine in one store
  CHECK(j->rekeys.empty());
  CHECK(j->store.single_task);
  CHECK_FALSE(j->stage.partition_tasks);
  CHECK(j->by == std::vector<std::string>{"user", "id"});
  CHECK(j->stage.more_inputs == std::vector<std::string>{"right"});

  auto same = kt::PlanStateful(join, Join("", ""), Sizes({{"left", 2}, {"right", 3}}));
  REQUIRE(same.ok());
  CHECK(same->store.single_task);
  auto copart = kt::PlanStateful(join, Join("", ""), Sizes({{"left", 3}, {"right", 3}}));
  CHECK_FALSE(copart->store.single_task);
}
