// kjoin's own flags and what they resolve to: which join (a co-partitioned stream-stream,
// stream-table or table-table join, or a join against a replicated table), its sides, window,
// type and output shape. Every rule about flags that do not fit together lives here.
#pragma once

#include <optional>
#include <string>

#include "global_join_transform.hpp"
#include "join_run.hpp"
#include "kt/run/cli_fwd.hpp"

namespace kt::kjoin {

struct JoinFlags {
  std::string table, stream, global, on, by, right_by, type = "inner", within, before, after, grace = "0";
  bool left_table = false, merge = false;
};

void AddJoinFlags(CLI::App& app, JoinFlags& f);

struct JoinSetup {
  std::string right;                               // the right side's topic
  std::optional<GlobalJoinOptions> replica;        // --global, or --table with a stdin stream
  std::optional<CoPartitionedJoin> copartitioned;  // otherwise
};

// The flags resolved for input `input` ("-": stdin) and value codec `value_format`. Usage
// errors (InvalidArgument) name the flags that do not fit.
Result<JoinSetup> ResolveJoinFlags(const JoinFlags& f, const std::string& input,
                                   const std::string& value_format);

}  // namespace kt::kjoin
