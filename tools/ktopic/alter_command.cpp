// ktopic alter TOPIC: change its configs, or grow its partitions.
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "kt/core/log.hpp"

namespace kt::ktopic {

namespace {

class AlterCommand : public Command {
 public:
  std::string Name() const override { return "alter"; }
  std::string Summary() const override { return "Change a topic's configs or grow its partitions"; }
  void Setup(CLI::App& sub) override {
    sub.add_option("--set", set_, "Set a config NAME=VALUE (repeatable)");
    sub.add_option("--unset", unset_, "Return a config to its default (repeatable)");
    sub.add_option("-p,--partitions", partitions_,
                   "Grow to this many partitions (keys move: keyed state breaks)")
        ->check(kt::AtLeast(1));
    sub.add_option("topic", topic_, "The topic")->required();
  }
  Status Check() override {
    if (set_.empty() && unset_.empty() && partitions_ < 0)
      return Status::InvalidArgument("alter: give --set, --unset or --partitions");
    return Pairs(set_, "--set").status();
  }
  Status Run(const CommandContext& ctx) override {
    auto props = Pairs(set_, "--set");
    if (!props.ok()) return props.status();
    auto meta = DescribeTopics(ctx.kafka, ctx.tool, topic_);
    if (!meta.ok()) return meta.status();
    int have = static_cast<int>(meta->front().partitions.size());
    if (partitions_ > 0 && partitions_ < have)
      return Status::InvalidArgument("topic '" + topic_ + "' has " + std::to_string(have) +
                                     " partitions: Kafka cannot shrink a topic to " +
                                     std::to_string(partitions_));
    if (!props->empty() || !unset_.empty()) {
      if (Status s = AlterTopicConfigs(ctx.kafka, ctx.tool, topic_, *props, unset_); !s.ok()) return s;
      if (!ctx.common->quiet) LogInfo(ctx.tool, "changed the configs of topic " + topic_);
    }
    if (partitions_ > have) {
      if (Status s = AddPartitions(ctx.kafka, ctx.tool, topic_, partitions_); !s.ok()) return s;
      if (!ctx.common->quiet)
        LogInfo(ctx.tool, "topic " + topic_ + " grew from " + std::to_string(have) + " to " +
                              std::to_string(partitions_) + " partitions");
    }
    return Status::Ok();
  }

 private:
  std::string topic_;
  std::vector<std::string> set_, unset_;
  int partitions_ = -1;
};

}  // namespace

std::unique_ptr<Command> MakeAlterCommand() { return std::make_unique<AlterCommand>(); }

}  // namespace kt::ktopic
