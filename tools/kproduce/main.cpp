// kproduce: write records from a file or stdin to a topic, like kcat -P.
#include <CLI/CLI.hpp>

#include "kt/app/fail.hpp"
#include "kt/app/run_tool.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/run/options.hpp"
#include "produce_transform.hpp"

namespace kt::kproduce {

// The tool's entry point: tools/tool_main.cpp's main() calls it.
int Main(int argc, char** argv) {
  CLI::App app{"Write records from a file or stdin to a topic (NDJSON, -J envelopes, lines, CSV).",
               "kproduce"};
  kt::CommonOptions common;
  kt::kproduce::ProduceOptions po;
  std::string file = "-", format = "ndjson", key;
  app.add_option("topic", common.output, "Topic to write")->required();
  app.add_option("file", file, "Input file, or - for stdin")->capture_default_str();
  app.add_option("--format", format, "Input format: ndjson, lines, csv (-J: envelopes)")
      ->check(CLI::IsMember({"ndjson", "lines", "csv"}))
      ->capture_default_str();
  app.add_option("-k,--key", key, "Use KEY as every record's key");
  app.add_option("--key-field", po.key_field, "Take the key from this top-level field of the value");
  app.add_option("-H,--header", po.headers, "Add header name=value (repeatable)")->allow_extra_args(false);
  app.add_option("-p,--partition", po.partition, "Write to this partition (default: by key, murmur2)");
  double rate = 0;
  app.add_option("--rate", rate, "Records per second, paced from the first (default: as fast as they come)")
      ->check(kt::AtLeast(0));
  kt::AddCommonOptions(app, common,
                       kt::kOptCount | kt::kOptEnvelope | kt::kOptFormats | kt::kOptSchema | kt::kOptErrors |
                           kt::kOptKafka | kt::kOptVerbosity | kt::kOptCreate | kt::kOptEos | kt::kOptStats);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  if (app.count("--key")) po.key = key;
  if (format == "lines" && !app.count("--value-format")) common.value_format = "raw";
  auto vc = kt::Codec::Parse(common.value_format);
  auto transform = kt::kproduce::ProduceTransform::Create(po, vc.ok() && vc->IsJson());
  if (!transform.ok())
    return kt::FailWith("kproduce", kt::Status::InvalidArgument(transform.status().message()));
  kt::SourceSpec source;
  source.file = file;
  source.rate = rate;
  source.line_format = format == "csv"     ? kt::LineFormat::kCsv
                       : format == "lines" ? kt::LineFormat::kLines
                                           : kt::LineFormat::kNdjson;
  auto plan = kt::PlanRun("kproduce", common);
  if (!plan.ok()) return kt::FailWith("kproduce", plan.status());
  return kt::RunTool(*plan, *transform, std::move(source));
}

}  // namespace kt::kproduce
