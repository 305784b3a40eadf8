// ktable get KEY: one key's aggregates, from the changelog (or --local stores).
#include "commands.hpp"
#include "table_query.hpp"

namespace kt::ktable {

namespace {

class GetCommand : public StoreCommand {
 public:
  explicit GetCommand(CommonOptions* common) : StoreCommand(common, "ktable", "table", "--table") {}
  std::string Name() const override { return "get"; }
  std::string Summary() const override { return "Print one key's aggregates, read from the changelog topic"; }
  void SetupQuery(CLI::App& sub) override { sub.add_option("key", key_, "The key")->required(); }
  Status Run(const CommandContext& ctx) override { return RunTableQuery({Where(ctx), key_}, ctx.kafka); }

 private:
  std::string key_;
};

}  // namespace

std::unique_ptr<Command> MakeGetCommand(CommonOptions* common) {
  return std::make_unique<GetCommand>(common);
}

}  // namespace kt::ktable
