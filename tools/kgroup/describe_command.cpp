// kgroup describe GROUP: committed offset, end offset and lag per partition; for a ktools
// stateful group also its internal topics and its local state.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <tuple>

#include "commands.hpp"
#include "kt/core/json.hpp"
#include "kt/core/log.hpp"
#include "kt/io/rows.hpp"
#include "kt/kafka/admin.hpp"
#include "kt/kafka/group_repair.hpp"
#include "kt/kafka/topics.hpp"
#include "kt/state/store.hpp"

namespace kt::kgroup {

namespace {

// A ktools stateful group's own topics (<group>-...-changelog, <group>-...-repartition) and its
// local state (<state dir>/<group>/<store>/partition-N), one row each.
Status DescribeInternals(const KafkaConfig& cfg, const std::string& group, const std::string& state_dir,
                         bool json) {
  auto topics = DescribeTopics(cfg, "kgroup");
  if (!topics.ok()) return topics.status();
  std::vector<std::string> kinds;
  TopicPartitions internal;
  for (auto& t : *topics) {
    if (t.name.rfind(group + "-", 0) != 0) continue;
    std::string kind = t.name.ends_with("-changelog")     ? "changelog"
                       : t.name.ends_with("-repartition") ? "repartition"
                                                          : "";
    if (kind.empty()) continue;
    std::vector<int32_t> ids;
    for (auto& p : t.partitions) ids.push_back(p.id);
    kinds.push_back(kind);
    internal.emplace_back(t.name, std::move(ids));
  }
  auto marks = Watermarks(cfg, "kgroup", internal);
  if (!marks.ok()) return marks.status();
  RowPrinter out({"group", "internal_topic", "kind", "partitions", "records"}, json);
  for (size_t i = 0; i < internal.size(); ++i) {
    int64_t records = 0;
    for (auto& m : (*marks)[i]) records += m.high - m.low;
    out.Add({QuoteJson(group), QuoteJson(internal[i].first), QuoteJson(kinds[i]),
             std::to_string(internal[i].second.size()), std::to_string(records)});
  }
  out.Flush();
  std::string dir = StateDir(state_dir, group, "");
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return Status::Ok();
  RowPrinter local({"group", "store", "local_state", "partitions"}, json);
  for (auto& store : std::filesystem::directory_iterator(dir, ec)) {
    if (!store.is_directory()) continue;
    int partitions = 0;
    for (auto& p : std::filesystem::directory_iterator(store.path(), ec))
      partitions += p.path().filename().string().rfind("partition-", 0) == 0;
    local.Add({QuoteJson(group), QuoteJson(store.path().filename().string()),
               QuoteJson(store.path().string()), std::to_string(partitions)});
  }
  return Status::Ok();
}

// A Stable group whose members are assigned some of a topic's partitions but not all: nothing
// reads the rest until the group rebalances. Said on stderr; the partitions are listed.
Status WarnOwnerless(const KafkaConfig& cfg, const GroupDescription& d) {
  std::vector<std::string> topics;
  for (const GroupMember& m : d.member_list)
    for (const auto& [topic, partition] : m.assignment) topics.push_back(topic);
  std::sort(topics.begin(), topics.end());
  topics.erase(std::unique(topics.begin(), topics.end()), topics.end());
  std::vector<int> counts;
  for (const std::string& topic : topics) {
    auto n = PartitionCount(cfg, topic, "kgroup");
    if (!n.ok()) return n.status();
    counts.push_back(*n);
  }
  std::vector<TopicPartition> gap = OwnerlessPartitions(d, topics, counts);
  if (!gap.empty())
    LogWarning("kgroup",
               "group " + d.group + " is Stable but assigns " + ListPartitions(gap) +
                   " to no member: nothing reads them until it rebalances. A member killed while a "
                   "rebalance moved partitions, back as a static member, is handed what the broker "
                   "stored; a member joining or leaving makes the group rebalance (ktools copies do "
                   "it themselves)");
  return Status::Ok();
}

class DescribeCommand : public Command {
 public:
  std::string Name() const override { return "describe"; }
  std::string Summary() const override {
    return "A group's committed offset, end offset and lag per partition";
  }
  void Setup(CLI::App& sub) override {
    sub.add_option("--state-dir", state_dir_,
                   "Where ktools tools keep local state (default ~/.local/state/ktools)");
    sub.add_option("group", group_, "The consumer group")->required();
  }
  Status Run(const CommandContext& ctx) override;

 private:
  std::string group_, state_dir_;
};

Status DescribeCommand::Run(const CommandContext& ctx) {
  const KafkaConfig& cfg = ctx.kafka;
  const std::string& group = group_;
  bool json = ctx.json;
  std::vector<TopicPartitionOffset> committed;
  auto d = Existing(cfg, group, &committed);
  if (!d.ok()) return d.status();
  std::sort(committed.begin(), committed.end(), [](const auto& a, const auto& b) {
    return std::tie(a.topic, a.partition) < std::tie(b.topic, b.partition);
  });
  int64_t total = 0;
  RowPrinter out({"group", "topic", "partition", "committed", "end", "lag"}, json);
  for (size_t first = 0; first < committed.size();) {  // one topic at a time (sorted)
    size_t last = first;
    std::vector<int32_t> parts;
    for (; last < committed.size() && committed[last].topic == committed[first].topic; ++last)
      parts.push_back(committed[last].partition);
    auto marks = Watermarks(cfg, "kgroup", committed[first].topic, parts);
    if (!marks.ok()) return marks.status();
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
  if (!d->member_list.empty()) {  // who reads what: one row per member
    RowPrinter members({"group", "member", "client_id", "instance_id", "host", "assignment"}, json);
    for (const GroupMember& m : d->member_list) {
      std::string parts;  // "topic:0,1 other:2"
      for (size_t i = 0; i < m.assignment.size(); ++i) {
        bool same = i > 0 && m.assignment[i].first == m.assignment[i - 1].first;
        parts += (same ? ","
                  : i  ? " "
                       : "") +
                 (same ? "" : m.assignment[i].first + ":") + std::to_string(m.assignment[i].second);
      }
      members.Add({QuoteJson(group), QuoteJson(m.member_id), QuoteJson(m.client_id),
                   m.instance_id.empty() ? "null" : QuoteJson(m.instance_id), QuoteJson(m.host),
                   QuoteJson(parts)});
    }
    members.Flush();
    if (d->known && d->state == "Stable")
      if (Status s = WarnOwnerless(cfg, *d); !s.ok()) return s;
  }
  if (Status s = DescribeInternals(cfg, group, state_dir_, json); !s.ok()) return s;
  if (!ctx.common->quiet)
    LogInfo("kgroup", "group " + group +
                          (d->known ? " is " + d->state + " with " + std::to_string(d->members) + " members"
                                    : ": kbroker cannot tell its state or members") +
                          "; lag " + std::to_string(total) + " over " + std::to_string(committed.size()) +
                          " partitions");
  return Status::Ok();
}

}  // namespace

std::unique_ptr<Command> MakeDescribeCommand() { return std::make_unique<DescribeCommand>(); }

}  // namespace kt::kgroup
