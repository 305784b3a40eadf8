// kbatch: collect up to N records (or --max-bytes) into one, flushing after --within of wall
// time without waiting for N (Faust's stream.take(N, within=T)); optionally per key.
#include "batch_transform.hpp"
#include "kt/app/fail.hpp"
#include "kt/app/run_tool.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/core/time.hpp"
#include "kt/run/options.hpp"

namespace {

int Usage(const std::string& message) {
  kt::LogError("kbatch", message);
  return kt::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Collect up to N records into one record (a JSON array of their values, or their NDJSON lines), "
      "written when N are in, after --within of wall time, or at --max-bytes; per key with --by. Faust's "
      "take(N, within=T).",
      "kbatch"};
  kt::CommonOptions common;
  kt::kbatch::BatchOptions opt;
  std::string within, as = "array", by;
  int64_t max_bytes = 0;
  app.add_option("--max", opt.max, "Records per batch (N > 0)")->required();
  app.add_option("--within", within,
                 "Write a batch this long after its first record (wall time), even if not full");
  app.add_option("--max-bytes", max_bytes, "Write a batch once its values reach this many bytes");
  app.add_option("--as", as,
                 "array: a JSON array of the values (default); lines: their NDJSON lines in one value")
      ->check(CLI::IsMember({"array", "lines"}));
  app.add_option("--by", by, "One batch per key of this expression (the output's key), e.g. user");
  app.add_option("--seed", opt.seed, "Seed for random() in --by")->capture_default_str();
  kt::AddCommonOptions(app, common, kt::kOptAll);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  if (opt.max <= 0)
    return Usage("--max must be a positive number of records, not " + std::to_string(opt.max));
  if (app.count("--max-bytes")) {
    if (max_bytes <= 0) return Usage("--max-bytes must be positive, not " + std::to_string(max_bytes));
    opt.max_bytes = max_bytes;
  }
  if (!within.empty()) {
    auto d = kt::ParseDuration(within);
    if (!d.ok()) return Usage("--within: " + d.status().message());
    if (*d <= 0) return Usage("--within must be positive");
    opt.within_ms = *d;
  }
  if (!by.empty()) {
    auto e = kt::expr::Expr::Parse(by);
    if (!e.ok()) return Usage("--by: " + e.status().message());
    opt.by = std::move(*e);
  }
  opt.lines = as == "lines";
  opt.json_values = common.value_format.rfind("json", 0) == 0;
  kt::kbatch::BatchTransform transform(std::move(opt));
  auto plan = kt::PlanRun("kbatch", common);
  if (!plan.ok()) return kt::FailWith("kbatch", plan.status());
  return kt::RunTool(*plan, transform);
}
