// kbranch: route each record to the topic of the first route whose expression is true.
#include <CLI/CLI.hpp>

#include "branch_transform.hpp"
#include "kt/app/fail.hpp"
#include "kt/app/run_tool.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/run/options.hpp"

namespace kt::kbranch {

// The tool's entry point: tools/tool_main.cpp's main() calls it.
int Main(int argc, char** argv) {
  CLI::App app{
      "Route records to topics by expressions: the first matching --route wins (--all: "
      "every match); others go to --default or are dropped.",
      "kbranch"};
  kt::CommonOptions common;
  std::vector<std::string> routes;
  std::string default_topic;
  bool all = false;
  uint64_t seed = 0;
  app.add_option("-r,--route", routes, "TOPIC=EXPR (repeatable, tried in order)")->allow_extra_args(false);
  app.add_option("--default", default_topic, "Topic for records no route matches (else they are dropped)");
  app.add_flag("--all", all, "Send a record to every matching route, not just the first");
  app.add_option("--seed", seed, "Seed for random() in expressions")->capture_default_str();
  kt::AddCommonOptions(app, common, kt::kOptAll);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  auto transform = kt::kbranch::BranchTransform::Create(routes, default_topic, all, seed);
  if (!transform.ok())
    return kt::FailWith("kbranch", kt::Status::InvalidArgument(transform.status().message()));
  // Routes name Kafka topics; only an explicit -o - sends (routed) envelopes to stdout.
  if (!app.count("--output")) common.output = "";
  auto plan = kt::PlanRun("kbranch", common, {.outputs = (*transform)->Topics()});
  if (!plan.ok()) return kt::FailWith("kbranch", plan.status());
  return kt::RunTool(*plan, **transform);
}

}  // namespace kt::kbranch
