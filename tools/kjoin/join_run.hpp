// How kjoin runs each kind of join (main.cpp parses and checks the flags, then calls one).
#pragma once

#include <optional>
#include <string>

#include "global_join_transform.hpp"
#include "join_transform.hpp"
#include "kt/app/run_plan.hpp"
#include "window_join_transform.hpp"

namespace kt::kjoin {

// What a co-partitioned join (stream-stream, stream-table, table-table) reads and how.
struct CoPartitionedJoin {
  std::string right;                        // the right topic
  std::string by;                           // --by: the left side re-keyed through <G>-join-left-repartition
  std::string right_by;                     // --right-by: the right side, through <G>-join-right-repartition
  std::optional<WindowJoinOptions> window;  // --stream; else a table join with `table`
  JoinOptions table;
};

// The join's stateful plan (app/stateful_plan.hpp) with the stage name "join": co-partitioning
// checked (or the repartition topics sized: as many partitions as the side that is not
// re-keyed, the larger count when both are), the join state in changelog <G>-<name>-changelog.
// Consumer groups: G reads the left input (in its re-keying stage when --by is given),
// G-join-right re-keys the right side, and the join itself runs in G, or in G-join behind a
// re-keyed left side. Returns the process exit code; errors are logged.
int RunCoPartitionedJoin(const RunPlan& run, const StateCliOptions& state_opts,
                         const CoPartitionedJoin& join);

// Bootstraps a global replica of `table` and joins the input (a topic or stdin) against it.
int RunGlobalJoin(const RunPlan& run, const StateCliOptions& state_opts, const std::string& table,
                  GlobalJoinOptions options);

}  // namespace kt::kjoin
