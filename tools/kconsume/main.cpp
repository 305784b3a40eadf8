// kconsume: print a topic's records on stdout, like kcat -C.
#include "kt/run/options.hpp"
#include "kt/run/passthrough.hpp"
#include "kt/run/tool.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Print a topic's records on stdout (bare values, or -J envelopes).", "kconsume"};
  kt::CommonOptions common;
  kt::ToolSpec spec{.name = "kconsume"};
  spec.group_optional = true;
  app.add_option("topic", common.input, "Topic to read")->required();
  app.add_option("-p,--partition", spec.partitions, "Read only this partition (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--until", spec.until, "Stop each partition at the first record at/after this time (now, RFC 3339, -DURATION)");
  app.add_flag("--pretty", spec.pretty, "Indent JSON values");
  kt::AddCommonOptions(app, common,
                       kt::kOptGroup | kt::kOptFrom | kt::kOptExit | kt::kOptCount | kt::kOptEnvelope |
                           kt::kOptFormats | kt::kOptSchema | kt::kOptErrors | kt::kOptKafka |
                           kt::kOptVerbosity);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  common.output = "-";
  kt::Codec vc = kt::Codec::Parse(common.value_format).ok() ? *kt::Codec::Parse(common.value_format) : kt::Codec();
  kt::PassThrough transform(vc.IsJson());
  return kt::RunTool(std::move(spec), common, transform);
}
