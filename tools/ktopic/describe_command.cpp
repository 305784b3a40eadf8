// ktopic describe TOPIC: each partition (leader, replicas, ISR, watermarks, first and last
// timestamps), then the topic's configs.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.hpp"
#include "kt/core/json.hpp"
#include "kt/core/log.hpp"
#include "kt/io/rows.hpp"
#include "kt/kafka/groups.hpp"
#include "topic_read.hpp"

namespace kt::ktopic {

namespace {

std::string IntList(const std::vector<int32_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}

std::string OptionalMs(const std::optional<int64_t>& ms) { return ms ? std::to_string(*ms) : "null"; }

class DescribeCommand : public Command {
 public:
  std::string Name() const override { return "describe"; }
  std::string Summary() const override { return "One topic per partition, then its configs"; }
  void Setup(CLI::App& sub) override {
    sub.add_flag("-a,--all", all_configs_, "Every config, defaults too (default: only those set)");
    sub.add_option("topic", topic_, "The topic")->required();
  }
  Status Run(const CommandContext& ctx) override {
    auto described = DescribeWithOffsets(ctx.kafka, ctx.tool, topic_);
    if (!described.ok()) return described.status();
    const TopicMetadata& t = described->meta;
    const std::vector<PartitionOffsets>* marks = &described->marks;
    auto edges = ReadEdges(ctx.kafka, topic_, *marks, ctx.common->verbose);
    if (!edges.ok()) return edges.status();
    auto configs = TopicConfigs(ctx.kafka, ctx.tool, topic_);
    if (configs.status().IsNotFound()) {  // kbroker keeps no configs: the partitions still count
      if (!ctx.common->quiet) LogWarning(ctx.tool, configs.status().message());
      configs = std::vector<ConfigValue>{};
    }
    if (!configs.ok()) return configs.status();
    {
      RowPrinter out({"topic", "partition", "leader", "replicas", "isr", "low", "high", "first_timestamp",
                      "last_timestamp"},
                     ctx.json);
      for (size_t i = 0; i < t.partitions.size(); ++i) {
        const auto& p = t.partitions[i];
        out.Add({QuoteJson(topic_), std::to_string(p.id), std::to_string(p.leader), IntList(p.replicas),
                 IntList(p.isr), std::to_string((*marks)[i].low), std::to_string((*marks)[i].high),
                 OptionalMs((*edges)[i].first_ts), OptionalMs((*edges)[i].last_ts)});
      }
    }
    if (!ctx.json && isatty(STDOUT_FILENO)) std::cout << "\n";
    RowPrinter out({"topic", "config", "value", "source"}, ctx.json);
    for (auto& c : *configs)
      if (all_configs_ || c.source == "dynamic_topic")  // set on the topic itself
        out.Add({QuoteJson(topic_), QuoteJson(c.name), c.sensitive ? "null" : QuoteJson(c.value),
                 QuoteJson(c.source)});
    return Status::Ok();
  }

 private:
  std::string topic_;
  bool all_configs_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeDescribeCommand() { return std::make_unique<DescribeCommand>(); }

}  // namespace kt::ktopic
