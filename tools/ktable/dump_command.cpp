// ktable dump: every key's aggregates, from the changelog (or --local stores).
#include "commands.hpp"
#include "table_query.hpp"

namespace kt::ktable {

namespace {

class DumpCommand : public StoreCommand {
 public:
  explicit DumpCommand(CommonOptions* common) : StoreCommand(common, "ktable", "table", "--table") {}
  std::string Name() const override { return "dump"; }
  std::string Summary() const override {
    return "Print every key's aggregates, read from the changelog topic";
  }
  Status Run(const CommandContext& ctx) override {
    return RunTableQuery({Where(ctx), std::nullopt}, ctx.kafka);
  }
};

}  // namespace

std::unique_ptr<Command> MakeDumpCommand(CommonOptions* common) {
  return std::make_unique<DumpCommand>(common);
}

}  // namespace kt::ktable
