// kgroup list: every consumer group the cluster knows, with its state.
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "kt/core/json.hpp"
#include "kt/io/rows.hpp"

namespace kt::kgroup {

namespace {

class ListCommand : public Command {
 public:
  std::string Name() const override { return "list"; }
  std::string Summary() const override { return "Every consumer group the cluster knows, with its state"; }
  void Setup(CLI::App&) override {}
  Status Run(const CommandContext& ctx) override {
    auto groups = ListGroups(ctx.kafka, ctx.tool);
    if (!groups.ok()) return groups.status();
    RowPrinter out({"group", "state", "simple"}, ctx.json);
    for (auto& g : *groups) out.Add({QuoteJson(g.group), QuoteJson(g.state), g.simple ? "true" : "false"});
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<Command> MakeListCommand() { return std::make_unique<ListCommand>(); }

Result<GroupDescription> Existing(const KafkaConfig& cfg, const std::string& group,
                                  std::vector<TopicPartitionOffset>* committed) {
  auto d = DescribeGroup(cfg, "kgroup", group);
  if (!d.ok()) return d.status();
  auto c = CommittedOffsets(cfg, "kgroup", group);
  if (!c.ok()) return c.status();
  if (d->state == "Dead" && c->empty()) return Status::KafkaError("group '" + group + "' does not exist");
  if (!d->known && c->empty())
    return Status::KafkaError("group '" + group +
                              "' has no committed offsets (kbroker cannot describe groups)");
  *committed = std::move(*c);
  return d;
}

}  // namespace kt::kgroup
