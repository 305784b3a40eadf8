// kwindow get KEY: one key's live windows, from the changelog (or --local stores), all of them or
// those containing a time (--at, --now).
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "kt/app/running_copy.hpp"
#include "kt/core/log.hpp"
#include "window_query.hpp"

namespace kt::kwindow {

namespace {

class GetCommand : public WindowReadCommand {
 public:
  explicit GetCommand(CommonOptions* common) : WindowReadCommand(common) {}
  std::string Name() const override { return "get"; }
  std::string Summary() const override {
    return "Print one key's live windows (or the one containing a time)";
  }
  void SetupQuery(CLI::App& sub) override {
    WindowReadCommand::SetupQuery(sub);
    sub.add_option("key", key_, "The group key")->required();
  }
  // All of a key's windows: a running copy serving --http answers at once; else (and for --at,
  // --now) the changelog or --local stores.
  Status Run(const CommandContext& ctx) override {
    const StoreLocation& where = Where(ctx);
    if (!where.local && !at()) {
      auto a = AskRunningCopy(ctx.kafka, "kwindow", where.group, where.store, StatePath(key_));
      if (!a.ok()) return a.status();
      if (*a) {
        if (where.verbose) LogInfo("kwindow", "answered by the running copy at " + (*a)->from);
        return PrintCopyAnswer(**a, "key '" + key_ + "' has no live window in " + where.store);
      }
    }
    return RunWindowQuery({where, key_, at()}, ctx.kafka);
  }

 private:
  std::string key_;
};

}  // namespace

std::unique_ptr<Command> MakeGetCommand(CommonOptions* common) {
  return std::make_unique<GetCommand>(common);
}

}  // namespace kt::kwindow
