// kjoin --stream: the windowed stream-stream join (SEMANTICS.md, "Joins"; Kafka Streams'
// KStreamKStreamJoin). A left record at tl joins every right record with the same key and
// tl - before <= tr <= tl + after, in whichever order the two arrive; the pair is emitted when
// the second arrives, at max(tl, tr).
//
// Stream time is per task (partition number) and shared by both sides: the largest record time
// seen, null keys included; it decides when unmatched records are emitted. Left and outer joins
// emit a record that never matched, with null for the other side, once stream time passes its
// window and grace: tl + after + grace for a left record, tr + before + grace for a right one
// (outer), never earlier, so a match within grace is never preceded by a (l, null). Outer sides
// emit a record without a key at once, with null for the other side, as Kafka Streams does.
//
// Retention, as Kafka Streams' join window stores keep it: each side has its own observed time
// (the largest time of its records with a key, null values included) and keeps its records for
// retention = before + after + grace behind it. A record joins the other side's records in its
// window that are still retained (time > observed - retention); it is then kept itself unless it
// is that far behind its own side (late: counted, its pairs emitted all the same, and (l, null)
// at once for an outer side it did not match).
//
// The windows live in memory, rebuilt from the state store when a partition is restored; every
// change is written to the store and the changelog at the commit barrier: records under
// "<side><key>\x1f<offset>" = {"t":time,"p":0|1 (awaiting a non-joined emission),"v":value},
// stream time, each side's observed time and input positions under "\x01L" and "\x01R"
// ({"t":stream time,"o":observed time}).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>

#include "join_transform.hpp"
#include "joined_value.hpp"
#include "kt/state/positions.hpp"
#include "kt/state/stateful_transform.hpp"

namespace kt::kjoin {

struct WindowJoinOptions {
  int64_t before_ms = 0;
  int64_t after_ms = 0;
  int64_t grace_ms = 0;
  JoinOptions::Type type = JoinOptions::Type::kInner;
  bool merge = false;
  bool json_values = true;
};

class WindowJoinTransform : public StatefulTransform {
 public:
  WindowJoinTransform(std::unique_ptr<PartitionedState> state, WindowJoinOptions options, SideKeys by = {})
      : StatefulTransform(std::move(state), /*read_cache=*/false),
        opt_(options),
        keys_(std::move(by)),
        value_(options.merge) {}

  bool WantsValue() const override {
    return JoinWantsValue(opt_.merge, opt_.json_values) || keys_.ByExpression();
  }
  bool ReadsFields() const override { return opt_.merge || keys_.ByExpression(); }
  Status Process(Input& in, Emitter& out) override;
  std::string SummaryExtra() const override;

 protected:
  Status OnRestored(int32_t p) override;
  void OnForgotten(int32_t p) override { parts_.erase(p); }

 private:
  struct Entry {
    int side;  // 0 left, 1 right
    std::string key;
    int64_t t;
    std::string value;
    bool pending;  // an outer side's record that has not matched (yet)
  };
  // Emission order, Kafka Streams' outer-join store order: time, then right before left, then
  // key (the id, "<side><key>\x1f<offset>", orders equal keys by arrival).
  using PendingKey = std::tuple<int64_t, int, std::string>;  // (time, 0 right | 1 left, id)
  static PendingKey PendingOf(int64_t t, int side, const std::string& id) {
    return {t, side == 0 ? 1 : 0, id};
  }
  struct Part {
    int64_t stream_time = INT64_MIN;
    int64_t observed[2] = {INT64_MIN, INT64_MIN};  // per side, for retention
    AppliedPositions pos[2];
    std::map<std::string, Entry> entries;                                  // id -> record
    std::map<std::string, std::multimap<int64_t, std::string>> by_key[2];  // key -> time -> id
    std::multimap<int64_t, std::string> by_time[2];                        // expiry, per side
    std::set<PendingKey> pending;
    // Kafka Streams' lower bound on the pending times (its shared time tracker's minTime): an
    // emission pass runs only when it may find a closed window, and leaves it at the time of the
    // last record it looked at. Not persisted (neither is Kafka Streams').
    int64_t min_time = INT64_MAX;
  };

  bool OuterSide(int side) const;
  int64_t Retention() const { return opt_.before_ms + opt_.after_ms + opt_.grace_ms; }
  // How long after its own time a record of `side` may still find a match.
  int64_t LookAhead(int side) const { return side == 0 ? opt_.after_ms : opt_.before_ms; }
  void Store(int32_t p, const std::string& id, const Entry& e, bool new_key);
  void Remove(int32_t p, Part& part, const std::string& id);
  // Emits the pending records whose window and grace stream time has passed, as Kafka Streams'
  // emission pass does when a record of `side` moves stream time.
  Status EmitClosed(int32_t p, Part& part, int side, const Record& rec, Emitter& out);
  // Drops the records of `side` no longer retained (pending ones once emitted).
  void Expire(int32_t p, Part& part, int side);
  // The oldest time of `side` still retained.
  int64_t Horizon(const Part& part, int side) const;
  Status EmitPair(const Record& rec, std::string_view key, const std::optional<std::string>& left,
                  const std::optional<std::string>& right, int64_t time, bool null_key, Emitter& out);
  void SaveTime(int32_t p, Part& part, int side);

  WindowJoinOptions opt_;
  JoinKeys keys_;
  JoinedValue value_;
  std::map<int32_t, Part> parts_;
  std::string text_, out_;
  int64_t joined_ = 0, unmatched_ = 0, late_ = 0, null_keys_ = 0, null_values_ = 0;
};

}  // namespace kt::kjoin
