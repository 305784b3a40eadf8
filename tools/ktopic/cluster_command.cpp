// ktopic cluster: the cluster's id, controller, brokers and how many topics and partitions it
// holds (kcat -L, rpk cluster info), from one metadata request.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.hpp"
#include "kt/core/json.hpp"
#include "kt/io/rows.hpp"

namespace kt::ktopic {

namespace {

class ClusterCommand : public Command {
 public:
  std::string Name() const override { return "cluster"; }
  std::string Summary() const override {
    return "The cluster: id, controller, brokers, topic and partition counts";
  }
  void Setup(CLI::App& /*sub*/) override {}
  Status Run(const CommandContext& ctx) override {
    auto info = DescribeCluster(ctx.kafka, ctx.tool);
    if (!info.ok()) return info.status();
    {
      RowPrinter out({"cluster", "controller", "brokers", "topics", "partitions"}, ctx.json);
      out.Add({info->id.empty() ? "null" : QuoteJson(info->id),
               info->controller < 0 ? "null" : std::to_string(info->controller),
               std::to_string(info->brokers.size()), std::to_string(info->topics),
               std::to_string(info->partitions)});
    }
    if (!ctx.json && isatty(STDOUT_FILENO)) std::cout << "\n";
    RowPrinter out({"broker", "host", "port", "controller"}, ctx.json);
    for (const BrokerInfo& b : info->brokers)
      out.Add({std::to_string(b.id), QuoteJson(b.host), std::to_string(b.port),
               b.id == info->controller ? "true" : "false"});
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<Command> MakeClusterCommand() { return std::make_unique<ClusterCommand>(); }

}  // namespace kt::ktopic
