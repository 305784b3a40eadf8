// ktopic list [PATTERN]: every topic (or those matching a pattern, kafka/topic_pattern.hpp) with its
// partitions, replication factor and record count.
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.hpp"
#include "kt/core/json.hpp"
#include "kt/io/rows.hpp"
#include "kt/kafka/groups.hpp"
#include "kt/kafka/topic_pattern.hpp"

namespace kt::ktopic {

namespace {

bool Internal(const std::string& topic) { return !topic.empty() && topic[0] == '_'; }

class ListCommand : public Command {
 public:
  std::string Name() const override { return "list"; }
  std::string Summary() const override {
    return "Every topic: partitions, replication factor, records (from offsets)";
  }
  void Setup(CLI::App& sub) override {
    sub.add_flag("-a,--all", all_, "Also internal topics (names starting with _)");
    sub.add_flag("--names", names_, "Only the names, one per line (metadata only: fast)");
    sub.add_option(
        "pattern", pattern_,
        "Only topics matching this shell pattern ('clicks*') or regular expression ('^clicks-.*')");
  }
  Status Run(const CommandContext& ctx) override {
    if (Status s = CheckTopicPattern(pattern_); !s.ok()) return s;
    auto listed = DescribeTopics(ctx.kafka, ctx.tool);
    if (!listed.ok()) return listed.status();
    std::vector<TopicMetadata> topics;
    for (auto& t : *listed)
      if ((all_ || !Internal(t.name)) && (pattern_.empty() || TopicMatches(pattern_, t.name)))
        topics.push_back(std::move(t));
    if (names_) {  // metadata only: cheap enough for shell completion
      for (auto& t : topics) std::cout << t.name << "\n";
      return Status::Ok();
    }
    TopicPartitions wanted;
    for (auto& t : topics) wanted.emplace_back(t.name, Ids(t));
    auto all_marks = Watermarks(ctx.kafka, ctx.tool, wanted);
    if (!all_marks.ok()) return all_marks.status();
    RowPrinter out({"topic", "partitions", "replication", "records"}, ctx.json);
    for (size_t i = 0; i < topics.size(); ++i) {
      const TopicMetadata& t = topics[i];
      int64_t records = 0;
      for (auto& m : (*all_marks)[i]) records += m.high - m.low;
      size_t replication = t.partitions.empty() ? 0 : t.partitions[0].replicas.size();
      out.Add({QuoteJson(t.name), std::to_string(t.partitions.size()), std::to_string(replication),
               std::to_string(records)});
    }
    return Status::Ok();
  }

 private:
  bool all_ = false, names_ = false;
  std::string pattern_;
};

}  // namespace

std::unique_ptr<Command> MakeListCommand() { return std::make_unique<ListCommand>(); }

std::vector<int32_t> Ids(const TopicMetadata& t) {
  std::vector<int32_t> ids;
  for (auto& p : t.partitions) ids.push_back(p.id);
  return ids;
}

Result<Properties> Pairs(const std::vector<std::string>& items, const std::string& flag) {
  Properties out;
  for (auto& it : items) {
    auto eq = it.find('=');
    if (eq == std::string::npos || eq == 0)
      return Status::InvalidArgument(flag + " " + it + ": expected NAME=VALUE");
    out.emplace_back(it.substr(0, eq), it.substr(eq + 1));
  }
  return out;
}

Result<TopicOffsets> DescribeWithOffsets(const KafkaConfig& cfg, const std::string& tool,
                                         const std::string& topic) {
  auto topics = DescribeTopics(cfg, tool, topic);
  if (!topics.ok()) return topics.status();
  TopicOffsets out{std::move(topics->front()), {}};
  auto marks = Watermarks(cfg, tool, topic, Ids(out.meta));
  if (!marks.ok()) return marks.status();
  out.marks = std::move(*marks);
  return out;
}

bool Exists(const KafkaConfig& cfg, const std::string& topic, Status* error) {
  auto t = DescribeTopics(cfg, "ktopic", topic);
  if (!t.ok() && !t.status().IsNotFound()) *error = t.status();
  return t.ok();
}

}  // namespace kt::ktopic
