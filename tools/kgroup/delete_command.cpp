// kgroup delete GROUP: a group and its committed offsets, after a confirmation.
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "kt/core/log.hpp"
#include "kt/io/confirm.hpp"

namespace kt::kgroup {

namespace {

class DeleteCommand : public Command {
 public:
  std::string Name() const override { return "delete"; }
  std::string Summary() const override {
    return "Delete a group and its committed offsets (it must have no members)";
  }
  void Setup(CLI::App& sub) override {
    sub.add_option("group", group_, "The consumer group")->required();
    sub.add_flag("-y,--yes", yes_, "Do not ask for confirmation");
  }
  Status Run(const CommandContext& ctx) override {
    if (Status s = Confirm("delete consumer group '" + group_ + "' and its committed offsets", yes_); !s.ok())
      return s;
    std::vector<TopicPartitionOffset> committed;
    auto d = Existing(ctx.kafka, group_, &committed);
    if (!d.ok()) return d.status();
    if (Status s = DeleteGroup(ctx.kafka, ctx.tool, group_); !s.ok()) return s;
    if (!ctx.common->quiet) LogInfo(ctx.tool, "deleted group " + group_);
    return Status::Ok();
  }

 private:
  std::string group_;
  bool yes_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeDeleteCommand() { return std::make_unique<DeleteCommand>(); }

}  // namespace kt::kgroup
