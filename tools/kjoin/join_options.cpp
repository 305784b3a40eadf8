#include "join_options.hpp"

#include <CLI/CLI.hpp>
#include <tuple>

#include "kt/codec/codec.hpp"
#include "kt/core/time.hpp"

namespace kt::kjoin {

namespace {

// Parses the --flag expression `text` into `out` (left empty when `text` is).
Status ParseExpr(const char* flag, const std::string& text, std::optional<expr::Expr>* out) {
  if (text.empty()) return Status::Ok();
  auto e = expr::Expr::Parse(text);
  if (!e.ok()) return Status::InvalidArgument(std::string(flag) + ": " + e.status().message());
  *out = std::move(*e);
  return Status::Ok();
}

Status ParseWindow(const JoinFlags& f, WindowJoinOptions* wo) {
  if (f.within.empty() == (f.before.empty() && f.after.empty()))
    return Status::InvalidArgument(
        "--stream needs the join window: --within D, or --before D and/or --after D");
  for (auto [flag, text, ms] :
       {std::tuple{"--within", &f.within, &wo->before_ms}, std::tuple{"--before", &f.before, &wo->before_ms},
        std::tuple{"--after", &f.after, &wo->after_ms}, std::tuple{"--grace", &f.grace, &wo->grace_ms}}) {
    if (text->empty()) continue;
    auto d = ParseDuration(*text);
    if (!d.ok()) return Status::InvalidArgument(std::string(flag) + ": " + d.status().message());
    *ms = *d;
  }
  if (!f.within.empty()) wo->after_ms = wo->before_ms;
  return Status::Ok();
}

}  // namespace

void AddJoinFlags(CLI::App& app, JoinFlags& f) {
  app.add_option("--stream", f.stream,
                 "The right side: a stream topic, joined within a time window (--within)");
  app.add_option("--within", f.within, "--stream: records at most this far apart join, e.g. 10m");
  app.add_option("--before", f.before,
                 "--stream: how far before a left record a right one may be (instead of --within)");
  app.add_option("--after", f.after,
                 "--stream: how far after a left record a right one may be (instead of --within)");
  app.add_option("--grace", f.grace, "--stream: how long records out of order still join")
      ->capture_default_str();
  app.add_option("--table", f.table, "The right side: a table topic (latest value per key; null deletes)");
  app.add_flag("--left-table", f.left_table,
               "The input is a table too: a table-table join that emits result changes");
  app.add_option("--global", f.global,
                 "The right side: a table topic replicated whole, looked up by --on (no co-partitioning)");
  app.add_option(
      "--on", f.on,
      "--global (or --table with -i -): the table key to look up, an expression (default: the record key)");
  app.add_option("--by", f.by, "Re-key the left side by this expression first (through a repartition topic)");
  app.add_option("--right-by", f.right_by,
                 "Re-key the right side by this expression first (through a repartition topic)");
  app.add_option("--join", f.type,
                 "inner, left (every left record or key), outer (two streams or two tables: either side)")
      ->check(CLI::IsMember({"inner", "left", "outer"}))
      ->capture_default_str();
  app.add_flag("--merge", f.merge,
               "Output one object with the fields of both sides (left wins a name on both)");
}

Result<JoinSetup> ResolveJoinFlags(const JoinFlags& f, const std::string& input,
                                   const std::string& value_format) {
  if (int(!f.table.empty()) + int(!f.stream.empty()) + int(!f.global.empty()) != 1)
    return Status::InvalidArgument(
        "give one right side: --stream TOPIC (with --within), --table TOPIC or --global TOPIC");
  if (f.left_table && f.table.empty())
    return Status::InvalidArgument("--left-table joins two tables: use it with --table");
  bool windowed = !f.stream.empty();
  if (!windowed && (!f.within.empty() || !f.before.empty() || !f.after.empty() || f.grace != "0"))
    return Status::InvalidArgument("--within, --before, --after and --grace are for --stream");
  if (f.type == "outer" && !windowed && !f.left_table)
    return Status::InvalidArgument(
        "--join outer needs two streams or two tables; a stream-table join is inner or left");
  bool stdin_input = input == "-";
  // A stdin stream cannot be co-partitioned with a topic: its --table is read whole, as --global.
  bool replica = !f.global.empty() || (stdin_input && !f.table.empty() && !f.left_table);
  if (!f.on.empty() && !replica)
    return Status::InvalidArgument("--on is for --global (and --table with a stdin stream, -i -)");
  if (replica && (!f.by.empty() || !f.right_by.empty()))
    return Status::InvalidArgument(
        f.global.empty()
            ? "with a stdin stream (-i -) the --table is read whole, as --global: look records up by "
              "a key of theirs with --on EXPR (not --by, --right-by)"
            : "--by and --right-by re-key co-partitioned sides; a global table is looked up by --on");
  if (stdin_input && !replica)
    return Status::InvalidArgument(
        "a stdin stream (-i -) joins a --table or --global table; "
        "give the left topic with -i for --stream and --left-table");
  JoinSetup setup;
  setup.right = !f.stream.empty() ? f.stream : !f.table.empty() ? f.table : f.global;
  if (setup.right == input) return Status::InvalidArgument("the right side must be another topic than -i");

  auto codec = Codec::Parse(value_format);
  bool json_values = codec.ok() && (codec->UsesRegistry() || (codec->IsJson() && codec->IsIdentity()));
  if (replica) {
    GlobalJoinOptions go;
    go.left = f.type == "left";
    go.merge = f.merge;
    go.json_values = json_values;
    if (Status s = ParseExpr("--on", f.on, &go.on); !s.ok()) return s;
    setup.replica = std::move(go);
    return setup;
  }
  CoPartitionedJoin join;
  join.right = setup.right;
  join.by = f.by;
  join.right_by = f.right_by;
  std::optional<expr::Expr> unused;  // the expressions are checked here, used by the stages
  if (Status s = ParseExpr("--by", f.by, &unused); !s.ok()) return s;
  if (Status s = ParseExpr("--right-by", f.right_by, &unused); !s.ok()) return s;
  auto type = f.type == "inner"  ? JoinOptions::Type::kInner
              : f.type == "left" ? JoinOptions::Type::kLeft
                                 : JoinOptions::Type::kOuter;
  if (windowed) {
    WindowJoinOptions wo;
    if (Status s = ParseWindow(f, &wo); !s.ok()) return s;
    wo.type = type;
    wo.merge = f.merge;
    wo.json_values = json_values;
    join.window = wo;
  } else {
    join.table.kind = f.left_table ? JoinOptions::Kind::kTableTable : JoinOptions::Kind::kStreamTable;
    join.table.type = type;
    join.table.merge = f.merge;
    join.table.json_values = json_values;
  }
  setup.copartitioned = std::move(join);
  return setup;
}

}  // namespace kt::kjoin
