#include "kt/run/metrics_text.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <functional>

#include "kt/core/time.hpp"

namespace kt {

namespace {

// A label value: backslash, double quote and newline escaped.
std::string Escape(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"')
      out += '\\', out += c;
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string Number(double v) {  // the shortest text that reads back as v
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

class MetricsWriter {
 public:
  explicit MetricsWriter(std::string tool) : tool_(std::move(tool)) {}
  // One metric family: its HELP and TYPE lines, then each series `series` adds.
  void Family(const std::string& name, const char* type, const std::string& help,
              const std::function<void()>& series) {
    name_ = name;
    out_ += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
    series();
  }
  // A series of the current family; `labels` are "k=\"v\"" pairs already escaped, after tool and stage.
  void Series(const std::string& stage, const std::string& labels, double value, const char* suffix = "") {
    out_ += name_ + suffix + "{tool=\"" + Escape(tool_) + "\"";
    if (!stage.empty()) out_ += ",stage=\"" + Escape(stage) + "\"";
    if (!labels.empty()) out_ += "," + labels;
    out_ += "} " + Number(value) + "\n";
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string tool_, name_, out_;
};

const double process_start_seconds = static_cast<double>(NowMs()) / 1000.0;

std::string TopicPartitionLabels(const TopicPartition& tp) {
  return "topic=\"" + Escape(tp.topic) + "\",partition=\"" + std::to_string(tp.partition) + "\"";
}

}  // namespace

ProcessUsage ReadProcessUsage() {
  ProcessUsage u;
  rusage r{};
  if (getrusage(RUSAGE_SELF, &r) == 0) {
    u.cpu_seconds = static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
                    static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
    u.max_rss_bytes = static_cast<int64_t>(r.ru_maxrss) * 1024;
  }
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    long size = 0, resident = 0;
    if (std::fscanf(f, "%ld %ld", &size, &resident) == 2) u.rss_bytes = resident * sysconf(_SC_PAGESIZE);
    std::fclose(f);
  }
  u.max_rss_bytes = std::max(u.max_rss_bytes, u.rss_bytes);  // the kernel updates its peak lazily
  u.start_seconds = process_start_seconds;
  return u;
}

std::string MetricsText(const std::string& tool, const std::vector<StageSnapshot>& stages,
                        const ProcessUsage& process) {
  MetricsWriter w(tool);
  auto per_partition = [&](const std::string& name, const char* type, const std::string& help,
                           int64_t PartitionCounters::*field, bool skip_unknown = false) {
    w.Family(name, type, help, [&] {
      for (const StageSnapshot& s : stages)
        for (auto& [tp, c] : s.partitions)
          if (!skip_unknown || c.*field >= 0)
            w.Series(s.stage, TopicPartitionLabels(tp), static_cast<double>(c.*field));
    });
  };
  auto per_stage = [&](const std::string& name, const char* type, const std::string& help,
                       const std::function<double(const StageSnapshot&)>& value) {
    w.Family(name, type, help, [&] {
      for (const StageSnapshot& s : stages) w.Series(s.stage, "", value(s));
    });
  };
  per_partition("ktools_records_in_total", "counter", "Input records read (good and bad).",
                &PartitionCounters::in);
  per_partition("ktools_records_skipped_total", "counter", "Bad input records skipped (--on-error skip).",
                &PartitionCounters::skipped);
  per_partition("ktools_records_dead_lettered_total", "counter",
                "Input records sent to the dead-letter topic.", &PartitionCounters::dead_lettered);
  per_partition("ktools_consumer_lag", "gauge", "Records of the input partition not yet processed.",
                &PartitionCounters::lag, true);
  w.Family("ktools_records_out_total", "counter", "Output records sent.", [&] {
    for (const StageSnapshot& s : stages)
      w.Series(s.stage, "topic=\"" + Escape(s.output) + "\"", static_cast<double>(s.stats.out));
  });
  per_stage(
      "ktools_records_bad_total", "counter", "Bad input records (skipped or dead-lettered).",
      [](const StageSnapshot& s) { return static_cast<double>(s.stats.skipped + s.stats.dead_lettered); });
  per_stage("ktools_input_bytes_total", "counter", "Input value bytes read.",
            [](const StageSnapshot& s) { return static_cast<double>(s.stats.bytes_in); });
  // The Transform's own counters: records filtered out, late records, restored changelog
  // records, state changes, ...
  std::vector<std::string> names;
  for (const StageSnapshot& s : stages)
    for (auto& [name, v] : s.counters)
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  for (const std::string& name : names) {
    w.Family("ktools_" + name + "_total", "counter", "The tool's " + name + " counter (as in --stats json).",
             [&] {
               for (const StageSnapshot& s : stages)
                 for (auto& [n, v] : s.counters)
                   if (n == name) w.Series(s.stage, "", static_cast<double>(v));
             });
  }
  per_stage("ktools_commits_total", "counter", "Commits that went through.",
            [](const StageSnapshot& s) { return static_cast<double>(s.commits); });
  per_stage("ktools_commit_failures_total", "counter", "Commits that failed.",
            [](const StageSnapshot& s) { return static_cast<double>(s.commit_failures); });
  w.Family("ktools_commit_duration_seconds", "summary", "Time spent in commits that went through.", [&] {
    for (const StageSnapshot& s : stages) {
      w.Series(s.stage, "", s.commit_seconds, "_sum");
      w.Series(s.stage, "", static_cast<double>(s.commits), "_count");
    }
  });
  per_stage("ktools_delivery_errors_total", "counter", "Records the broker did not take.",
            [](const StageSnapshot& s) { return static_cast<double>(s.stats.delivery_errors); });
  per_stage("ktools_rebalances_total", "counter", "Partition assignments, revocations and losses seen.",
            [](const StageSnapshot& s) { return static_cast<double>(s.rebalances); });
  per_stage("ktools_assigned_partitions", "gauge", "Input partitions held.",
            [](const StageSnapshot& s) { return static_cast<double>(s.assigned.size()); });
  per_stage("ktools_restoring_partitions", "gauge", "Partitions whose state is restoring from its changelog.",
            [](const StageSnapshot& s) { return static_cast<double>(s.restoring); });
  per_stage("ktools_recovering", "gauge", "1 while the stage redoes its work after an outage.",
            [](const StageSnapshot& s) { return s.recovering ? 1.0 : 0.0; });
  auto store_label = [](const StoreSize& z) {
    return "partition=\"" + std::to_string(z.partition) + "\",role=\"" + (z.standby ? "standby" : "active") +
           "\"";
  };
  w.Family("ktools_state_keys", "gauge", "Keys in a partition's state store (RocksDB: an estimate).", [&] {
    for (const StageSnapshot& s : stages)
      for (const StoreSize& z : s.stores) w.Series(s.stage, store_label(z), static_cast<double>(z.keys));
  });
  w.Family("ktools_state_bytes", "gauge",
           "Bytes of a partition's state store (RocksDB: live data and memtables).", [&] {
             for (const StageSnapshot& s : stages)
               for (const StoreSize& z : s.stores)
                 w.Series(s.stage, store_label(z), static_cast<double>(z.bytes));
           });
  per_stage("ktools_standby_partitions", "gauge",
            "Other copies' partitions whose state this copy keeps warm.", [](const StageSnapshot& s) {
              return static_cast<double>(std::count_if(s.stores.begin(), s.stores.end(),
                                                       [](const StoreSize& z) { return z.standby; }));
            });
  std::string text = w.Take();
  // The process: the names every Prometheus client library uses, without tool labels.
  text +=
      "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
      "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total " +
      Number(process.cpu_seconds) +
      "\n# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
      "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes " +
      std::to_string(process.rss_bytes) +
      "\n# HELP process_max_resident_memory_bytes Peak resident memory size in bytes.\n"
      "# TYPE process_max_resident_memory_bytes gauge\nprocess_max_resident_memory_bytes " +
      std::to_string(process.max_rss_bytes) +
      "\n# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n"
      "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds " +
      Number(process.start_seconds) + "\n";
  return text;
}

}  // namespace kt
