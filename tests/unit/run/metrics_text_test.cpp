// The Prometheus text of stage snapshots: names, labels (escaped), values.
#include "kt/run/metrics_text.hpp"

#include <catch2/catch.hpp>

namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

}  // namespace

TEST_CASE("metrics text: per partition, per stage, the tool's counters, the process") {
  kt::StageSnapshot s;
  s.stage = "ktable";
  s.output = "out";
  s.stats.in = 12;
  s.stats.out = 10;
  s.stats.skipped = 1;
  s.stats.dead_lettered = 1;
  s.partitions[{"in\"put", 3}] = {.in = 12, .skipped = 1, .dead_lettered = 1, .lag = 5};
  s.partitions[{"in\"put", 4}] = {.in = 0, .skipped = 0, .dead_lettered = 0, .lag = -1};
  s.counters = {{"restored", 42}};
  s.commits = 4;
  s.commit_seconds = 0.25;
  s.assigned = {{"in\"put", 3}, {"in\"put", 4}};
  s.stores = {{3, 100, 4096}};
  kt::ProcessUsage u{
      .cpu_seconds = 1.5, .rss_bytes = 1 << 20, .max_rss_bytes = 2 << 20, .start_seconds = 1e9};
  std::string t = kt::MetricsText("ktable", {s}, u);
  CHECK(Has(t, "# TYPE ktools_records_in_total counter"));
  CHECK(Has(t, R"(ktools_records_in_total{tool="ktable",stage="ktable",topic="in\"put",partition="3"} 12)"));
  CHECK(Has(t, R"(ktools_consumer_lag{tool="ktable",stage="ktable",topic="in\"put",partition="3"} 5)"));
  // an unknown lag is left out, not shown as -1
  CHECK(t.find(R"(ktools_consumer_lag{tool="ktable",stage="ktable",topic="in\"put",partition="4"})") ==
        std::string::npos);
  CHECK(Has(t, R"(ktools_records_out_total{tool="ktable",stage="ktable",topic="out"} 10)"));
  CHECK(Has(t, R"(ktools_records_bad_total{tool="ktable",stage="ktable"} 2)"));
  CHECK(Has(t, R"(ktools_restored_total{tool="ktable",stage="ktable"} 42)"));
  CHECK(Has(t, R"(ktools_commit_duration_seconds_sum{tool="ktable",stage="ktable"} 0.25)"));
  CHECK(Has(t, R"(ktools_commit_duration_seconds_count{tool="ktable",stage="ktable"} 4)"));
  CHECK(Has(t, R"(ktools_assigned_partitions{tool="ktable",stage="ktable"} 2)"));
  CHECK(Has(t, R"(ktools_state_keys{tool="ktable",stage="ktable",partition="3",role="active"} 100)"));
  CHECK(Has(t, R"(ktools_state_bytes{tool="ktable",stage="ktable",partition="3",role="active"} 4096)"));
  CHECK(Has(t, R"(ktools_standby_partitions{tool="ktable",stage="ktable"} 0)"));
  CHECK(Has(t, "process_cpu_seconds_total 1.5"));
  CHECK(Has(t, "process_resident_memory_bytes 1048576"));
}
