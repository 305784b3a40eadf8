// What a tool implements: a Transform driven by the Runner.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kt/core/json.hpp"
#include "kt/core/record.hpp"
#include "kt/core/status.hpp"

namespace kt {

// Sends outputs on behalf of the record being processed. Every output emitted during
// Transform::Process is tied to that input record: its offset is committed only once every
// output is acknowledged. Emit never fails synchronously; a failure to encode or send is
// reported to the Runner, which applies the error policy to the input record.
class Emitter {
 public:
  virtual ~Emitter() = default;
  virtual void Emit(const OutRecord& out) = 0;
};

// The input handed to Process.
struct Input {
  const Record& record;
  // The decoded value: the parsed JSON for `json` values, a JSON string for `raw`/`binary`,
  // nullptr for a tombstone (or when the Transform does not want values). Owned by the Runner,
  // valid until Process returns; the Transform may modify it in place.
  rapidjson::Document* value;
};

class Transform {
 public:
  virtual ~Transform() = default;

  // Whether the Runner should decode and parse values before Process (false for pure
  // passthrough tools that only look at bytes).
  virtual bool WantsValue() const { return true; }

  // Processes one record. A non-ok Status (DataError) marks the record bad: the --on-error
  // policy decides whether the tool fails, skips it or dead-letters it.
  virtual Status Process(Input& in, Emitter& out) = 0;

  // Partitions gained / about to be lost (Kafka sources; stdin is partition -1).
  virtual void OnAssigned(const std::vector<int32_t>& /*partitions*/) {}
  virtual void OnRevoked(const std::vector<int32_t>& /*partitions*/) {}

  // Input ended (-e, -n, end of file): emit whatever is still owed.
  virtual void Finish(Emitter& /*out*/) {}

  // Called before the Runner commits input offsets (periodically, before partitions are revoked,
  // and at the end). A stateful Transform writes what it has coalesced (changelog records) and
  // persists local state here. Anything emitted here is acknowledged before offsets are taken.
  virtual void BeforeCommit(Emitter& /*out*/) {}

  // Whether BeforeCommit persists state: then the Runner waits for every output to be
  // acknowledged before BeforeCommit, so persisted state never accounts for an output that
  // could still be lost (kwindow's closed windows are not emitted again after a restart).
  virtual bool HasState() const { return false; }

  // Whether what the Transform holds for BeforeCommit has reached its bound: the Runner then
  // commits at its next chance, before --commit-interval has passed (a state cache that must
  // not grow with the number of keys written between two commits).
  virtual bool WantsCommit() const { return false; }

  // Appended to the tool's summary line, e.g. "42 filtered out" or per-route counts.
  virtual std::string SummaryExtra() const { return {}; }
};

}  // namespace kt
