// kwindow's Transform: windowed aggregates by event time (SEMANTICS.md, Windows).
//
// For every record: its time (EventTime), its group key (record key or --by), the partition's
// stream time advanced to it; then the record is folded into the windows it belongs to — those
// still open (grace) — by the rules in kt/window.hpp. A record no open window takes is late:
// counted and returned as Dropped (dead-lettered under --on-error dlq).
//
// State: every window of every assigned partition is held in memory (bounded by retention, not
// by input length), and written through StatefulTransform to the store and the changelog under
// "<group key>@<start>/<end>" as {"t": <largest record time>, "agg": <aggregate state>}; a purged
// or merged-away window is deleted (a changelog tombstone). The partition's stream time is kept
// under "__kt.stream_time" in the same store, so after a restart windows that had closed are
// neither reopened nor emitted again.
//
// Output: --emit update writes a window's aggregate whenever it changes (and a tombstone for a
// session that merged into another); --emit final writes each window once, when stream time
// closes it, in window-end order. Output key "<group key>@<start>/<end>", value {"key", "window":
// {"start","end"}, aggregates...}, timestamp the largest record time in the window. Stream time
// only advances with records: windows still open when the input ends stay open (in the state,
// for a later run to go on), on stdin as on Kafka, unless --close-at-end (see Finish).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "kt/codec/value_parser.hpp"
#include "kt/state/stateful_transform.hpp"
#include "kt/stream/aggregate.hpp"
#include "kt/stream/event_time.hpp"
#include "kt/stream/window.hpp"

namespace kt::kwindow {

class WindowTransform : public StatefulTransform {
 public:
  WindowTransform(std::unique_ptr<PartitionedState> state, WindowSpec spec, Aggregator agg,
                  std::optional<expr::Expr> by, EventTime time, bool emit_final, bool close_at_end = false);

  bool ReadsFields() const override {
    return (by_ && by_->ReadsFields()) || agg_.ReadsFields() || time_.ReadsFields();
  }
  RecordNames Names() const override {
    RecordNames n;
    n.Add(by_);
    agg_.AddNames(&n);
    n.Add(time_.expr());
    return n;
  }
  // Outputs are the key, the window and the aggregates: no more of a value than the expressions name.
  std::optional<std::vector<std::string>> ValueFieldsRead() const override { return Names().FieldsIfOnly(); }
  bool WantsHeaders() const override {  // outputs have none
    return (by_ && by_->ReadsHeaders()) || agg_.ReadsHeaders() || time_.ReadsHeaders();
  }
  Status Process(Input& in, Emitter& out) override;
  void Finish(Emitter& out) override;
  std::string SummaryExtra() const override;
  // The state's counters and the late records dropped (--stats json, --http's ktools_late_total).
  void Counters(std::vector<std::pair<std::string, int64_t>>* out) const override {
    StatefulTransform::Counters(out);
    out->emplace_back("late", late_);
  }
  // --http: GET /state/KEY (and ?prefix=), windows as `kwindow get` prints them (as of the
  // last commit: kwindow writes its windows to the store at commits).
  bool Queryable() const override { return true; }
  StateAnswer Query(const StateQuery& q) override;

 private:
  struct WinKey {
    std::string key;
    int64_t start;
  };
  struct WinKeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      int c = std::string_view(a.key).compare(std::string_view(b.key));
      return c < 0 || (c == 0 && a.start < b.start);
    }
  };
  struct WinState {
    int64_t end;
    int64_t max_time;      // largest record time in the window: the output timestamp
    std::string agg;       // Aggregator state (JSON)
    std::string sums;      // Aggregator sums (JSON, "" none): the state's aux
    AppliedPositions pos;  // the input positions the window reflects
  };
  using WinMap = std::map<WinKey, WinState, WinKeyLess>;
  struct EndLess {  // window-end order, ties by key and start: deterministic
    using is_transparent = void;
    bool operator()(WinMap::iterator a, int64_t end) const { return a->second.end < end; }
    bool operator()(int64_t end, WinMap::iterator b) const { return end < b->second.end; }
    bool operator()(WinMap::iterator a, WinMap::iterator b) const {
      if (a->second.end != b->second.end) return a->second.end < b->second.end;
      return WinKeyLess()(a->first, b->first);
    }
  };
  struct Partition {
    int64_t stream_time = -1;
    WinMap windows;
    std::set<WinMap::iterator, EndLess> by_end;
    AppliedPositions pos;     // every input position applied in the partition
    bool dirty = false;       // stream time or positions changed since the last write
    int64_t dirty_time = -1;  // the largest record time since then (the record's timestamp)
  };
  struct KeyRef {
    std::string_view key;
    int64_t start;
  };

  Status OnRestored(int32_t p) override;
  void OnForgotten(int32_t p) override;
  void PrepareWrite() override;
  Status Load(int32_t p, Partition* part);
  // Each folds the current record into its windows; false: it is late for all of them. A sum
  // that would overflow is a DataError, with no window changed.
  Result<bool> ApplyHopping(Partition& part, int32_t p, int64_t t, Emitter& out);
  Result<bool> ApplySliding(Partition& part, int32_t p, int64_t t, Emitter& out);
  Result<bool> ApplySession(Partition& part, int32_t p, int64_t t, Emitter& out);
  Status CheckFold(const WinState* from);
  // Folds the current record (ctx_) into window w of key_, starting from its state, or from
  // `from` (a copy) for a new window, then persists and (update mode) emits it. `add` false
  // creates the window as a copy without the record.
  void Fold(Partition& part, int32_t p, Window w, const WinState* from, bool add, int64_t t, Emitter& out);
  // Removes a window from memory; `forget` also deletes it from the store and the changelog.
  void Remove(Partition& part, int32_t p, WinMap::iterator it, bool forget);
  // Writes a window's state; `new_key`: the store does not hold it (a window just created).
  void Persist(int32_t p, WinMap::iterator it, bool new_key);
  // Stream time moved from `before` to part.stream_time: emit what closed (final mode), purge
  // what expired.
  void Advance(Partition& part, int32_t p, int64_t before, Emitter& out);
  // `raw`: the texts of the state's numbers: its own and the record's (first/last/min/max keep
  // a number exactly as it was read).
  void EmitWindow(std::string_view key, Window w, int64_t max_time, const rapidjson::Value& state,
                  const RawNumbers* raw, Emitter& out);
  void EmitTombstone(std::string_view key, Window w, int64_t t, Emitter& out);
  // "<key>@<start>/<end>": the output key, and the window's key in the store and changelog.
  // Valid until the next call.
  const std::string& WindowKey(std::string_view key, Window w);
  // sums_ from a window's sums text (null document for none); the text of sums_ into sums_text_.
  rapidjson::Document* LoadSums(const std::string& text);
  void SaveSums();

  WindowSpec spec_;
  Aggregator agg_;
  std::optional<expr::Expr> by_;
  EventTime time_;
  bool emit_final_;
  bool close_at_end_;
  int64_t closed_at_end_ = 0, open_at_end_ = 0;
  expr::EvalContext ctx_;
  const Record* record_ = nullptr;          // the record being processed (for provenance)
  const RawNumbers* record_raw_ = nullptr;  // its number texts, while it is processed
  RawNumbers raw_, joined_raw_;             // CombineRawNumbers' scratch; a merged session's texts
  ValueParser parser_;
  rapidjson::Document sums_;                    // the sums of the window being folded
  rapidjson::Document check_doc_, check_sums_;  // CheckFold's
  RawNumbers check_raw_;
  rapidjson::Document window_json_;
  std::map<int32_t, Partition> parts_;
  std::string key_, wkey_, value_, buf_, out_, sums_text_;
  std::vector<Window> hopping_;  // the current record's hopping windows (capacity reused)
  int64_t late_ = 0;
  int64_t no_event_ = 0;
  std::optional<InputPosition> position_;  // the current record's
};

}  // namespace kt::kwindow
