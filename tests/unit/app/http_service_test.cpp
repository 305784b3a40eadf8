// --http: its address, the client id that advertises it, and the server answering.
#include "kt/app/http_service.hpp"

#include <httplib.h>

#include <catch2/catch.hpp>

#include "kt/core/time.hpp"
#include "kt/run/monitor.hpp"

TEST_CASE("--http addresses") {
  auto a = kt::ParseHttpAddress(":9464");
  REQUIRE(a.ok());
  CHECK(a->host.empty());
  CHECK(a->port == 9464);
  a = kt::ParseHttpAddress("127.0.0.1:0");
  REQUIRE(a.ok());
  CHECK(a->host == "127.0.0.1");
  CHECK(a->port == 0);
  a = kt::ParseHttpAddress("[::1]:80");
  REQUIRE(a.ok());
  CHECK(a->host == "::1");
  CHECK(kt::ParseHttpAddress("9464")->port == 9464);
  for (const char* bad : {"", "host:", "host:http", ":65536", ":-1", "nonsense"}) {
    INFO(bad);
    auto r = kt::ParseHttpAddress(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().IsInvalidArgument());
  }
  std::string id = kt::AdvertisingClientId("ktable", "h:1");
  CHECK(kt::AdvertisedAddress(id) == "h:1");
  CHECK(kt::AdvertisedAddress("ktable").empty());
}

TEST_CASE("--http serves metrics and health from the monitor") {
  kt::RunPlan plan;
  plan.tool = "kmap";
  plan.http = "127.0.0.1:0";
  plan.quiet = true;
  auto address = kt::StartHttpService(plan);
  REQUIRE(address.ok());
  CHECK(kt::StartHttpService(plan).value() == *address);  // once per process
  int id = kt::Monitor::Instance().Register("kmap");
  kt::StageSnapshot s;
  s.stage = "kmap";
  s.assigned_once = true;
  s.published_ms = kt::NowMs();
  s.stats.in = 3;
  s.partitions[{"", -1}].in = 3;
  kt::Monitor::Instance().Publish(id, s);
  httplib::Client cli("http://" + *address);
  auto m = cli.Get("/metrics");
  REQUIRE(m);
  CHECK(m->status == 200);
  CHECK(m->body.find(R"(ktools_records_in_total{tool="kmap",stage="kmap",topic="",partition="-1"} 3)") !=
        std::string::npos);
  auto live = cli.Get("/health/live");
  REQUIRE(live);
  CHECK(live->status == 200);
  auto ready = cli.Get("/health/ready");  // stdin to stdout: no broker to reach
  REQUIRE(ready);
  CHECK(ready->body.find("\"ready\":") != std::string::npos);
  auto none = cli.Get("/state/x");  // a running stage that keeps no state
  REQUIRE(none);
  CHECK(none->status == 404);
  s.running = false;
  kt::Monitor::Instance().Publish(id, s);
}
