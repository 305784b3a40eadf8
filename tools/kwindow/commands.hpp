// kwindow's read-back subcommands, one file each: get, dump. Their Kafka options go into `common`.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "kt/app/command.hpp"

namespace kt::kwindow {

std::unique_ptr<Command> MakeGetCommand(CommonOptions* common);
std::unique_ptr<Command> MakeDumpCommand(CommonOptions* common);

// What get and dump share: the store (named "window"), and --at TIME or --now (not both).
class WindowReadCommand : public StoreCommand {
 public:
  explicit WindowReadCommand(CommonOptions* common) : StoreCommand(common, "kwindow", "window", "--window") {}
  void SetupQuery(CLI::App& sub) override;
  Status Check() override;

 protected:
  // Only windows containing this time (--at, --now); nullopt: all.
  std::optional<int64_t> at() const { return at_time_; }

 private:
  std::string at_;
  bool now_ = false;
  std::optional<int64_t> at_time_;
};

}  // namespace kt::kwindow
