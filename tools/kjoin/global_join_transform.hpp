// kjoin's Transform for a global table (--global, and a stdin stream with --table): each left
// record looks up the key --on EXPR gives (default: its own key) in a full replica of the table
// (GlobalTable), read to its end before the first record and caught up before every lookup.
// No co-partitioning, no state of its own: the table topic is the replica's changelog.
//
//   inner  a record with a table value for its lookup key joins it; others are dropped
//   left   every record is emitted, with "right":null when the table has no value
// A record whose lookup key is null is dropped (counted), except, in a left join, one without a
// record key, which is emitted with "right":null: Kafka Streams' rule (3.7+).
// The output keeps the stream record's key and time. Records with a null value are dropped
// (counted), as in Kafka Streams.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "joined_value.hpp"
#include "kt/expr/expr.hpp"
#include "kt/state/global_table.hpp"

namespace kt::kjoin {

struct GlobalJoinOptions {
  bool left = false;             // --join left
  bool merge = false;            // --merge
  bool json_values = true;       // --value-format json
  std::optional<expr::Expr> on;  // --on: the table key; nullopt: the record key
};

class GlobalJoinTransform : public Transform {
 public:
  GlobalJoinTransform(std::unique_ptr<GlobalTable> table, GlobalJoinOptions options)
      : table_(std::move(table)), opt_(std::move(options)) {}

  bool WantsValue() const override {
    return JoinWantsValue(opt_.merge, opt_.json_values) || (opt_.on && opt_.on->ReadsValue());
  }
  bool ReadsFields() const override { return opt_.merge || (opt_.on && opt_.on->ReadsFields()); }
  RecordNames Names() const override {
    RecordNames n;
    n.Add(opt_.on);
    return n;
  }
  Status Process(Input& in, Emitter& out) override;
  std::string SummaryExtra() const override;

 private:
  std::unique_ptr<GlobalTable> table_;
  GlobalJoinOptions opt_;
  expr::EvalContext ctx_{0};
  std::string key_, out_;
  JoinedValue value_{opt_.merge};
  int64_t null_lookups_ = 0, null_values_ = 0, unmatched_ = 0;
};

}  // namespace kt::kjoin
