// The run plan: a command line resolved once, the default group decided in one place.
#include "kt/app/run_plan.hpp"

#include <catch2/catch.hpp>

namespace {

kt::CommonOptions Cli(const std::string& input, const std::string& output = "-") {
  kt::CommonOptions c;
  c.input = input;
  c.output = output;
  return c;
}

}  // namespace

TEST_CASE("a topic-to-topic run without -G reads in a group named after tool, input and output") {
  auto p = kt::PlanRun("kmap", Cli("clicks", "clean"));
  REQUIRE(p.ok());
  CHECK(p->group == "ktools-kmap-clicks-to-clean");
  CHECK(p->group == kt::DefaultGroup("kmap", "clicks", {"clean"}));
  CHECK(p->kafka_input());
  CHECK(p->kafka_output());
  CHECK_FALSE(p->ad_hoc());
  CHECK(p->outputs == std::vector<std::string>{"clean"});
  // Two jobs on one input with different outputs never share a group.
  CHECK(kt::PlanRun("kmap", Cli("clicks", "keyed"))->group != p->group);
}

TEST_CASE("a topic-to-stdout run without -G is ad hoc: no group, nothing committed") {
  auto p = kt::PlanRun("kfilter", Cli("clicks"));
  REQUIRE(p.ok());
  CHECK(p->group.empty());
  CHECK(p->ad_hoc());
  CHECK(p->outputs.empty());
}

TEST_CASE("-G names the group; stdin has none") {
  auto cli = Cli("clicks");
  cli.group = "mine";
  CHECK(kt::PlanRun("kmap", cli)->group == "mine");
  CHECK_FALSE(kt::PlanRun("kmap", cli)->ad_hoc());
  CHECK(kt::PlanRun("kmap", Cli("-"))->group.empty());
  CHECK_FALSE(kt::PlanRun("kmap", Cli("-"))->ad_hoc());
  CHECK(kt::PlanRun("kmap", Cli("-", "out"))->group.empty());
}

TEST_CASE("a run whose records name their topics takes its group from the topics it says it writes") {
  auto p = kt::PlanRun("kbranch", Cli("rides", ""), {.outputs = {"high", "low"}});
  REQUIRE(p.ok());
  CHECK(p->group == "ktools-kbranch-rides-to-high,low");
  CHECK(p->outputs == std::vector<std::string>{"high", "low"});
}

TEST_CASE("--partitions is carried for the topics the run creates") {
  auto cli = Cli("in", "out");
  CHECK(kt::PlanRun("kmap", cli)->partitions == 0);
  cli.partitions = 6;
  CHECK(kt::PlanRun("kmap", cli)->partitions == 6);
}

TEST_CASE("the commit interval is 5s, 100ms under exactly-once, or what --commit-interval says") {
  auto cli = Cli("in", "out");
  CHECK(kt::PlanRun("kmap", cli)->commit_interval_ms == 5000);
  cli.exactly_once = true;
  CHECK(kt::PlanRun("kmap", cli)->commit_interval_ms == 100);
  cli.commit_interval = "2s";
  cli.commit_interval_given = true;
  CHECK(kt::PlanRun("kmap", cli)->commit_interval_ms == 2000);
  cli.commit_interval = "soon";
  auto bad = kt::PlanRun("kmap", cli);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().IsInvalidArgument());
  CHECK(bad.status().message().find("--commit-interval") != std::string::npos);
}

TEST_CASE("the error policy is parsed once: --dlq implies dlq, and dlq needs a topic") {
  auto cli = Cli("in", "out");
  CHECK(kt::PlanRun("kmap", cli)->on_error == kt::ErrorPolicy::kFail);
  cli.dlq = "dead";
  CHECK(kt::PlanRun("kmap", cli)->on_error == kt::ErrorPolicy::kDlq);
  cli.on_error = "skip";
  CHECK(kt::PlanRun("kmap", cli)->on_error == kt::ErrorPolicy::kSkip);
  cli.on_error = "dlq";
  cli.dlq.clear();
  auto p = kt::PlanRun("kmap", cli);
  REQUIRE_FALSE(p.ok());
  CHECK(p.status().IsInvalidArgument());
}

TEST_CASE("a run is bounded by -e or -n") {
  auto cli = Cli("in");
  CHECK_FALSE(kt::PlanRun("kmap", cli)->bounded());
  cli.count = 0;
  CHECK(kt::PlanRun("kmap", cli)->bounded());
  cli.count = -1;
  cli.exit_at_end = true;
  CHECK(kt::PlanRun("kmap", cli)->bounded());
}

TEST_CASE("bad codecs, start specs and durations are usage errors naming the option") {
  auto cli = Cli("in");
  cli.value_format = "yaml";
  CHECK(kt::PlanRun("kmap", cli).status().IsInvalidArgument());
  cli = Cli("in");
  cli.from = "yesterday-ish";
  CHECK(kt::PlanRun("kmap", cli).status().IsInvalidArgument());
  cli = Cli("in");
  cli.max_idle = "long";
  auto p = kt::PlanRun("kmap", cli);
  CHECK(p.status().message().find("--max-idle") != std::string::npos);
}

TEST_CASE("-X dump is planned, not a property") {
  auto cli = Cli("in");
  cli.properties = {"dump", "client.id=me"};
  auto p = kt::PlanRun("kmap", cli);
  REQUIRE(p.ok());
  CHECK(p->dump_config);
  CHECK(p->kafka.Get("client.id") == "me");
}
