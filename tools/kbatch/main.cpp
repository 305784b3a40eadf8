// kbatch: collect up to N records (or --max-bytes) into one, flushing after --within of wall
// time without waiting for N (Faust's stream.take(N, within=T)); optionally per key.
#include <CLI/CLI.hpp>

#include "batch_options.hpp"
#include "kt/app/fail.hpp"
#include "kt/app/run_tool.hpp"

namespace kt::kbatch {

// The tool's entry point: tools/tool_main.cpp's main() calls it.
int Main(int argc, char** argv) {
  CLI::App app{
      "Collect up to N records into one record (a JSON array of their values, or their NDJSON lines), "
      "written when N are in, after --within of wall time, or at --max-bytes; per key with --by. Faust's "
      "take(N, within=T).",
      "kbatch"};
  kt::CommonOptions common;
  kt::kbatch::BatchFlags flags;
  kt::kbatch::AddBatchFlags(app, flags);
  kt::AddCommonOptions(app, common, kt::kOptAll);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  auto opt = kt::kbatch::ResolveBatchFlags(flags, common.value_format);
  if (!opt.ok()) return kt::FailWith("kbatch", opt.status());
  auto plan = kt::PlanRun("kbatch", common);
  if (!plan.ok()) return kt::FailWith("kbatch", plan.status());
  kt::kbatch::BatchTransform transform(std::move(*opt));
  return kt::RunTool(*plan, transform);
}

}  // namespace kt::kbatch
