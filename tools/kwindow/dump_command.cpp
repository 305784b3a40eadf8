// kwindow dump: every live window of every key, from the changelog (or --local stores), or those
// containing a time (--at, --now).
#include "commands.hpp"
#include "window_query.hpp"

namespace kt::kwindow {

namespace {

class DumpCommand : public WindowReadCommand {
 public:
  explicit DumpCommand(CommonOptions* common) : WindowReadCommand(common) {}
  std::string Name() const override { return "dump"; }
  std::string Summary() const override { return "Print every live window of every key"; }
  Status Run(const CommandContext& ctx) override {
    return RunWindowQuery({Where(ctx), std::nullopt, at()}, ctx.kafka);
  }
};

}  // namespace

std::unique_ptr<Command> MakeDumpCommand(CommonOptions* common) {
  return std::make_unique<DumpCommand>(common);
}

}  // namespace kt::kwindow
