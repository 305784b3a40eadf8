// ktopic: topics as an operator sees them: list, describe, create, delete, alter, stats.
#include <unistd.h>

#include <iostream>

#include "kt/app/fail.hpp"
#include "kt/app/run_plan.hpp"
#include "kt/app/run_tool.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/json.hpp"
#include "kt/core/log.hpp"
#include "kt/io/confirm.hpp"
#include "kt/io/rows.hpp"
#include "kt/kafka/groups.hpp"
#include "kt/kafka/topics.hpp"
#include "kt/run/options.hpp"
#include "topic_read.hpp"
#include "topic_stats.hpp"

namespace {

int Fail(const kt::Status& s) {
  kt::LogError("ktopic", s.message());
  return kt::ExitCodeFor(s);
}

std::string IntList(const std::vector<int32_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}

std::vector<int32_t> Ids(const kt::TopicMetadata& t) {
  std::vector<int32_t> ids;
  for (auto& p : t.partitions) ids.push_back(p.id);
  return ids;
}

std::string OptionalMs(const std::optional<int64_t>& ms) { return ms ? std::to_string(*ms) : "null"; }

bool Internal(const std::string& topic) { return !topic.empty() && topic[0] == '_'; }

int List(const kt::KafkaConfig& cfg, bool all, bool json, bool names) {
  auto listed = kt::DescribeTopics(cfg, "ktopic");
  if (!listed.ok()) return Fail(listed.status());
  std::vector<kt::TopicMetadata> topics;
  for (auto& t : *listed)
    if (all || !Internal(t.name)) topics.push_back(std::move(t));
  if (names) {  // metadata only: cheap enough for shell completion
    for (auto& t : topics) std::cout << t.name << "\n";
    return kt::kExitOk;
  }
  kt::TopicPartitions wanted;
  for (auto& t : topics) wanted.emplace_back(t.name, Ids(t));
  auto all_marks = kt::Watermarks(cfg, "ktopic", wanted);
  if (!all_marks.ok()) return Fail(all_marks.status());
  kt::RowPrinter out({"topic", "partitions", "replication", "records"}, json);
  for (size_t i = 0; i < topics.size(); ++i) {
    const kt::TopicMetadata& t = topics[i];
    int64_t records = 0;
    for (auto& m : (*all_marks)[i]) records += m.high - m.low;
    size_t replication = t.partitions.empty() ? 0 : t.partitions[0].replicas.size();
    out.Add({kt::QuoteJson(t.name), std::to_string(t.partitions.size()), std::to_string(replication),
             std::to_string(records)});
  }
  return kt::kExitOk;
}

int Describe(const kt::KafkaConfig& cfg, const std::string& topic, bool all_configs, bool json,
             bool verbose) {
  auto topics = kt::DescribeTopics(cfg, "ktopic", topic);
  if (!topics.ok()) return Fail(topics.status());
  const kt::TopicMetadata& t = topics->front();
  auto marks = kt::Watermarks(cfg, "ktopic", topic, Ids(t));
  if (!marks.ok()) return Fail(marks.status());
  auto edges = kt::ktopic::ReadEdges(cfg, topic, *marks, verbose);
  if (!edges.ok()) return Fail(edges.status());
  auto configs = kt::TopicConfigs(cfg, "ktopic", topic);
  if (!configs.ok()) return Fail(configs.status());
  {
    kt::RowPrinter out({"topic", "partition", "leader", "replicas", "isr", "low", "high", "first_timestamp",
                        "last_timestamp"},
                       json);
    for (size_t i = 0; i < t.partitions.size(); ++i) {
      const auto& p = t.partitions[i];
      out.Add({kt::QuoteJson(topic), std::to_string(p.id), std::to_string(p.leader), IntList(p.replicas),
               IntList(p.isr), std::to_string((*marks)[i].low), std::to_string((*marks)[i].high),
               OptionalMs((*edges)[i].first_ts), OptionalMs((*edges)[i].last_ts)});
    }
  }
  if (!json && isatty(STDOUT_FILENO)) std::cout << "\n";
  kt::RowPrinter out({"topic", "config", "value", "source"}, json);
  for (auto& c : *configs)
    if (all_configs || c.source == "dynamic_topic")  // set on the topic itself
      out.Add({kt::QuoteJson(topic), kt::QuoteJson(c.name), c.sensitive ? "null" : kt::QuoteJson(c.value),
               kt::QuoteJson(c.source)});
  return kt::kExitOk;
}

// name=value pairs of --config / --set.
kt::Result<kt::Properties> Pairs(const std::vector<std::string>& items, const std::string& flag) {
  kt::Properties out;
  for (auto& it : items) {
    auto eq = it.find('=');
    if (eq == std::string::npos || eq == 0)
      return kt::Status::InvalidArgument(flag + " " + it + ": expected NAME=VALUE");
    out.emplace_back(it.substr(0, eq), it.substr(eq + 1));
  }
  return out;
}

bool Exists(const kt::KafkaConfig& cfg, const std::string& topic, kt::Status* error) {
  auto t = kt::DescribeTopics(cfg, "ktopic", topic);
  if (!t.ok() && !t.status().IsNotFound()) *error = t.status();
  return t.ok();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Topics: list them, describe one (partitions, replicas, watermarks, first and last timestamps, "
      "configs), create, delete, change their configs, and read one whole for statistics. A table on a "
      "terminal, NDJSON when piped or with --json.",
      "ktopic"};
  kt::CommonOptions common;
  std::string topic;
  std::vector<std::string> topics, configs, set, unset;
  bool json = false, all = false, yes = false, if_not_exists = false, if_exists = false, names = false;
  int partitions = -1;
  size_t sample = 3;
  CLI::App* list =
      app.add_subcommand("list", "Every topic: partitions, replication factor, records (from offsets)");
  list->add_flag("-a,--all", all, "Also internal topics (names starting with _)");
  list->add_flag("--names", names, "Only the names, one per line (metadata only: fast)");
  CLI::App* describe = app.add_subcommand("describe", "One topic per partition, then its configs");
  describe->add_flag("-a,--all", all, "Every config, defaults too (default: only those set)");
  CLI::App* create = app.add_subcommand("create", "Create a topic");
  create->add_option("-p,--partitions", partitions, "Partitions (default: the broker's num.partitions)")
      ->check(CLI::PositiveNumber);
  create->add_option("-c,--set", configs, "A topic config NAME=VALUE (repeatable), as alter --set");
  create->add_flag("--if-not-exists", if_not_exists,
                   "An existing topic is no error (its settings are not checked)");
  CLI::App* del = app.add_subcommand("delete", "Delete topics and all their records");
  del->add_option("topics", topics, "The topics")->required();
  del->add_flag("-y,--yes", yes, "Do not ask for confirmation (needed when not on a terminal)");
  del->add_flag("--if-exists", if_exists, "A missing topic is no error");
  CLI::App* alter = app.add_subcommand("alter", "Change a topic's configs or grow its partitions");
  alter->add_option("--set", set, "Set a config NAME=VALUE (repeatable)");
  alter->add_option("--unset", unset, "Return a config to its default (repeatable)");
  alter
      ->add_option("-p,--partitions", partitions,
                   "Grow to this many partitions (keys move: keyed state breaks)")
      ->check(CLI::PositiveNumber);
  CLI::App* stats = app.add_subcommand(
      "stats", "Read a topic whole: records, bytes, keys, time range, value shape, sample");
  stats->add_option("--sample", sample, "Records in the sample (default 3)");
  for (CLI::App* sub : {describe, create, alter, stats})
    sub->add_option("topic", topic, "The topic")->required();
  kt::AddCommonOptions(app, common, kt::kOptKafka | kt::kOptVerbosity);
  create
      ->add_option("--replication-factor", common.replication_factor,
                   "Replicas of each partition (default: the broker's default.replication.factor)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--json", json, "NDJSON rows even on a terminal");
  for (CLI::App* sub : {list, describe, create, del, alter, stats}) sub->fallthrough();
  app.require_subcommand(0, 1);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;
  if (app.get_subcommands().empty())
    return Fail(
        kt::Status::InvalidArgument("give a subcommand: list, describe, create, delete, alter or stats"));
  if (alter->parsed() && set.empty() && unset.empty() && partitions < 0)
    return Fail(kt::Status::InvalidArgument("alter: give --set, --unset or --partitions"));

  auto cfg = kt::KafkaConfigOf(common);
  if (!cfg.ok()) return Fail(cfg.status());
  if (kt::DumpConfigIfAsked(common, *cfg)) return kt::kExitOk;
  if (list->parsed()) return List(*cfg, all, json, names);
  if (describe->parsed()) return Describe(*cfg, topic, all, json, common.verbose);

  if (create->parsed()) {
    auto props = Pairs(configs, "--set");
    if (!props.ok()) return Fail(props.status());
    kt::Status error;
    if (if_not_exists && Exists(*cfg, topic, &error)) return kt::kExitOk;
    if (!error.ok()) return Fail(error);
    kt::TopicSpec spec{.name = topic,
                       .partitions = partitions,
                       .replication_factor = common.replication_factor,
                       .configs = *props};
    if (kt::Status s = kt::CreateTopic(*cfg, spec, "ktopic"); !s.ok()) return Fail(s);
    if (!common.quiet) kt::LogInfo("ktopic", "created topic " + topic);
    return kt::kExitOk;
  }

  if (del->parsed()) {
    std::vector<std::string> doomed;
    for (auto& t : topics) {
      kt::Status error;
      if (Exists(*cfg, t, &error))
        doomed.push_back(t);
      else if (!error.ok())
        return Fail(error);
      else if (!if_exists)
        return Fail(kt::Status::KafkaError("topic '" + t + "' does not exist (nothing deleted)"));
    }
    if (doomed.empty()) return kt::kExitOk;
    std::string names;
    for (auto& t : doomed) names += (names.empty() ? "'" : ", '") + t + "'";
    if (kt::Status s = kt::Confirm("delete " + names + " and all their records", yes); !s.ok())
      return Fail(s);
    for (auto& t : doomed) {
      if (kt::Status s = kt::DeleteTopic(*cfg, "ktopic", t); !s.ok()) return Fail(s);
      if (!common.quiet) kt::LogInfo("ktopic", "deleted topic " + t);
    }
    return kt::kExitOk;
  }

  if (alter->parsed()) {
    auto props = Pairs(set, "--set");
    if (!props.ok()) return Fail(props.status());
    auto meta = kt::DescribeTopics(*cfg, "ktopic", topic);
    if (!meta.ok()) return Fail(meta.status());
    int have = static_cast<int>(meta->front().partitions.size());
    if (partitions > 0 && partitions < have)
      return Fail(kt::Status::InvalidArgument("topic '" + topic + "' has " + std::to_string(have) +
                                              " partitions: Kafka cannot shrink a topic to " +
                                              std::to_string(partitions)));
    if (!props->empty() || !unset.empty()) {
      if (kt::Status s = kt::AlterTopicConfigs(*cfg, "ktopic", topic, *props, unset); !s.ok()) return Fail(s);
      if (!common.quiet) kt::LogInfo("ktopic", "changed the configs of topic " + topic);
    }
    if (partitions > have) {
      if (kt::Status s = kt::AddPartitions(*cfg, "ktopic", topic, partitions); !s.ok()) return Fail(s);
      if (!common.quiet)
        kt::LogInfo("ktopic", "topic " + topic + " grew from " + std::to_string(have) + " to " +
                                  std::to_string(partitions) + " partitions");
    }
    return kt::kExitOk;
  }

  // stats
  auto meta = kt::DescribeTopics(*cfg, "ktopic", topic);
  if (!meta.ok()) return Fail(meta.status());
  auto marks = kt::Watermarks(*cfg, "ktopic", topic, Ids(meta->front()));
  if (!marks.ok()) return Fail(marks.status());
  kt::ktopic::TopicStats summary(topic, static_cast<int>(marks->size()), sample);
  if (kt::Status s = kt::ktopic::ReadRange(*cfg, topic, *marks, common.verbose,
                                           [&](const kt::ktopic::TopicRecord& r) { summary.Add(r); });
      !s.ok())
    return Fail(s);
  std::string text = summary.ToJson();
  if (!json && isatty(STDOUT_FILENO)) {
    rapidjson::Document d;
    if (kt::ParseJson(text, &d).ok()) {
      text.clear();
      kt::AppendPrettyJson(d, &text);
    }
  }
  std::cout << text << "\n";
  return kt::kExitOk;
}
