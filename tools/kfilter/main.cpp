// kfilter: keep the records for which an expression is true.
#include <CLI/CLI.hpp>

#include "filter_transform.hpp"
#include "kt/app/fail.hpp"
#include "kt/app/run_tool.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/run/options.hpp"

namespace kt::kfilter {

// The tool's entry point: tools/tool_main.cpp's main() calls it.
int Main(int argc, char** argv) {
  CLI::App app{"Keep the records for which EXPR is true (see EXPRESSIONS in ktools(7)).", "kfilter"};
  kt::CommonOptions common;
  std::string source;
  bool negate = false;
  uint64_t seed = 0;
  app.add_option("expr", source, "The expression, e.g. 'number >= 100'")->required();
  app.add_flag("--not", negate, "Keep the records for which EXPR is false instead");
  app.add_option("--seed", seed, "Seed for random() in the expression")->capture_default_str();
  kt::AddCommonOptions(app, common, kt::kOptAll);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  auto e = kt::expr::Expr::Parse(source);
  if (!e.ok()) return kt::FailWith("kfilter", kt::Status::InvalidArgument(e.status().message()));
  kt::kfilter::FilterTransform transform(std::move(*e), negate, seed);
  auto plan = kt::PlanRun("kfilter", common);
  if (!plan.ok()) return kt::FailWith("kfilter", plan.status());
  return kt::RunTool(*plan, transform);
}

}  // namespace kt::kfilter
