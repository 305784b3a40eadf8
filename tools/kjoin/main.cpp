// kjoin: joins the records of two co-partitioned topics by key, read in timestamp order.
#include "join_transform.hpp"
#include "window_join_transform.hpp"
#include "kt/core/time.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/kafka/admin.hpp"
#include "kt/run/options.hpp"
#include "kt/run/tool.hpp"

namespace {

int Fail(const kt::Status& s) {
  kt::LogError("kjoin", s.message());
  return kt::ExitCodeFor(s);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Join the records of the input (-i, the left side) with those of another topic by key: two "
               "streams within a time window (--stream), a stream with a table (--table), or two tables "
               "(--left-table --table). Both topics are read in timestamp order; windows and tables live in "
               "a state store backed by a changelog topic.", "kjoin"};
  kt::CommonOptions common;
  kt::StateCliOptions state_opts;
  std::string table, stream, type = "inner", within, before, after, grace = "0";
  bool left_table = false, merge = false;
  app.add_option("--stream", stream, "The right side: a stream topic, joined within a time window (--within)");
  app.add_option("--within", within, "--stream: records at most this far apart join, e.g. 10m");
  app.add_option("--before", before, "--stream: how far before a left record a right one may be (instead of --within)");
  app.add_option("--after", after, "--stream: how far after a left record a right one may be (instead of --within)");
  app.add_option("--grace", grace, "--stream: how long records out of order still join")->capture_default_str();
  app.add_option("--table", table, "The right side: a table topic (latest value per key; null deletes)");
  app.add_flag("--left-table", left_table, "The input is a table too: a table-table join that emits result changes");
  app.add_option("--join", type, "inner, left (every left record or key), outer (two streams or two tables: either side)")
      ->check(CLI::IsMember({"inner", "left", "outer"}))->capture_default_str();
  app.add_flag("--merge", merge, "Output one object with the fields of both sides (left wins a name on both)");
  kt::AddStateOptions(app, state_opts);
  kt::AddCommonOptions(app, common, kt::kOptAll | kt::kOptCreate);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  kt::JoinOptions jo;
  jo.kind = left_table ? kt::JoinOptions::Kind::kTableTable : kt::JoinOptions::Kind::kStreamTable;
  jo.type = type == "inner" ? kt::JoinOptions::Type::kInner
            : type == "left" ? kt::JoinOptions::Type::kLeft : kt::JoinOptions::Type::kOuter;
  jo.merge = merge;
  jo.json_values = common.value_format == "json";
  if (table.empty() == stream.empty())
    return Fail(kt::Status::InvalidArgument("give the right side: --stream TOPIC (with --within) or --table TOPIC"));
  if (!stream.empty() && left_table)
    return Fail(kt::Status::InvalidArgument("--left-table joins two tables: use it with --table"));
  if (jo.type == kt::JoinOptions::Type::kOuter && !left_table && stream.empty())
    return Fail(kt::Status::InvalidArgument("--join outer needs two streams or two tables; a stream-table join is inner or left"));
  kt::WindowJoinOptions wo;
  if (!stream.empty()) {
    if (within.empty() == (before.empty() && after.empty()))
      return Fail(kt::Status::InvalidArgument("--stream needs the join window: --within D, or --before D and/or --after D"));
    auto duration = [](const std::string& flag, const std::string& text, int64_t* ms) {
      if (text.empty()) return kt::Status::Ok();
      auto d = kt::ParseDuration(text);
      if (!d.ok()) return kt::Status::InvalidArgument(flag + ": " + d.status().message());
      *ms = *d;
      return kt::Status::Ok();
    };
    for (auto [flag, text, ms] : {std::tuple{"--within", &within, &wo.before_ms}, std::tuple{"--before", &before, &wo.before_ms},
                                  std::tuple{"--after", &after, &wo.after_ms}, std::tuple{"--grace", &grace, &wo.grace_ms}})
      if (kt::Status s = duration(flag, *text, ms); !s.ok()) return Fail(s);
    if (!within.empty()) wo.after_ms = wo.before_ms;
    wo.type = jo.type;
    wo.merge = merge;
    wo.json_values = jo.json_values;
    table = stream;
  } else if (!within.empty() || !before.empty() || !after.empty() || grace != "0") {
    return Fail(kt::Status::InvalidArgument("--within, --before, --after and --grace are for --stream"));
  }
  if (common.input == "-")
    return Fail(kt::Status::InvalidArgument("kjoin reads both sides from Kafka: give the left topic with -i"));
  if (table == common.input) return Fail(kt::Status::InvalidArgument("the right side must be another topic than -i"));

  // Co-partitioned: key k is in the same partition number of both topics, one task per number.
  auto cfg = kt::ResolveKafkaConfig(common);
  if (!cfg.ok()) return Fail(cfg.status());
  if (kt::DumpKafkaConfigIfAsked(common, *cfg)) return kt::kExitOk;
  auto left_n = kt::PartitionCount(*cfg, common.input, "kjoin");
  if (!left_n.ok()) return Fail(left_n.status());
  if (*left_n == 0) return Fail(kt::Status::KafkaError("topic '" + common.input + "' does not exist on " + cfg->brokers));
  auto right_n = kt::PartitionCount(*cfg, table, "kjoin");
  if (!right_n.ok()) return Fail(right_n.status());
  if (*right_n == 0) return Fail(kt::Status::KafkaError("topic '" + table + "' does not exist on " + cfg->brokers));
  if (*left_n != *right_n)
    return Fail(kt::Status::InvalidArgument("the topics are not co-partitioned: '" + common.input + "' has " +
                                            std::to_string(*left_n) + " partitions, '" + table + "' has " +
                                            std::to_string(*right_n) + "; a key must be in the same partition of both"));

  auto state = kt::OpenToolState(common, "kjoin", "join", state_opts, *left_n);
  if (!state.ok()) return Fail(state.status());
  std::unique_ptr<kt::Transform> join;
  if (!stream.empty()) join = std::make_unique<kt::WindowJoinTransform>(std::move(*state), wo);
  else join = std::make_unique<kt::JoinTransform>(std::move(*state), jo);
  kt::SourceSpec source;
  source.more_inputs = {table};
  kt::SinkSpec sink;
  sink.internal = true;  // the changelog
  return kt::RunTool("kjoin", common, *join, std::move(source), std::move(sink));
}
