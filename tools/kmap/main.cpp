// kmap: reshape JSON records — set, keep, drop and rename fields, rewrite keys.
#include <CLI/CLI.hpp>
#include <map>

#include "kt/app/fail.hpp"
#include "kt/app/run_tool.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/run/options.hpp"
#include "map_transform.hpp"

namespace kt::kmap {

// The tool's entry point: tools/tool_main.cpp's main() calls it.
int Main(int argc, char** argv) {
  CLI::App app{
      "Reshape JSON records: set, keep, drop and rename fields, rewrite keys; steps run in "
      "command-line order.",
      "kmap"};
  kt::CommonOptions common;
  std::vector<std::string> unused;
  uint64_t seed = 0;
  using K = kt::kmap::MapStep::Kind;
  std::vector<std::pair<CLI::Option*, K>> step_opts = {
      {app.add_option("--set", unused, "Set FIELD (dotted path) to the value of EXPR: FIELD=EXPR"), K::kSet},
      {app.add_option("--keep", unused, "Keep only these top-level fields (comma-separated)"), K::kKeep},
      {app.add_option("--drop", unused, "Remove these top-level fields (comma-separated)"), K::kDrop},
      {app.add_option("--rename", unused, "Rename field OLD to NEW: OLD=NEW"), K::kRename},
      {app.add_option("--key", unused, "Set the record key to the value of EXPR (no repartitioning)"),
       K::kKey},
  };
  for (auto& [opt, kind] : step_opts) opt->allow_extra_args(false)->type_name("ARG");
  app.add_option("--seed", seed, "Seed for random() in expressions")->capture_default_str();
  kt::AddCommonOptions(app, common, kt::kOptAll);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  // Steps in command-line order: each occurrence of a step option is one step.
  std::vector<kt::kmap::MapStep> steps;
  std::map<CLI::Option*, size_t> seen;
  for (CLI::Option* opt : app.parse_order()) {
    for (auto& [o, kind] : step_opts)
      if (o == opt) steps.push_back({kind, opt->results().at(seen[opt]++)});
  }
  auto transform = kt::kmap::MapTransform::Create(steps, seed);
  if (!transform.ok()) return kt::FailWith("kmap", kt::Status::InvalidArgument(transform.status().message()));
  auto plan = kt::PlanRun("kmap", common);
  if (!plan.ok()) return kt::FailWith("kmap", plan.status());
  return kt::RunTool(*plan, **transform);
}

}  // namespace kt::kmap
