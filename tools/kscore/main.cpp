// kscore: add a score field computed by an expression (or a random score).
#include "kt/exit_code.hpp"
#include "kt/log.hpp"
#include "kt/options.hpp"
#include "kt/strings.hpp"
#include "kt/tool.hpp"
#include "score_transform.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Set a score field on each record: the value of EXPR, or a random number.", "kscore"};
  kt::CommonOptions common;
  kt::ScoreOptions so;
  std::string random_int;
  app.add_option("expr", so.expr, "The score expression, e.g. 'number * 0.5'");
  app.add_option("--field", so.field, "Field to set (dotted path)")->capture_default_str();
  app.add_flag("--random", so.random, "Score uniformly at random in [0,1)");
  app.add_option("--random-int", random_int, "Score with a random integer in [A,B]: A,B");
  app.add_option("--seed", so.seed, "Seed for --random, --random-int and random()")->capture_default_str();
  kt::AddCommonOptions(app, common, kt::kOptAll);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  if (!random_int.empty()) {
    auto parts = kt::Split(random_int, ',');
    int64_t a, b;
    if (parts.size() != 2 || !kt::ParseInt64(kt::Trim(parts[0]), &a) || !kt::ParseInt64(kt::Trim(parts[1]), &b)) {
      kt::LogError("kscore", "--random-int expects A,B (integers), got '" + random_int + "'");
      return kt::kExitUsage;
    }
    so.random_int = std::make_pair(a, b);
  }
  auto transform = kt::ScoreTransform::Create(so);
  if (!transform.ok()) {
    kt::LogError("kscore", transform.status().message());
    return kt::kExitUsage;
  }
  return kt::RunTool({.name = "kscore"}, common, **transform);
}
