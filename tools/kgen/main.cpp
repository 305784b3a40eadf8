// kgen: synthetic click events or taxi rides, to a topic or stdout.
#include <CLI/CLI.hpp>

#include "gen_source.hpp"
#include "kt/app/fail.hpp"
#include "kt/app/run_plan.hpp"
#include "kt/app/run_tool.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/core/time.hpp"
#include "kt/run/options.hpp"
#include "kt/run/passthrough.hpp"

namespace kt::kgen {

// The tool's entry point: tools/tool_main.cpp's main() calls it.
int Main(int argc, char** argv) {
  CLI::App app{"Generate synthetic click events or NYC taxi rides (deterministic per seed).", "kgen"};
  kt::CommonOptions common;
  std::string kind, start;
  double rate = 0;
  uint64_t seed = 1;
  app.add_option("kind", kind, "What to generate: clickevents or taxi")
      ->required()
      ->check(CLI::IsMember({"clickevents", "taxi"}));
  app.add_option("--rate", rate, "Records per second (default: as fast as possible)")->check(kt::AtLeast(0));
  app.add_option("--seed", seed, "Random seed: the same seed gives the same records")->capture_default_str();
  app.add_option("--start", start,
                 "Event time of the first record: RFC 3339, or now (with --rate: every record at the "
                 "wall clock) (default 2026-11-20T09:00:00Z for clickevents, 2020-01-01T00:00:00Z for taxi)");
  kt::AddCommonOptions(app, common,
                       kt::kOptOutput | kt::kOptCount | kt::kOptEnvelope | kt::kOptKafka | kt::kOptVerbosity |
                           kt::kOptStats | kt::kOptCreate);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  if (start.empty()) start = kind == "taxi" ? "2020-01-01T00:00:00Z" : "2026-11-20T09:00:00Z";
  auto start_ms = start == "now" ? kt::Result<int64_t>(kt::NowMs()) : kt::ParseRfc3339(start);
  if (!start_ms.ok())
    return kt::FailWith("kgen", kt::Status::InvalidArgument("--start: " + start_ms.status().message()));
  auto gen = kt::kgen::MakeGenerator(kind, seed, *start_ms);
  gen->SetLive(start == "now" && rate > 0);
  kt::SourceSpec source;
  source.source = std::make_unique<kt::kgen::GenSource>(std::move(gen), rate);
  kt::PassThrough transform;
  auto plan = kt::PlanRun("kgen", common);
  if (!plan.ok()) return kt::FailWith("kgen", plan.status());
  return kt::RunTool(*plan, transform, std::move(source));
}

}  // namespace kt::kgen
