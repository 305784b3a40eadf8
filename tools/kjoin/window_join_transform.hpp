// kjoin --stream: the windowed stream-stream join (SEMANTICS.md, "Joins"; Kafka Streams'
// KStreamKStreamJoin). A left record at tl joins every right record with the same key and
// tl - before <= tr <= tl + after, in whichever order the two arrive; the pair is emitted when
// the second arrives, at max(tl, tr).
//
// Stream time is per task (partition number) and shared by both sides: the largest record time
// seen, null keys included. Each side keeps its records for retention = before + after + grace
// of stream time; a record older than that is late (dropped, counted). Left and outer joins emit
// a record that never matched, with null for the other side, once stream time passes its window
// and grace: tl + after + grace for a left record, tr + before + grace for a right one (outer),
// never earlier, so a match within grace is never preceded by a (l, null). Outer sides emit a
// record without a key at once, with null for the other side, as Kafka Streams does.
//
// The windows live in memory, rebuilt from the state store when a partition is restored; every
// change is written to the store and the changelog at the commit barrier: records under
// "<side><key>\x1f<offset>" = {"t":time,"p":0|1 (awaiting a non-joined emission),"v":value},
// stream time and each side's input positions under "\x01L" and "\x01R".
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>

#include "joined_value.hpp"
#include "join_transform.hpp"
#include "kt/state/positions.hpp"
#include "kt/state/stateful_transform.hpp"

namespace kt {

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
  WindowJoinTransform(std::unique_ptr<PartitionedState> state, WindowJoinOptions options)
      : StatefulTransform(std::move(state), /*read_cache=*/false), opt_(options), value_(options.merge) {}

  bool ReadsFields() const override { return opt_.merge; }
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
  using PendingKey = std::tuple<int64_t, int, std::string>;  // (time, side, id): emission order
  struct Part {
    int64_t stream_time = INT64_MIN;
    AppliedPositions pos[2];
    std::map<std::string, Entry> entries;                                    // id -> record
    std::map<std::string, std::multimap<int64_t, std::string>> by_key[2];   // key -> time -> id
    std::multimap<int64_t, std::string> by_time;                             // expiry
    std::set<PendingKey> pending;
  };

  bool OuterSide(int side) const;
  int64_t Retention() const { return opt_.before_ms + opt_.after_ms + opt_.grace_ms; }
  // How long after its own time a record of `side` may still find a match.
  int64_t LookAhead(int side) const { return side == 0 ? opt_.after_ms : opt_.before_ms; }
  void Store(int32_t p, const std::string& id, const Entry& e, bool new_key);
  void Remove(int32_t p, Part& part, const std::string& id);
  // Emits the pending records whose window and grace stream time has passed.
  Status EmitClosed(int32_t p, Part& part, const Record& rec, Emitter& out);
  // Drops the records older than the retention.
  void Expire(int32_t p, Part& part);
  Status EmitPair(const Record& rec, std::string_view key, const std::optional<std::string>& left,
                  const std::optional<std::string>& right, int64_t time, bool null_key, Emitter& out);
  void SaveTime(int32_t p, Part& part, int side);

  WindowJoinOptions opt_;
  JoinedValue value_;
  std::map<int32_t, Part> parts_;
  std::string text_, out_;
  int64_t joined_ = 0, unmatched_ = 0, late_ = 0, null_keys_ = 0, null_values_ = 0;
};

}  // namespace kt
