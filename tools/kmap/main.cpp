// kmap: reshape JSON records — keep, drop and rename fields.
#include "kt/exit_code.hpp"
#include "kt/log.hpp"
#include "kt/options.hpp"
#include "kt/tool.hpp"
#include "map_transform.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Reshape JSON records: keep, drop and rename top-level fields.", "kmap"};
  kt::CommonOptions common;
  kt::MapOptions mo;
  app.add_option("--keep", mo.keep, "Keep only these fields (comma-separated, repeatable)")->delimiter(',');
  app.add_option("--drop", mo.drop, "Remove these fields (comma-separated, repeatable)")->delimiter(',');
  app.add_option("--rename", mo.rename, "Rename field OLD to NEW (OLD=NEW, repeatable)");
  kt::AddCommonOptions(app, common, kt::kOptAll);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  auto transform = kt::MapTransform::Create(mo);
  if (!transform.ok()) {
    kt::LogError("kmap", transform.status().message());
    return kt::kExitUsage;
  }
  return kt::RunTool({.name = "kmap"}, common, *transform);
}
