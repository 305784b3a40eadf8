// How kjoin runs each kind of join (main.cpp parses and checks the flags, then calls one).
#pragma once

#include <optional>
#include <string>

#include "global_join_transform.hpp"
#include "join_transform.hpp"
#include "kt/expr/expr.hpp"
#include "kt/run/options.hpp"
#include "kt/state/stateful_transform.hpp"
#include "window_join_transform.hpp"

namespace kt {

// What a co-partitioned join (stream-stream, stream-table, table-table) reads and how.
struct CoPartitionedJoin {
  std::string right;                 // the right topic
  std::optional<expr::Expr> by;      // --by: the left side re-keyed through <G>-join-left-repartition
  std::optional<expr::Expr> right_by;  // --right-by: the right side, through <G>-join-right-repartition
  std::optional<WindowJoinOptions> window;  // --stream; else a table join with `table`
  JoinOptions table;
};

// Checks co-partitioning (or sizes the repartition topics: as many partitions as the side that
// is not re-keyed, the larger count when both are), opens the join state (changelog
// <G>-join-changelog) and runs the join, behind its repartition stages when a side is re-keyed.
// Consumer groups: G reads the left input (in its re-keying stage when --by is given), G-join-right
// re-keys the right side, and the join itself runs in G, or in G-join behind a re-keyed left side.
// Returns the process exit code; errors are logged.
int RunCoPartitionedJoin(CommonOptions& common, const StateCliOptions& state_opts, CoPartitionedJoin join);

// Bootstraps a global replica of `table` and joins the input (a topic or stdin) against it.
int RunGlobalJoin(CommonOptions& common, const StateCliOptions& state_opts, const std::string& table,
                  GlobalJoinOptions options);

}  // namespace kt
