// What a tool implements: a Transform driven by the Runner.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kt/core/json.hpp"
#include "kt/core/record.hpp"
#include "kt/core/status.hpp"
#include "kt/expr/expr.hpp"
#include "kt/io/sink.hpp"
#include "kt/io/source.hpp"
#include "kt/run/monitor.hpp"

namespace kt {

// A record held back by the Transform (Emitter::HoldRecord): its offset is not committed until an
// output on its behalf is acknowledged (EmitHeld) or it is given up (Drop). Opaque to tools; an
// empty Hold (from an Emitter that does not hold) is valid and holds nothing.
class Hold {
 public:
  Hold() = default;

 private:
  friend class Runner;
  explicit Hold(DeliveryToken* record) : record_(record) {}
  DeliveryToken* record_ = nullptr;
};

// Sends outputs on behalf of the record being processed. Every output emitted during
// Transform::Process is tied to that input record: its offset is committed only once every
// output is acknowledged. Emit never fails synchronously; a failure to encode or send is
// reported to the Runner, which applies the error policy to the input record (an internal
// record, or an output emitted outside Process, that cannot be sent is fatal).
class Emitter {
 public:
  virtual ~Emitter() = default;
  virtual void Emit(const OutRecord& out) = 0;

  // Held records, for a Transform that writes a record's contribution later (kbatch).
  // HoldRecord, during Process, keeps the current record's offset from being committed and
  // returns a hold for it. EmitHeld sends one output on behalf of held records: once it is
  // acknowledged each hold is released; if it fails, they are never committed (and the run
  // fails). Drop gives up
  // holds without output (their partitions were revoked or lost: the records are read again
  // where the partitions went). Every hold must be emitted or dropped before its partition is
  // revoked or lost (Transform::OnRevoked/OnLost), or the input ends (Transform::Finish).
  // The Runner, the only Emitter that holds, outlives every Transform call.
  virtual Hold HoldRecord() { return Hold(); }
  virtual void EmitHeld(const OutRecord& out, const std::vector<Hold>& /*holds*/) { Emit(out); }
  virtual void Drop(const std::vector<Hold>& /*holds*/) {}
};

// What a Transform's expressions and field options name in the records, for the Runner's
// checks: a top-level field no record had is reported at the end of the run (a typo), and
// @headers on bare stdin lines, which carry none, is refused at the start.
struct RecordNames {
  std::vector<std::string> fields;  // top-level fields, each once
  bool headers = false;             // an expression reads @headers
  bool whole_value = false;         // an expression reads @value: more than `fields`

  void Add(const std::string& field) {
    for (const std::string& f : fields)
      if (f == field) return;
    fields.push_back(field);
  }
  void Add(const expr::Expr& e) {
    for (const std::string& f : e.Fields()) Add(f);
    headers = headers || e.ReadsHeaders();
    whole_value = whole_value || e.ReadsWholeValue();
  }
  void Add(const std::optional<expr::Expr>& e) {
    if (e) Add(*e);
  }
  // `fields`, when they are all that is read of a value (Transform::ValueFieldsRead).
  std::optional<std::vector<std::string>> FieldsIfOnly() const {
    if (whole_value) return std::nullopt;
    return fields;
  }
};

// The input handed to Process.
struct Input {
  const Record& record;
  // The decoded value: the parsed JSON for `json` values, a JSON string for `raw`/`binary`,
  // nullptr for a tombstone (or when the Transform does not want values). Owned by the Runner,
  // valid until Process returns; the Transform may modify it in place.
  rapidjson::Document* value;
  // The exact texts of the value's numbers that would print differently (see RawNumbers), or
  // null (the usual case). For a transform that writes JSON of its own (aggregates) and wants
  // numbers it took from the record unchanged to keep their text.
  const RawNumbers* raw_numbers = nullptr;
};

class Transform {
 public:
  virtual ~Transform() = default;

  // Whether the Runner should decode and parse values before Process (false for pure
  // passthrough tools that only look at bytes).
  virtual bool WantsValue() const { return true; }
  // Whether Process reads or writes fields of the value. The Runner then requires every value
  // to be a JSON object: anything else (an array, a string, a number, true/false, null) is a
  // data error handled by --on-error (SEMANTICS.md, Records). Tombstones are not values.
  virtual bool ReadsFields() const { return false; }
  // Whether Process reads the input's headers: an expression with @headers, or outputs that carry
  // them on (OutRecord::From). When not (and no dead letter needs them), the Kafka source skips
  // them: librdkafka 2.0 allocates for every record it is asked about, headers or none.
  virtual bool WantsHeaders() const { return true; }
  // Whether every value Process emits is its input's, unchanged (OutRecord::From), and it reads
  // values only as documents (Input::value), never Record::value's text. Then a Source that
  // decodes Avro or Protobuf may leave that text unmade for a Sink that may send the input's
  // bytes on (Sink::MayKeepInputValues), which makes it only when it has to (OutRecord::Text).
  virtual bool PassesValuesThrough() const { return false; }
  // What its expressions (and options like kmap's --drop) name in the records.
  virtual RecordNames Names() const { return {}; }
  // The top-level value fields Process reads, when it reads nothing else of a value (no @value,
  // no value written on): a re-keying stage in front of it may then carry only these through
  // its repartition topic. nullopt (the default): the whole value.
  virtual std::optional<std::vector<std::string>> ValueFieldsRead() const { return std::nullopt; }

  // Processes one record. A non-ok Status (DataError) marks the record bad: the --on-error
  // policy decides whether the tool fails, skips it or dead-letters it.
  virtual Status Process(Input& in, Emitter& out) = 0;

  // Partitions gained (Kafka sources; stdin is partition -1). Returns the partitions whose
  // state must be restored first: the Runner keeps their input paused and calls Restore (with
  // polls of the input in between, so the group never waits on a restore) until they are ready.
  virtual Result<std::vector<int32_t>> OnAssigned(const std::vector<int32_t>& /*partitions*/) {
    return std::vector<int32_t>{};
  }
  // Partitions OnAssigned will be given once the source knows where they start: work that
  // needs no start (opening their stores) may begin now, off the caller's thread.
  virtual void OnAssigning(const std::vector<int32_t>& /*partitions*/) {}
  // Restores for about `budget_ms`; appends the partitions that are ready to `ready`.
  virtual Status Restore(int /*budget_ms*/, std::vector<int32_t>* /*ready*/) { return Status::Ok(); }
  // Partitions going away after the Runner committed everything they produced: close them.
  virtual Status OnRevoked(const std::vector<int32_t>& /*partitions*/) { return Status::Ok(); }
  // Partitions gone without a commit (taken by another instance while this one was away, a
  // failed commit, an aborted transaction): forget what changed since the last commit and
  // write nothing for them, ever.
  virtual void OnLost(const std::vector<int32_t>& /*partitions*/) {}

  // Input ended (-e, -n, end of file): emit whatever is still owed.
  virtual void Finish(Emitter& /*out*/) {}

  // SIGINT/SIGTERM: the run drains and commits before it exits. Emit what should not wait for
  // the next run (kbatch's open batches); state that persists need not.
  virtual void OnStop(Emitter& /*out*/) {}

  // Between records, when no partition restores: background work for about `budget_ms`
  // (standby replicas following their changelogs). `idle`: the input has nothing, so the work
  // may wait for its own input within the budget; else it must not wait.
  virtual Status Maintain(int /*budget_ms*/, bool /*idle*/) { return Status::Ok(); }

  // Wall-clock time passes (Kafka Streams' wall-clock punctuation): called about every 100 ms
  // while the input is idle and every few dozen records otherwise, outside any record.
  virtual void Punctuate(int64_t /*now_ms*/, Emitter& /*out*/) {}

  // The commit barrier (run/runner.hpp). A Transform with state writes what changed since the
  // last commit in WriteState (store writes staged, changelog records emitted); once those
  // changelog records are durable (acknowledged, or their transaction committed) the Runner
  // calls PersistState with each changelog partition's last written offset, and only then
  // commits input offsets. WriteState is called only when every output emitted before it was
  // acknowledged, so persisted state never accounts for an output that could still be lost.
  virtual bool HasState() const { return false; }
  // Whether the Transform emits internal records (OutRecord::internal: changelogs). The run
  // then needs a Kafka sink for them (RunnerSinks::internal), checked when it is built.
  virtual bool WritesInternal() const { return false; }
  // Whether every record it writes is one input record with that record's key, unchanged
  // (kfilter; kmap without --key): its input partitions may then take turns (app/key_turns.hpp).
  virtual bool KeepsKeys() const { return false; }
  virtual Status WriteState(Emitter& /*out*/) { return Status::Ok(); }
  virtual Status PersistState(const std::vector<TopicPartitionOffset>& /*changelog_acked*/) {
    return Status::Ok();
  }
  // Whether what the Transform holds for WriteState has reached its bound: the Runner then
  // commits at its next chance, before --commit-interval has passed.
  virtual bool WantsCommit() const { return false; }

  // Appended to the tool's summary line, e.g. "42 filtered out" or per-route counts.
  virtual std::string SummaryExtra() const { return {}; }
  // The same as named counters for --stats json, e.g. {"filtered", 42}.
  virtual void Counters(std::vector<std::pair<std::string, int64_t>>* /*out*/) const {}

  // --http (run/monitor.hpp), called by the Runner's thread between records. Query answers a
  // state query from the partitions this copy holds (NotFound when none holds the key);
  // StoreSizes appends each held partition's store size.
  virtual bool Queryable() const { return false; }
  virtual StateAnswer Query(const StateQuery& /*q*/) {
    return {Status::NotFound("this tool keeps no state to query"), ""};
  }
  virtual void StoreSizes(std::vector<StoreSize>* /*out*/) const {}
};

}  // namespace kt
