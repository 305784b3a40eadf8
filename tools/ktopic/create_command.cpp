// ktopic create TOPIC: a new topic, with its partitions, replication factor and configs.
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "kt/core/log.hpp"

namespace kt::ktopic {

namespace {

class CreateCommand : public Command {
 public:
  std::string Name() const override { return "create"; }
  std::string Summary() const override { return "Create a topic"; }
  void Setup(CLI::App& sub) override {
    sub.add_option("-p,--partitions", partitions_, "Partitions (default: the broker's num.partitions)")
        ->check(kt::AtLeast(1));
    sub.add_option("-c,--set", configs_, "A topic config NAME=VALUE (repeatable), as alter --set");
    sub.add_flag("--if-not-exists", if_not_exists_,
                 "An existing topic is no error (its settings are not checked)");
    sub.add_option("topic", topic_, "The topic")->required();
    sub.add_option("--replication-factor", replication_factor_,
                   "Replicas of each partition (default: the broker's default.replication.factor)")
        ->check(kt::AtLeast(1));
  }
  Status Check() override { return Pairs(configs_, "--set").status(); }
  Status Run(const CommandContext& ctx) override {
    auto props = Pairs(configs_, "--set");
    if (!props.ok()) return props.status();
    Status error;
    if (if_not_exists_ && Exists(ctx.kafka, topic_, &error)) {
      if (!ctx.common->quiet) LogInfo(ctx.tool, "topic " + topic_ + " exists already: nothing changed");
      return Status::Ok();
    }
    if (!error.ok()) return error;
    TopicSpec spec{.name = topic_,
                   .partitions = partitions_,
                   .replication_factor = replication_factor_,
                   .configs = *props};
    if (Status s = CreateTopic(ctx.kafka, spec, ctx.tool); !s.ok()) return s;
    if (!ctx.common->quiet) LogInfo(ctx.tool, "created topic " + topic_);
    return Status::Ok();
  }

 private:
  std::string topic_;
  std::vector<std::string> configs_;
  int partitions_ = -1;
  int replication_factor_ = -1;
  bool if_not_exists_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeCreateCommand() { return std::make_unique<CreateCommand>(); }

}  // namespace kt::ktopic
