// ktable get KEY: one key's aggregates, from a running copy serving --http, else the changelog
// (or --local stores).
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "kt/app/running_copy.hpp"
#include "kt/core/log.hpp"
#include "table_query.hpp"

namespace kt::ktable {

namespace {

class GetCommand : public StoreCommand {
 public:
  explicit GetCommand(CommonOptions* common) : StoreCommand(common, "ktable", "table", "--table") {}
  std::string Name() const override { return "get"; }
  std::string Summary() const override { return "Print one key's aggregates, read from the changelog topic"; }
  void SetupQuery(CLI::App& sub) override { sub.add_option("key", key_, "The key")->required(); }
  // A running copy that serves --http answers at once; else the changelog (or --local stores).
  Status Run(const CommandContext& ctx) override {
    const StoreLocation& where = Where(ctx);
    if (!where.local) {
      auto a = AskRunningCopy(ctx.kafka, "ktable", where.group, where.store, StatePath(key_));
      if (!a.ok()) return a.status();
      if (*a) {
        if (where.verbose) LogInfo("ktable", "answered by the running copy at " + (*a)->from);
        return PrintCopyAnswer(**a, "key '" + key_ + "' is not in table " + where.store);
      }
    }
    return RunTableQuery({where, key_}, ctx.kafka);
  }

 private:
  std::string key_;
};

}  // namespace

std::unique_ptr<Command> MakeGetCommand(CommonOptions* common) {
  return std::make_unique<GetCommand>(common);
}

}  // namespace kt::ktable
