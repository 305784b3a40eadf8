// ktopic stats TOPIC: reads the topic whole for what it holds (TopicStats).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.hpp"
#include "kt/core/json.hpp"
#include "kt/kafka/groups.hpp"
#include "topic_read.hpp"
#include "topic_stats.hpp"

namespace kt::ktopic {

namespace {

class StatsCommand : public Command {
 public:
  std::string Name() const override { return "stats"; }
  std::string Summary() const override {
    return "Read a topic whole: records, bytes, keys, time range, value shape, sample";
  }
  void Setup(CLI::App& sub) override {
    sub.add_option("--sample", sample_, "Records in the sample (default 3)");
    sub.add_option("topic", topic_, "The topic")->required();
  }
  Status Run(const CommandContext& ctx) override {
    auto described = DescribeWithOffsets(ctx.kafka, ctx.tool, topic_);
    if (!described.ok()) return described.status();
    const std::vector<PartitionOffsets>* marks = &described->marks;
    TopicStats summary(topic_, static_cast<int>(marks->size()), sample_);
    Status s = ReadRange(ctx.kafka, topic_, *marks, ctx.common->verbose,
                         [&](const TopicRecord& r) { summary.Add(r); });
    if (!s.ok()) return s;
    std::string text = summary.ToJson();
    if (!ctx.json && isatty(STDOUT_FILENO)) {
      rapidjson::Document d;
      if (ParseJson(text, &d).ok()) {
        text.clear();
        AppendPrettyJson(d, &text);
      }
    }
    std::cout << text << "\n";
    return Status::Ok();
  }

 private:
  std::string topic_;
  size_t sample_ = 3;
};

}  // namespace

std::unique_ptr<Command> MakeStatsCommand() { return std::make_unique<StatsCommand>(); }

}  // namespace kt::ktopic
