// kconsume: print a topic's records on stdout, like kcat -C.
#include <CLI/CLI.hpp>

#include "kt/app/fail.hpp"
#include "kt/app/run_tool.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/core/time.hpp"
#include "kt/io/record_format.hpp"
#include "kt/kafka/start_spec.hpp"
#include "kt/kafka/topic_pattern.hpp"
#include "kt/run/options.hpp"
#include "kt/run/passthrough.hpp"
#include "last_records.hpp"

namespace kt::kconsume {

// The tool's entry point: tools/tool_main.cpp's main() calls it.
int Main(int argc, char** argv) {
  CLI::App app{"Print a topic's records on stdout (bare values, or -J envelopes).", "kconsume"};
  kt::CommonOptions common;
  kt::SourceSpec source;
  kt::SinkSpec sink;
  std::string until;
  std::vector<std::string> topics;
  int64_t last = -1;
  app.add_option("topic", topics,
                 "Topics to read: names, shell patterns ('clicks*') or regular expressions ('^clicks-.*')")
      ->required();
  CLI::Option* partition =
      app.add_option("-p,--partition", source.partitions, "Read only this partition (repeatable; one topic)")
          ->allow_extra_args(false);
  CLI::Option* last_option =
      app.add_option("--last", last, "Print the last N records of all partitions, in time order, and exit")
          ->check(CLI::NonNegativeNumber);
  app.add_option(
      "--until", until,
      "Stop each partition at the first record at/after this time (now, RFC 3339, -DURATION), or at "
      "its end once the time has passed");
  std::string format;
  app.add_flag("--pretty", sink.pretty, "Indent JSON values");
  app.add_option("-f,--format", format,
                 "Print each record through a format, as kcat -f: %s value, %k key, %t topic, %p partition, "
                 "%o offset, %T timestamp, %h headers, %S/%K sizes; \\n \\t (no newline added)");
  // Any topic prints: JSON as JSON, text as text, other bytes as base64 (--value-format json
  // validates instead).
  common.key_format = "auto";
  common.value_format = "auto";
  kt::AddCommonOptions(app, common,
                       kt::kOptGroup | kt::kOptFrom | kt::kOptExit | kt::kOptCount | kt::kOptEnvelope |
                           kt::kOptFormats | kt::kOptSchema | kt::kOptErrors | kt::kOptKafka |
                           kt::kOptVerbosity | kt::kOptStats);
  last_option->excludes("--from")->excludes("-G")->excludes("-n");
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  for (const std::string& t : topics)
    if (kt::Status s = kt::CheckTopicPattern(t); !s.ok()) return kt::FailWith("kconsume", s);
  common.input = topics[0];
  source.topic_patterns = true;
  if (*partition && (topics.size() > 1 || kt::IsTopicPattern(topics[0])))
    return kt::FailWith("kconsume",
                        kt::Status::InvalidArgument(
                            "-p picks partitions of one topic: name one topic, not several or a pattern"));
  if (*last_option) {
    common.from = "offset:-" + std::to_string(last);
    common.exit_at_end = true;
  }

  if (!format.empty()) {
    auto parts = kt::ParseRecordFormat(format);
    if (!parts.ok()) return kt::FailWith("kconsume", parts.status());
    if (common.envelope || !common.key_delimiter.empty())
      return kt::FailWith("kconsume",
                          kt::Status::InvalidArgument("-f says what to print: not with -J or -K"));
    sink.format = std::move(*parts);
  }
  if (!until.empty()) {
    auto t = kt::ParseTimeSpec(until, kt::NowMs());
    if (!t.ok())
      return kt::FailWith("kconsume", kt::Status::InvalidArgument("--until: " + t.status().message()));
    source.until_ms = *t;
  }
  common.output = "-";
  kt::PassThrough transform;
  // Without -G: read everything, commit nothing (like kcat -C).
  auto plan = kt::PlanRun("kconsume", common);
  if (!plan.ok()) return kt::FailWith("kconsume", plan.status());
  plan->more_inputs.assign(topics.begin() + 1, topics.end());
  if (*last_option) {
    kt::kconsume::LastRecords last_records(last);
    return kt::RunTool(*plan, last_records, std::move(source), sink);
  }
  return kt::RunTool(*plan, transform, std::move(source), sink);
}

}  // namespace kt::kconsume
