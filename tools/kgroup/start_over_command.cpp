// kgroup start-over GROUP: what a ktools stage of that group would need to recompute everything
// from its input, as if it had never run (Kafka Streams' application reset tool): its consumer
// groups (GROUP and GROUP-*), its internal topics (GROUP-*-changelog, GROUP-*-repartition) and
// its local state (<state dir>/GROUP). A dry run by default; --execute deletes them.
//
// Deleting the groups, not moving their offsets, is what "never ran" means: the next run starts
// at its --from, like a first one, and an input topic the stage no longer reads leaves nothing
// behind. Output topics are the user's and stay: the rerun appends what it recomputes.
#include <CLI/CLI.hpp>
#include <filesystem>

#include "commands.hpp"
#include "kt/core/json.hpp"
#include "kt/core/log.hpp"
#include "kt/io/rows.hpp"
#include "kt/kafka/topics.hpp"
#include "kt/state/store.hpp"

namespace kt::kgroup {

namespace {

struct StartOverPlan {
  std::vector<GroupListing> groups;
  std::vector<std::string> topics;
  std::string state_dir;  // "" when there is none
};

Result<StartOverPlan> PlanStartOver(const KafkaConfig& cfg, const std::string& tool, const std::string& group,
                                    const std::string& state_root) {
  StartOverPlan plan;
  auto groups = ListGroups(cfg, tool);
  if (!groups.ok()) return groups.status();
  for (auto& g : *groups)
    if (g.group == group || g.group.rfind(group + "-", 0) == 0) plan.groups.push_back(g);
  auto topics = DescribeTopics(cfg, tool);
  if (!topics.ok()) return topics.status();
  for (auto& t : *topics)
    if (t.name.rfind(group + "-", 0) == 0 &&
        (t.name.ends_with("-changelog") || t.name.ends_with("-repartition")))
      plan.topics.push_back(t.name);
  std::string dir = StateDir(state_root, group, "");
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) {
    std::filesystem::path p = std::filesystem::path(dir).lexically_normal();
    plan.state_dir = (p.has_filename() ? p : p.parent_path()).string();
  }
  return plan;
}

class StartOverCommand : public Command {
 public:
  std::string Name() const override { return "start-over"; }
  std::string Summary() const override {
    return "What a stage must lose to recompute from its input: its groups, internal topics and local "
           "state (prints the plan; --execute deletes them)";
  }
  void Setup(CLI::App& sub) override {
    sub.add_option("group", group_, "The stage's consumer group (as given to -G, or its default)")
        ->required();
    sub.add_option("--state-dir", state_dir_,
                   "Where the stage keeps local state (default ~/.local/state/ktools)");
    sub.add_flag("--execute", execute_, "Delete them (refused while a group has members)");
  }
  Status Run(const CommandContext& ctx) override {
    auto plan = PlanStartOver(ctx.kafka, ctx.tool, group_, state_dir_);
    if (!plan.ok()) return plan.status();
    if (plan->groups.empty() && plan->topics.empty() && plan->state_dir.empty())
      return Status::NotFound("nothing of group '" + group_ +
                              "' to start over: no such group, internal topic or local state");
    {
      RowPrinter out({"group", "delete", "name", "state"}, ctx.json);
      for (auto& g : plan->groups)
        out.Add({QuoteJson(group_), QuoteJson("group"), QuoteJson(g.group), QuoteJson(g.state)});
      for (auto& t : plan->topics) out.Add({QuoteJson(group_), QuoteJson("topic"), QuoteJson(t), "null"});
      if (!plan->state_dir.empty())
        out.Add({QuoteJson(group_), QuoteJson("local_state"), QuoteJson(plan->state_dir), "null"});
    }
    bool quiet = ctx.common->quiet;
    if (!execute_) {
      if (!quiet)
        LogInfo(ctx.tool,
                "dry run: nothing changed (add --execute to delete them; the next run recomputes "
                "everything from its input, from --from)");
      return Status::Ok();
    }
    for (auto& g : plan->groups) {
      auto d = DescribeGroup(ctx.kafka, ctx.tool, g.group);
      if (!d.ok()) return d.status();
      if (d->members > 0)
        return Status::KafkaError("group '" + g.group + "' has " + std::to_string(d->members) +
                                  " active members: stop the stage first (nothing changed)");
    }
    for (auto& g : plan->groups)
      if (Status s = DeleteGroup(ctx.kafka, ctx.tool, g.group); !s.ok()) return s;
    for (auto& t : plan->topics)
      if (Status s = DeleteTopic(ctx.kafka, ctx.tool, t); !s.ok()) return s;
    if (!plan->state_dir.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(plan->state_dir, ec);
      if (ec) return Status::IoError("cannot delete " + plan->state_dir + ": " + ec.message());
    }
    if (!quiet)
      LogInfo(ctx.tool, "deleted " + std::to_string(plan->groups.size()) + " groups, " +
                            std::to_string(plan->topics.size()) + " internal topics" +
                            (plan->state_dir.empty() ? "" : " and the local state") + " of " + group_ +
                            ": its next run recomputes from its input");
    return Status::Ok();
  }

 private:
  std::string group_, state_dir_;
  bool execute_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeStartOverCommand() { return std::make_unique<StartOverCommand>(); }

}  // namespace kt::kgroup
