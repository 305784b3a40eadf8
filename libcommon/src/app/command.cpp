#include "kt/app/command.hpp"

#include <CLI/CLI.hpp>

#include "kt/app/fail.hpp"
#include "kt/app/run_plan.hpp"
#include "kt/core/exit_code.hpp"

namespace kt {

namespace {

// The options of a read-back subcommand (ktable get/dump, kwindow get/dump) that say where the
// store is: -G (required), --name (`where.store` holds the tool's default), `former_name` (the
// store name's former option, still accepted), --local, --state-dir.
void AddStoreLocationOptions(CLI::App& sub, StoreLocation& where, const std::string& tool,
                             const std::string& former_name) {
  sub.add_option("-G,--group", where.group, "The store's consumer group (as given to " + tool + " -G)")
      ->required();
  sub.add_option("--name", where.store, "The store's name (as given to " + tool + " --name)")
      ->capture_default_str();
  AddRenamedOption(sub, former_name, "--name", where.store);
  sub.add_flag("--local", where.local, "Read the local state stores instead of the changelog");
  sub.add_option("--state-dir", where.state_dir, "State directory for --local");
}

}  // namespace

CLI::App* AddCommand(CLI::App& app, Command& cmd) {
  CLI::App* sub = app.add_subcommand(cmd.Name(), cmd.Summary());
  cmd.Setup(*sub);
  return sub;
}

StoreCommand::StoreCommand(CommonOptions* common, std::string tool, std::string store,
                           std::string former_name)
    : common_(common), tool_(std::move(tool)), former_name_(std::move(former_name)) {
  where_.store = std::move(store);
}

void StoreCommand::Setup(CLI::App& sub) {
  AddStoreLocationOptions(sub, where_, tool_, former_name_);
  SetupQuery(sub);
  AddCommonOptions(sub, *common_, kOptKafka | kOptVerbosity);
}

const StoreLocation& StoreCommand::Where(const CommandContext& ctx) {
  where_.verbose = ctx.common->verbose;
  return where_;
}

int RunCommand(const std::string& tool, const CommonOptions& common, Command& cmd, bool json) {
  if (Status s = cmd.Check(); !s.ok()) return FailWith(tool, s);
  auto cfg = KafkaConfigOf(common);
  if (!cfg.ok()) return FailWith(tool, cfg.status());
  if (DumpConfigIfAsked(common, *cfg)) return kExitOk;
  CommandContext ctx{tool, std::move(*cfg), &common, json};
  return FailWith(tool, cmd.Run(ctx));
}

}  // namespace kt

namespace kt {

int RunCommandTool(CLI::App& app, const std::vector<std::unique_ptr<Command>>& commands, int argc,
                   char** argv) {
  CommonOptions common;
  bool json = false;
  std::vector<CLI::App*> subs;
  std::string names;
  for (const auto& c : commands) {
    subs.push_back(AddCommand(app, *c));
    names += (names.empty() ? "" : subs.size() == commands.size() ? " or " : ", ") + c->Name();
  }
  // The connection options belong to the tool and are taken after the subcommand too.
  AddCommonOptions(app, common, kOptKafka | kOptVerbosity);
  app.add_flag("--json", json, "NDJSON rows even on a terminal");
  for (CLI::App* sub : subs) sub->fallthrough();
  app.require_subcommand(0, 1);
  if (int rc = ParseCommandLine(app, argc, argv); rc >= 0) return rc;
  for (size_t i = 0; i < subs.size(); ++i)
    if (subs[i]->parsed()) return RunCommand(app.get_name(), common, *commands[i], json);
  return FailWith(app.get_name(), Status::InvalidArgument("give a subcommand: " + names));
}

}  // namespace kt
