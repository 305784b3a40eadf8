// kgroup: consumer groups as an operator sees them: list, describe (lag), reset offsets, delete.
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <tuple>

#include "reset_plan.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/json.hpp"
#include "kt/core/log.hpp"
#include "kt/core/time.hpp"
#include "kt/kafka/groups.hpp"
#include "kt/kafka/start_spec.hpp"
#include "kt/run/options.hpp"
#include "kt/run/tool.hpp"

namespace {

int Fail(const kt::Status& s) {
  kt::LogError("kgroup", s.message());
  return kt::ExitCodeFor(s);
}

std::string Quoted(const std::string& s) {
  std::string out;
  kt::AppendJson(rapidjson::Value(rapidjson::StringRef(s.data(), s.size())), &out);
  return out;
}

int List(const kt::KafkaConfig& cfg) {
  auto groups = kt::ListGroups(cfg, "kgroup");
  if (!groups.ok()) return Fail(groups.status());
  for (auto& g : *groups)
    std::cout << "{\"group\":" << Quoted(g.group) << ",\"state\":" << Quoted(g.state)
              << ",\"simple\":" << (g.simple ? "true" : "false") << "}\n";
  return kt::kExitOk;
}

// The group as Kafka describes it; a group that does not exist (Dead, nothing committed) is an error.
kt::Result<kt::GroupDescription> Existing(const kt::KafkaConfig& cfg, const std::string& group,
                                          std::vector<kt::TopicPartitionOffset>* committed) {
  auto d = kt::DescribeGroup(cfg, "kgroup", group);
  if (!d.ok()) return d.status();
  auto c = kt::CommittedOffsets(cfg, "kgroup", group);
  if (!c.ok()) return c.status();
  if (d->state == "Dead" && c->empty()) return kt::Status::KafkaError("group '" + group + "' does not exist");
  *committed = std::move(*c);
  return d;
}

int Describe(const kt::KafkaConfig& cfg, const std::string& group, bool quiet) {
  std::vector<kt::TopicPartitionOffset> committed;
  auto d = Existing(cfg, group, &committed);
  if (!d.ok()) return Fail(d.status());
  std::sort(committed.begin(), committed.end(),
            [](const auto& a, const auto& b) { return std::tie(a.topic, a.partition) < std::tie(b.topic, b.partition); });
  int64_t total = 0;
  for (size_t first = 0; first < committed.size();) {  // one topic at a time (sorted)
    size_t last = first;
    std::vector<int32_t> parts;
    for (; last < committed.size() && committed[last].topic == committed[first].topic; ++last)
      parts.push_back(committed[last].partition);
    auto marks = kt::Watermarks(cfg, "kgroup", committed[first].topic, parts);
    if (!marks.ok()) return Fail(marks.status());
    for (size_t i = first; i < last; ++i) {
      const auto& o = committed[i];
      int64_t end = (*marks)[i - first].high, lag = std::max<int64_t>(0, end - o.offset);
      total += lag;
      std::cout << "{\"group\":" << Quoted(group) << ",\"topic\":" << Quoted(o.topic) << ",\"partition\":"
                << o.partition << ",\"committed\":" << o.offset << ",\"end\":" << end << ",\"lag\":" << lag << "}\n";
    }
    first = last;
  }
  if (!quiet)
    kt::LogInfo("kgroup", "group " + group + " is " + d->state + " with " + std::to_string(d->members) +
                              " members; lag " + std::to_string(total) + " over " + std::to_string(committed.size()) +
                              " partitions");
  return kt::kExitOk;
}

int Reset(const kt::KafkaConfig& cfg, kt::ResetSpec spec, bool execute, bool quiet) {
  auto d = kt::DescribeGroup(cfg, "kgroup", spec.group);
  if (!d.ok()) return Fail(d.status());
  auto plan = kt::PlanReset(cfg, spec);
  if (!plan.ok()) return Fail(plan.status());
  for (auto& s : *plan)
    std::cout << "{\"group\":" << Quoted(spec.group) << ",\"topic\":" << Quoted(s.topic) << ",\"partition\":"
              << s.partition << ",\"from\":" << (s.from ? std::to_string(*s.from) : "null") << ",\"to\":" << s.to
              << "}\n";
  if (!execute) {
    if (!quiet) kt::LogInfo("kgroup", "dry run: nothing changed (add --execute to move the offsets)");
    return kt::kExitOk;
  }
  if (d->members > 0 || (d->state != "Empty" && d->state != "Dead"))
    return Fail(kt::Status::KafkaError("group '" + spec.group + "' is " + d->state + " with " +
                                       std::to_string(d->members) +
                                       " active members: stop them before moving its offsets (nothing changed)"));
  std::vector<kt::TopicPartitionOffset> offsets;
  for (auto& s : *plan) offsets.push_back({s.topic, s.partition, s.to});
  if (kt::Status s = kt::AlterOffsets(cfg, "kgroup", spec.group, offsets); !s.ok()) return Fail(s);
  if (!quiet) kt::LogInfo("kgroup", "moved the offsets of " + std::to_string(offsets.size()) + " partitions of group " + spec.group);
  return kt::kExitOk;
}

int Delete(const kt::KafkaConfig& cfg, const std::string& group, bool yes, bool quiet) {
  if (!yes) {
    if (!isatty(STDIN_FILENO))
      return Fail(kt::Status::InvalidArgument("deleting group '" + group + "' needs --yes when not asked on a terminal"));
    std::cerr << "delete consumer group '" << group << "' and its committed offsets? [y/N] " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer) || (answer != "y" && answer != "yes")) {
      kt::LogInfo("kgroup", "not deleted");
      return kt::kExitUsage;
    }
  }
  std::vector<kt::TopicPartitionOffset> committed;
  auto d = Existing(cfg, group, &committed);
  if (!d.ok()) return Fail(d.status());
  if (kt::Status s = kt::DeleteGroup(cfg, "kgroup", group); !s.ok()) return Fail(s);
  if (!quiet) kt::LogInfo("kgroup", "deleted group " + group);
  return kt::kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Consumer groups: list them, describe one (committed offsets, end offsets, lag), move its "
               "offsets (a dry run unless --execute), delete it. Output: NDJSON on stdout.", "kgroup"};
  kt::CommonOptions common;
  std::string group, to_time;
  bool earliest = false, latest = false, execute = false, yes = false;
  std::optional<int64_t> shift, to_offset;
  std::optional<int32_t> partition;
  kt::ResetSpec reset;
  CLI::App* list = app.add_subcommand("list", "Every consumer group the cluster knows, with its state");
  CLI::App* describe = app.add_subcommand("describe", "A group's committed offset, end offset and lag per partition");
  CLI::App* reset_cmd = app.add_subcommand("reset", "Move a group's committed offsets (prints the plan; --execute applies it)");
  CLI::App* del = app.add_subcommand("delete", "Delete a group and its committed offsets (it must have no members)");
  for (CLI::App* sub : {describe, reset_cmd, del}) sub->add_option("group", group, "The consumer group")->required();
  reset_cmd->add_option("--topic", reset.topic, "Only this topic (default: every topic the group has offsets for)");
  reset_cmd->add_option("--partition", partition, "Only this partition")->check(CLI::NonNegativeNumber);
  auto* targets = reset_cmd->add_option_group("target", "Where to (exactly one)");
  targets->add_flag("--to-earliest", earliest, "The first offset still in each partition");
  targets->add_flag("--to-latest", latest, "The end of each partition (skip everything)");
  targets->add_option("--to-time", to_time, "The first record at or after a time: RFC 3339, -DURATION, epoch ms");
  targets->add_option("--shift-by", shift, "N records forward (negative: back) from the committed offset");
  targets->add_option("--to-offset", to_offset, "This offset (kept within each partition's offsets)");
  targets->require_option(1);
  reset_cmd->add_flag("--execute", execute, "Apply the plan (refused while the group has members)");
  del->add_flag("-y,--yes", yes, "Do not ask for confirmation");
  // The connection options belong to kgroup and are taken after the subcommand too.
  kt::AddCommonOptions(app, common, kt::kOptKafka | kt::kOptVerbosity);
  for (CLI::App* sub : {list, describe, reset_cmd, del}) sub->fallthrough();
  app.require_subcommand(0, 1);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;
  if (app.get_subcommands().empty())
    return Fail(kt::Status::InvalidArgument("give a subcommand: list, describe, reset or delete"));

  auto cfg = kt::ResolveKafkaConfig(common);
  if (!cfg.ok()) return Fail(cfg.status());
  if (kt::DumpKafkaConfigIfAsked(common, *cfg)) return kt::kExitOk;
  if (list->parsed()) return List(*cfg);
  if (describe->parsed()) return Describe(*cfg, group, common.quiet);
  if (del->parsed()) return Delete(*cfg, group, yes, common.quiet);

  reset.group = group;
  reset.partition = partition;
  using Kind = kt::ResetTarget::Kind;
  if (earliest) reset.target = {Kind::kEarliest, 0};
  if (latest) reset.target = {Kind::kLatest, 0};
  if (shift) reset.target = {Kind::kShift, *shift};
  if (to_offset) reset.target = {Kind::kOffset, *to_offset};
  if (!to_time.empty()) {
    int64_t now = kt::NowMs();
    auto t = kt::ParseTimeSpec(to_time, now);
    if (!t.ok()) return Fail(kt::Status::InvalidArgument("--to-time: " + t.status().message()));
    if (*t > now) return Fail(kt::Status::InvalidArgument("--to-time " + to_time + " is in the future"));
    reset.target = {Kind::kTime, *t};
  }
  return Reset(*cfg, reset, execute, common.quiet);
}
