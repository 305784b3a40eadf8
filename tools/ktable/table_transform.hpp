// ktable's Transform: keyed aggregates (SEMANTICS.md, Tables). For every record: group key (the
// record key, or --by EXPR, by the key rules), read the key's state from the partition's store,
// fold the record in, write the state back, write it to the changelog (same partition as the
// input), and emit {"key":..., aggregates...} unless --emit none. Changelog write and output are
// outputs of the input record: its offset is committed only when both are acknowledged.
// Tombstones and records without a key are "no event": counted, not aggregated.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "kt/codec/value_parser.hpp"
#include "kt/state/stateful_transform.hpp"
#include "kt/stream/aggregate.hpp"

namespace kt::ktable {

class TableTransform : public StatefulTransform {
 public:
  TableTransform(std::unique_ptr<PartitionedState> state, Aggregator agg, std::optional<expr::Expr> by,
                 bool emit_updates)
      : StatefulTransform(std::move(state)), agg_(std::move(agg)), by_(std::move(by)), emit_(emit_updates) {}

  bool ReadsFields() const override { return (by_ && by_->ReadsFields()) || agg_.ReadsFields(); }
  RecordNames Names() const override {
    RecordNames n;
    n.Add(by_);
    agg_.AddNames(&n);
    return n;
  }
  bool WantsHeaders() const override {
    return (by_ && by_->ReadsHeaders()) || agg_.ReadsHeaders();
  }  // outputs have none
  // Outputs are the key and the aggregates: no more of a value than the expressions name.
  std::optional<std::vector<std::string>> ValueFieldsRead() const override { return Names().FieldsIfOnly(); }
  Status Process(Input& in, Emitter& out) override;
  std::string SummaryExtra() const override;
  // --http: GET /state/KEY (and ?prefix=), rows as `ktable get` prints them.
  bool Queryable() const override { return true; }
  StateAnswer Query(const StateQuery& q) override;

 private:
  Aggregator agg_;
  std::optional<expr::Expr> by_;
  bool emit_;
  expr::EvalContext ctx_;
  ValueParser state_parser_;
  rapidjson::Document sums_;  // avg's running sums of the key being updated
  RawNumbers raw_;            // the state's number texts and the record's: first/last keep them exact
  std::string key_, buf_, out_, aux_;
  int64_t no_event_ = 0;
};

}  // namespace kt::ktable
