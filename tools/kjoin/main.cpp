// kjoin: joins the records of the input with those of another topic by key (kjoin(1)).
#include "join_run.hpp"
#include "kt/app/fail.hpp"
#include "kt/app/run_plan.hpp"
#include "kt/app/run_tool.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/core/time.hpp"

namespace {

int Fail(const kt::Status& s) {
  kt::LogError("kjoin", s.message());
  return kt::ExitCodeFor(s);
}

// Parses the --flag expression `text` into `out` (left empty when `text` is).
kt::Status ParseExpr(const char* flag, const std::string& text, std::optional<kt::expr::Expr>* out) {
  if (text.empty()) return kt::Status::Ok();
  auto e = kt::expr::Expr::Parse(text);
  if (!e.ok()) return kt::Status::InvalidArgument(std::string(flag) + ": " + e.status().message());
  *out = std::move(*e);
  return kt::Status::Ok();
}

kt::Status ParseWindow(const std::string& within, const std::string& before, const std::string& after,
                       const std::string& grace, kt::kjoin::WindowJoinOptions* wo) {
  if (within.empty() == (before.empty() && after.empty()))
    return kt::Status::InvalidArgument(
        "--stream needs the join window: --within D, or --before D and/or --after D");
  for (auto [flag, text, ms] :
       {std::tuple{"--within", &within, &wo->before_ms}, std::tuple{"--before", &before, &wo->before_ms},
        std::tuple{"--after", &after, &wo->after_ms}, std::tuple{"--grace", &grace, &wo->grace_ms}}) {
    if (text->empty()) continue;
    auto d = kt::ParseDuration(*text);
    if (!d.ok()) return kt::Status::InvalidArgument(std::string(flag) + ": " + d.status().message());
    *ms = *d;
  }
  if (!within.empty()) wo->after_ms = wo->before_ms;
  return kt::Status::Ok();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Join the records of the input (-i, the left side) with those of another topic by key: two "
      "streams within a time window (--stream), a stream with a table (--table), two tables "
      "(--left-table --table), or a stream with a full replica of a table (--global). Co-partitioned "
      "sides are read in timestamp order; windows and tables live in a state store backed by a "
      "changelog topic.",
      "kjoin"};
  kt::CommonOptions common;
  kt::StateCliOptions state_opts{.name = "join"};
  std::string table, stream, global, on, by, right_by, type = "inner", within, before, after, grace = "0";
  bool left_table = false, merge = false;
  app.add_option("--stream", stream,
                 "The right side: a stream topic, joined within a time window (--within)");
  app.add_option("--within", within, "--stream: records at most this far apart join, e.g. 10m");
  app.add_option("--before", before,
                 "--stream: how far before a left record a right one may be (instead of --within)");
  app.add_option("--after", after,
                 "--stream: how far after a left record a right one may be (instead of --within)");
  app.add_option("--grace", grace, "--stream: how long records out of order still join")
      ->capture_default_str();
  app.add_option("--table", table, "The right side: a table topic (latest value per key; null deletes)");
  app.add_flag("--left-table", left_table,
               "The input is a table too: a table-table join that emits result changes");
  app.add_option("--global", global,
                 "The right side: a table topic replicated whole, looked up by --on (no co-partitioning)");
  app.add_option(
      "--on", on,
      "--global (or --table with -i -): the table key to look up, an expression (default: the record key)");
  app.add_option("--by", by, "Re-key the left side by this expression first (through a repartition topic)");
  app.add_option("--right-by", right_by,
                 "Re-key the right side by this expression first (through a repartition topic)");
  app.add_option("--join", type,
                 "inner, left (every left record or key), outer (two streams or two tables: either side)")
      ->check(CLI::IsMember({"inner", "left", "outer"}))
      ->capture_default_str();
  app.add_flag("--merge", merge,
               "Output one object with the fields of both sides (left wins a name on both)");
  kt::AddStateOptions(app, state_opts);
  kt::AddCommonOptions(app, common, kt::kOptAll | kt::kOptCreate);
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  using Status = kt::Status;
  if (int(!table.empty()) + int(!stream.empty()) + int(!global.empty()) != 1)
    return Fail(Status::InvalidArgument(
        "give one right side: --stream TOPIC (with --within), --table TOPIC or --global TOPIC"));
  if (left_table && table.empty())
    return Fail(Status::InvalidArgument("--left-table joins two tables: use it with --table"));
  bool windowed = !stream.empty();
  if (!windowed && (!within.empty() || !before.empty() || !after.empty() || grace != "0"))
    return Fail(Status::InvalidArgument("--within, --before, --after and --grace are for --stream"));
  if (type == "outer" && !windowed && !left_table)
    return Fail(Status::InvalidArgument(
        "--join outer needs two streams or two tables; a stream-table join is inner or left"));
  bool stdin_input = common.input == "-";
  // A stdin stream cannot be co-partitioned with a topic: its --table is read whole, as --global.
  bool replica = !global.empty() || (stdin_input && !table.empty() && !left_table);
  if (!on.empty() && !replica)
    return Fail(Status::InvalidArgument("--on is for --global (and --table with a stdin stream, -i -)"));
  if (replica && (!by.empty() || !right_by.empty()))
    return Fail(Status::InvalidArgument(
        global.empty()
            ? "with a stdin stream (-i -) the --table is read whole, as --global: look records up by "
              "a key of theirs with --on EXPR (not --by, --right-by)"
            : "--by and --right-by re-key co-partitioned sides; a global table is looked up by --on"));
  if (stdin_input && !replica)
    return Fail(
        Status::InvalidArgument("a stdin stream (-i -) joins a --table or --global table; "
                                "give the left topic with -i for --stream and --left-table"));
  std::string right = !stream.empty() ? stream : !table.empty() ? table : global;
  if (right == common.input)
    return Fail(Status::InvalidArgument("the right side must be another topic than -i"));

  bool json_values = common.value_format == "json";
  auto plan = kt::PlanRun("kjoin", common);
  if (!plan.ok()) return Fail(plan.status());
  if (replica) {
    kt::kjoin::GlobalJoinOptions go;
    go.left = type == "left";
    go.merge = merge;
    go.json_values = json_values;
    if (Status s = ParseExpr("--on", on, &go.on); !s.ok()) return Fail(s);
    return kt::kjoin::RunGlobalJoin(*plan, state_opts, right, std::move(go));
  }

  kt::kjoin::CoPartitionedJoin join;
  join.right = right;
  join.by = by;
  join.right_by = right_by;
  std::optional<kt::expr::Expr> unused;  // the expressions are checked here, used by the stages
  if (Status s = ParseExpr("--by", by, &unused); !s.ok()) return Fail(s);
  if (Status s = ParseExpr("--right-by", right_by, &unused); !s.ok()) return Fail(s);
  auto join_type = type == "inner"  ? kt::kjoin::JoinOptions::Type::kInner
                   : type == "left" ? kt::kjoin::JoinOptions::Type::kLeft
                                    : kt::kjoin::JoinOptions::Type::kOuter;
  if (windowed) {
    kt::kjoin::WindowJoinOptions wo;
    if (Status s = ParseWindow(within, before, after, grace, &wo); !s.ok()) return Fail(s);
    wo.type = join_type;
    wo.merge = merge;
    wo.json_values = json_values;
    join.window = wo;
  } else {
    join.table.kind =
        left_table ? kt::kjoin::JoinOptions::Kind::kTableTable : kt::kjoin::JoinOptions::Kind::kStreamTable;
    join.table.type = join_type;
    join.table.merge = merge;
    join.table.json_values = json_values;
  }
  return kt::kjoin::RunCoPartitionedJoin(*plan, state_opts, join);
}
