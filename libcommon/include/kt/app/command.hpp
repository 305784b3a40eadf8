// A tool's subcommand (osmium-tool's commands): one class per subcommand, each in a file of its
// own. Setup declares the subcommand's options (parsing only, no I/O); once the command line is
// parsed, Check refuses what does not fit (usage errors) and Run does the work.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kt/core/status.hpp"
#include "kt/kafka/config.hpp"
#include "kt/run/cli_fwd.hpp"
#include "kt/run/options.hpp"
#include "kt/state/store_contents.hpp"

namespace kt {

// What a running subcommand gets beside its own options.
struct CommandContext {
  std::string tool;
  KafkaConfig kafka;
  const CommonOptions* common = nullptr;  // -q, -v and the Kafka options as given
  bool json = false;                      // --json: NDJSON rows even on a terminal (ktopic, kgroup)
};

class Command {
 public:
  virtual ~Command() = default;
  virtual std::string Name() const = 0;
  virtual std::string Summary() const = 0;
  virtual void Setup(CLI::App& sub) = 0;
  virtual Status Check() { return Status::Ok(); }
  virtual Status Run(const CommandContext& ctx) = 0;
};

// A read-back subcommand of a stateful tool (ktable get/dump, kwindow get/dump): where the store
// is (-G, --name, the former name's option, --local, --state-dir) and the Kafka options, all on
// the subcommand itself (into `common`). A subclass adds its own options in SetupQuery.
class StoreCommand : public Command {
 public:
  // `tool` names the options' help; `store` is the default store name; `former_name` its former
  // option (still accepted, with a warning).
  StoreCommand(CommonOptions* common, std::string tool, std::string store, std::string former_name);
  void Setup(CLI::App& sub) final;

 protected:
  virtual void SetupQuery(CLI::App& /*sub*/) {}
  // The store's location, verbose as -v says once Run has begun (Where).
  const StoreLocation& Where(const CommandContext& ctx);

 private:
  CommonOptions* common_;
  std::string tool_, former_name_;
  StoreLocation where_;
};

// Adds `cmd` to `app` as a subcommand and declares its options. Returns the subcommand.
CLI::App* AddCommand(CLI::App& app, Command& cmd);

// Runs `cmd`, which the command line named: Check, then the Kafka config (-X dump prints it and
// stops there), then Run. Returns the exit code; an error is reported by FailWith.
int RunCommand(const std::string& tool, const CommonOptions& common, Command& cmd, bool json = false);

// A tool made of subcommands only (ktopic, kgroup): declares `commands` on `app`, with the Kafka
// and verbosity options (taken after the subcommand too) and --json, parses argv and runs the one
// named. Returns the exit code.
int RunCommandTool(CLI::App& app, const std::vector<std::unique_ptr<Command>>& commands, int argc,
                   char** argv);

}  // namespace kt
