// kgroupby: re-key records by an expression and write them co-partitioned by the new key.
#include <CLI/CLI.hpp>

#include "kt/app/fail.hpp"
#include "kt/app/run_tool.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/run/options.hpp"
#include "kt/stream/rekey.hpp"

namespace kt::kgroupby {

// The tool's entry point: tools/tool_main.cpp's main() calls it.
int Main(int argc, char** argv) {
  CLI::App app{
      "Re-key records by EXPR and write them partitioned by the new key (murmur2, like the "
      "Java client), creating the output topic with the input's partition count.",
      "kgroupby"};
  kt::CommonOptions common;
  std::string by;
  uint64_t seed = 0;
  app.add_option("--by", by, "The new key: an expression, e.g. uri")->required();
  app.add_option("--seed", seed, "Seed for random() in the expression")->capture_default_str();
  kt::AddCommonOptions(app, common, kt::kOptAll);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  auto e = kt::expr::Expr::Parse(by);
  if (!e.ok()) return kt::FailWith("kgroupby", kt::Status::InvalidArgument("--by: " + e.status().message()));
  kt::RekeyTransform transform(std::move(*e), seed);
  auto plan = kt::PlanRun("kgroupby", common);
  if (!plan.ok()) return kt::FailWith("kgroupby", plan.status());
  return kt::RunTool(*plan, transform);
}

}  // namespace kt::kgroupby
