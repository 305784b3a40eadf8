// kjoin's Transform: joins the records of the left input (-i, Record::input 0) with those of the
// right input (input 1) by key, both read in timestamp order within a task (SEMANTICS.md,
// "Input order" and "Joins").
//
//   stream-table  a left record joins the right table's current value for its key (inner: only
//                 when there is one; left: also alone, and so is a left record without a key, as
//                 in Kafka Streams 3.7+). Right records only update the table.
//   table-table   both inputs are tables; every update recomputes the key's result and emits it
//                 when there is one (inner: both sides; left: the left side; outer: either side),
//                 or a tombstone when the key had a result and has none now, or when a delete
//                 finds the other side set (Kafka Streams forwards those too). Output time: the
//                 later of the two sides' record times.
//
// Tables live in the tool's state store, keyed "<side>\x1f<key>", each value {"t":time,"v":value}
// with its input positions (a replayed table update is never applied twice), backed by the
// changelog <group>-join-changelog.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "join_keys.hpp"
#include "joined_value.hpp"
#include "kt/state/stateful_transform.hpp"

namespace kt::kjoin {

struct JoinOptions {
  enum class Kind { kStreamTable, kTableTable };
  enum class Type { kInner, kLeft, kOuter };
  Kind kind = Kind::kStreamTable;
  Type type = Type::kInner;
  bool merge = false;       // --merge: one object, left's fields over right's
  bool json_values = true;  // --value-format json: a record's value text is its JSON text
};

class JoinTransform : public StatefulTransform {
 public:
  JoinTransform(std::unique_ptr<PartitionedState> state, JoinOptions options, SideKeys by = {})
      : StatefulTransform(std::move(state)), opt_(options), keys_(std::move(by)) {}

  bool WantsValue() const override {
    return JoinWantsValue(opt_.merge, opt_.json_values) || keys_.ByExpression();
  }
  bool ReadsFields() const override { return opt_.merge || keys_.ByExpression(); }
  Status Process(Input& in, Emitter& out) override;
  std::string SummaryExtra() const override;

 private:
  // The table value of `side` for `key` (nullopt: none) and its record time.
  Result<std::optional<std::string>> Lookup(const Record& rec, char side, const std::string& key,
                                            int64_t* time);
  // Sets `rec`'s side of its key to `value` (nullopt: a tombstone removes it); false for a
  // replayed update, which changes nothing.
  Result<bool> Update(const Record& rec, char side, const std::string& key,
                      const std::optional<std::string>& value);
  // Whether the join type gives a result for these sides.
  bool Joins(bool has_left, bool has_right) const;

  JoinOptions opt_;
  JoinKeys keys_;
  std::string key_, skey_, buf_, out_;
  JoinedValue value_{opt_.merge};
  int64_t null_keys_ = 0, null_values_ = 0, unmatched_ = 0;
};

}  // namespace kt::kjoin
