// kgroup reset GROUP: where each partition's committed offset would go (a dry run), or moves
// them there with --execute.
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "kt/core/json.hpp"
#include "kt/core/log.hpp"
#include "kt/core/time.hpp"
#include "kt/io/rows.hpp"
#include "kt/kafka/start_spec.hpp"
#include "reset_plan.hpp"

namespace kt::kgroup {

namespace {

class ResetCommand : public Command {
 public:
  std::string Name() const override { return "reset"; }
  std::string Summary() const override {
    return "Move a group's committed offsets (prints the plan; --execute applies it)";
  }
  void Setup(CLI::App& sub) override {
    sub.add_option("group", spec_.group, "The consumer group")->required();
    sub.add_option("--topic", spec_.topic,
                   "Only this topic (default: every topic the group has offsets for)");
    sub.add_option("--partition", partition_, "Only this partition")->check(kt::AtLeast(0));
    auto* targets = sub.add_option_group("target", "Where to (exactly one)");
    targets->add_flag("--to-earliest", earliest_, "The first offset still in each partition");
    targets->add_flag("--to-latest", latest_, "The end of each partition (skip everything)");
    targets->add_option("--to-time", to_time_,
                        "The first record at or after a time: RFC 3339, -DURATION, epoch ms");
    targets->add_option("--shift-by", shift_, "N records forward (negative: back) from the committed offset");
    targets->add_option("--to-offset", to_offset_, "This offset (kept within each partition's offsets)");
    targets->require_option(1);
    sub.add_flag("--execute", execute_, "Apply the plan (refused while the group has members)");
  }
  // The target, from whichever option gave it.
  Status Check() override {
    using Kind = ResetTarget::Kind;
    spec_.partition = partition_;
    if (earliest_) spec_.target = {Kind::kEarliest, 0};
    if (latest_) spec_.target = {Kind::kLatest, 0};
    if (shift_) spec_.target = {Kind::kShift, *shift_};
    if (to_offset_) spec_.target = {Kind::kOffset, *to_offset_};
    if (!to_time_.empty()) {
      int64_t now = NowMs();
      auto t = ParseTimeSpec(to_time_, now);
      if (!t.ok()) return Status::InvalidArgument("--to-time: " + t.status().message());
      if (*t > now) return Status::InvalidArgument("--to-time " + to_time_ + " is in the future");
      spec_.target = {Kind::kTime, *t};
    }
    return Status::Ok();
  }
  Status Run(const CommandContext& ctx) override {
    auto d = DescribeGroup(ctx.kafka, ctx.tool, spec_.group);
    if (!d.ok()) return d.status();
    auto plan = PlanReset(ctx.kafka, spec_);
    if (!plan.ok()) return plan.status();
    {
      RowPrinter out({"group", "topic", "partition", "from", "to"}, ctx.json);
      for (auto& s : *plan)
        out.Add({QuoteJson(spec_.group), QuoteJson(s.topic), std::to_string(s.partition),
                 s.from ? std::to_string(*s.from) : "null", std::to_string(s.to)});
    }
    bool quiet = ctx.common->quiet;
    if (!execute_) {
      if (!quiet) LogInfo(ctx.tool, "dry run: nothing changed (add --execute to move the offsets)");
      return Status::Ok();
    }
    if (!d->known && !quiet)
      LogWarning(ctx.tool,
                 "kbroker cannot tell whether group " + spec_.group +
                     " has members: stop its tools first (it refuses offsets of a group that had one)");
    if (d->known && (d->members > 0 || (d->state != "Empty" && d->state != "Dead")))
      return Status::KafkaError("group '" + spec_.group + "' is " + d->state + " with " +
                                std::to_string(d->members) +
                                " active members: stop them before moving its offsets (nothing changed)");
    std::vector<TopicPartitionOffset> offsets;
    for (auto& s : *plan) offsets.push_back({s.topic, s.partition, s.to});
    if (Status s = AlterOffsets(ctx.kafka, ctx.tool, spec_.group, offsets); !s.ok()) return s;
    if (!quiet)
      LogInfo(ctx.tool, "moved the offsets of " + std::to_string(offsets.size()) + " partitions of group " +
                            spec_.group);
    return Status::Ok();
  }

 private:
  ResetSpec spec_;
  std::optional<int32_t> partition_;
  bool earliest_ = false, latest_ = false, execute_ = false;
  std::string to_time_;
  std::optional<int64_t> shift_, to_offset_;
};

}  // namespace

std::unique_ptr<Command> MakeResetCommand() { return std::make_unique<ResetCommand>(); }

}  // namespace kt::kgroup
