// kgroup: consumer groups as an operator sees them: list, describe (lag), reset offsets, delete.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <tuple>

#include "kt/app/fail.hpp"
#include "kt/app/run_plan.hpp"
#include "kt/app/run_tool.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/json.hpp"
#include "kt/core/log.hpp"
#include "kt/core/time.hpp"
#include "kt/io/confirm.hpp"
#include "kt/io/rows.hpp"
#include "kt/kafka/groups.hpp"
#include "kt/kafka/start_spec.hpp"
#include "kt/kafka/topics.hpp"
#include "kt/run/options.hpp"
#include "kt/state/store.hpp"
#include "reset_plan.hpp"

namespace {

int Fail(const kt::Status& s) {
  kt::LogError("kgroup", s.message());
  return kt::ExitCodeFor(s);
}

using kt::QuoteJson;

int List(const kt::KafkaConfig& cfg, bool json) {
  auto groups = kt::ListGroups(cfg, "kgroup");
  if (!groups.ok()) return Fail(groups.status());
  kt::RowPrinter out({"group", "state", "simple"}, json);
  for (auto& g : *groups) out.Add({QuoteJson(g.group), QuoteJson(g.state), g.simple ? "true" : "false"});
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

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A ktools stateful group's own topics (<group>-...-changelog, <group>-...-repartition) and its
// local state (<state dir>/<group>/<store>/partition-N), one row each.
kt::Status DescribeInternals(const kt::KafkaConfig& cfg, const std::string& group,
                             const std::string& state_dir, bool json) {
  auto topics = kt::DescribeTopics(cfg, "kgroup");
  if (!topics.ok()) return topics.status();
  std::vector<std::string> kinds;
  kt::TopicPartitions internal;
  for (auto& t : *topics) {
    if (t.name.rfind(group + "-", 0) != 0) continue;
    std::string kind = EndsWith(t.name, "-changelog")     ? "changelog"
                       : EndsWith(t.name, "-repartition") ? "repartition"
                                                          : "";
    if (kind.empty()) continue;
    std::vector<int32_t> ids;
    for (auto& p : t.partitions) ids.push_back(p.id);
    kinds.push_back(kind);
    internal.emplace_back(t.name, std::move(ids));
  }
  auto marks = kt::Watermarks(cfg, "kgroup", internal);
  if (!marks.ok()) return marks.status();
  kt::RowPrinter out({"group", "internal_topic", "kind", "partitions", "records"}, json);
  for (size_t i = 0; i < internal.size(); ++i) {
    int64_t records = 0;
    for (auto& m : (*marks)[i]) records += m.high - m.low;
    out.Add({QuoteJson(group), QuoteJson(internal[i].first), QuoteJson(kinds[i]),
             std::to_string(internal[i].second.size()), std::to_string(records)});
  }
  out.Flush();
  std::string dir = kt::StateDir(state_dir, group, "");
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return kt::Status::Ok();
  kt::RowPrinter local({"group", "store", "local_state", "partitions"}, json);
  for (auto& store : std::filesystem::directory_iterator(dir, ec)) {
    if (!store.is_directory()) continue;
    int partitions = 0;
    for (auto& p : std::filesystem::directory_iterator(store.path(), ec))
      partitions += p.path().filename().string().rfind("partition-", 0) == 0;
    local.Add({QuoteJson(group), QuoteJson(store.path().filename().string()),
               QuoteJson(store.path().string()), std::to_string(partitions)});
  }
  return kt::Status::Ok();
}

int Describe(const kt::KafkaConfig& cfg, const std::string& group, const std::string& state_dir, bool json,
             bool quiet) {
  std::vector<kt::TopicPartitionOffset> committed;
  auto d = Existing(cfg, group, &committed);
  if (!d.ok()) return Fail(d.status());
  std::sort(committed.begin(), committed.end(), [](const auto& a, const auto& b) {
    return std::tie(a.topic, a.partition) < std::tie(b.topic, b.partition);
  });
  int64_t total = 0;
  kt::RowPrinter out({"group", "topic", "partition", "committed", "end", "lag"}, json);
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
      out.Add({QuoteJson(group), QuoteJson(o.topic), std::to_string(o.partition), std::to_string(o.offset),
               std::to_string(end), std::to_string(lag)});
    }
    first = last;
  }
  out.Flush();
  if (kt::Status s = DescribeInternals(cfg, group, state_dir, json); !s.ok()) return Fail(s);
  if (!quiet)
    kt::LogInfo("kgroup", "group " + group + " is " + d->state + " with " + std::to_string(d->members) +
                              " members; lag " + std::to_string(total) + " over " +
                              std::to_string(committed.size()) + " partitions");
  return kt::kExitOk;
}

int Reset(const kt::KafkaConfig& cfg, kt::kgroup::ResetSpec spec, bool execute, bool json, bool quiet) {
  auto d = kt::DescribeGroup(cfg, "kgroup", spec.group);
  if (!d.ok()) return Fail(d.status());
  auto plan = kt::kgroup::PlanReset(cfg, spec);
  if (!plan.ok()) return Fail(plan.status());
  {
    kt::RowPrinter out({"group", "topic", "partition", "from", "to"}, json);
    for (auto& s : *plan)
      out.Add({QuoteJson(spec.group), QuoteJson(s.topic), std::to_string(s.partition),
               s.from ? std::to_string(*s.from) : "null", std::to_string(s.to)});
  }
  if (!execute) {
    if (!quiet) kt::LogInfo("kgroup", "dry run: nothing changed (add --execute to move the offsets)");
    return kt::kExitOk;
  }
  if (d->members > 0 || (d->state != "Empty" && d->state != "Dead"))
    return Fail(kt::Status::KafkaError(
        "group '" + spec.group + "' is " + d->state + " with " + std::to_string(d->members) +
        " active members: stop them before moving its offsets (nothing changed)"));
  std::vector<kt::TopicPartitionOffset> offsets;
  for (auto& s : *plan) offsets.push_back({s.topic, s.partition, s.to});
  if (kt::Status s = kt::AlterOffsets(cfg, "kgroup", spec.group, offsets); !s.ok()) return Fail(s);
  if (!quiet)
    kt::LogInfo("kgroup", "moved the offsets of " + std::to_string(offsets.size()) + " partitions of group " +
                              spec.group);
  return kt::kExitOk;
}

int Delete(const kt::KafkaConfig& cfg, const std::string& group, bool yes, bool quiet) {
  if (kt::Status s = kt::Confirm("delete consumer group '" + group + "' and its committed offsets", yes);
      !s.ok())
    return Fail(s);
  std::vector<kt::TopicPartitionOffset> committed;
  auto d = Existing(cfg, group, &committed);
  if (!d.ok()) return Fail(d.status());
  if (kt::Status s = kt::DeleteGroup(cfg, "kgroup", group); !s.ok()) return Fail(s);
  if (!quiet) kt::LogInfo("kgroup", "deleted group " + group);
  return kt::kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Consumer groups: list them, describe one (committed offsets, end offsets, lag), move its "
      "offsets (a dry run unless --execute), delete it. A table on a terminal, NDJSON when piped or with "
      "--json.",
      "kgroup"};
  kt::CommonOptions common;
  std::string group, to_time, state_dir;
  bool earliest = false, latest = false, execute = false, yes = false, json = false;
  std::optional<int64_t> shift, to_offset;
  std::optional<int32_t> partition;
  kt::kgroup::ResetSpec reset;
  CLI::App* list = app.add_subcommand("list", "Every consumer group the cluster knows, with its state");
  CLI::App* describe =
      app.add_subcommand("describe", "A group's committed offset, end offset and lag per partition");
  describe->add_option("--state-dir", state_dir,
                       "Where ktools tools keep local state (default ~/.local/state/ktools)");
  CLI::App* reset_cmd =
      app.add_subcommand("reset", "Move a group's committed offsets (prints the plan; --execute applies it)");
  CLI::App* del =
      app.add_subcommand("delete", "Delete a group and its committed offsets (it must have no members)");
  for (CLI::App* sub : {describe, reset_cmd, del})
    sub->add_option("group", group, "The consumer group")->required();
  reset_cmd->add_option("--topic", reset.topic,
                        "Only this topic (default: every topic the group has offsets for)");
  reset_cmd->add_option("--partition", partition, "Only this partition")->check(CLI::NonNegativeNumber);
  auto* targets = reset_cmd->add_option_group("target", "Where to (exactly one)");
  targets->add_flag("--to-earliest", earliest, "The first offset still in each partition");
  targets->add_flag("--to-latest", latest, "The end of each partition (skip everything)");
  targets->add_option("--to-time", to_time,
                      "The first record at or after a time: RFC 3339, -DURATION, epoch ms");
  targets->add_option("--shift-by", shift, "N records forward (negative: back) from the committed offset");
  targets->add_option("--to-offset", to_offset, "This offset (kept within each partition's offsets)");
  targets->require_option(1);
  reset_cmd->add_flag("--execute", execute, "Apply the plan (refused while the group has members)");
  del->add_flag("-y,--yes", yes, "Do not ask for confirmation");
  // The connection options belong to kgroup and are taken after the subcommand too.
  kt::AddCommonOptions(app, common, kt::kOptKafka | kt::kOptVerbosity);
  app.add_flag("--json", json, "NDJSON rows even on a terminal");
  for (CLI::App* sub : {list, describe, reset_cmd, del}) sub->fallthrough();
  app.require_subcommand(0, 1);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;
  if (app.get_subcommands().empty())
    return Fail(kt::Status::InvalidArgument("give a subcommand: list, describe, reset or delete"));

  auto cfg = kt::KafkaConfigOf(common);
  if (!cfg.ok()) return Fail(cfg.status());
  if (kt::DumpConfigIfAsked(common, *cfg)) return kt::kExitOk;
  if (list->parsed()) return List(*cfg, json);
  if (describe->parsed()) return Describe(*cfg, group, state_dir, json, common.quiet);
  if (del->parsed()) return Delete(*cfg, group, yes, common.quiet);

  reset.group = group;
  reset.partition = partition;
  using Kind = kt::kgroup::ResetTarget::Kind;
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
  return Reset(*cfg, reset, execute, json, common.quiet);
}
