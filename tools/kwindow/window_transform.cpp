#include "window_transform.hpp"

#include <algorithm>
#include <charconv>
#include <climits>

#include "kt/core/json_reader.hpp"
#include "kt/core/time.hpp"
#include "kt/stream/grouping.hpp"
#include "window_query.hpp"

namespace kt::kwindow {

namespace {

constexpr std::string_view kStreamTimeKey = "__kt.stream_time";

bool ParseInt(std::string_view s, int64_t* v) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

WindowTransform::WindowTransform(std::unique_ptr<PartitionedState> state, WindowSpec spec, Aggregator agg,
                                 std::optional<expr::Expr> by, EventTime time, bool emit_final,
                                 bool close_at_end)
    : StatefulTransform(std::move(state), /*read_cache=*/false),
      spec_(spec),
      agg_(std::move(agg)),
      by_(std::move(by)),
      time_(std::move(time)),
      emit_final_(emit_final),
      close_at_end_(close_at_end) {
  window_json_.SetObject();
  window_json_.AddMember("start", 0, window_json_.GetAllocator());
  window_json_.AddMember("end", 0, window_json_.GetAllocator());
}

const std::string& WindowTransform::WindowKey(std::string_view key, Window w) {
  char num[24];
  wkey_.assign(key).push_back('@');
  wkey_.append(num, std::to_chars(num, num + sizeof num, w.start).ptr);
  wkey_.push_back('/');
  wkey_.append(num, std::to_chars(num, num + sizeof num, w.end).ptr);
  return wkey_;
}

Status WindowTransform::OnRestored(int32_t p) {
  Partition& part = parts_[p];
  part = Partition{};
  return Load(p, &part);
}

void WindowTransform::OnForgotten(int32_t p) { parts_.erase(p); }

// Rebuilds the partition's windows from its restored store.
Status WindowTransform::Load(int32_t p, Partition* part) {
  Status bad;
  rapidjson::Document doc;
  RawNumbers raw;
  Status s = ForEachState(p, [&](std::string_view key, const StateView& state) {
    std::string_view text = state.value;
    if (key == kStreamTimeKey) {  // the stream time, a number
      if (!ParseInt(text, &part->stream_time))
        bad = Status::IoError("bad stream time in state: " + std::string(text));
      part->pos = state.pos;
      return;
    }
    size_t at = key.rfind('@');
    size_t slash = at == std::string_view::npos ? at : key.find('/', at);
    Window w;
    if (slash == std::string_view::npos || !ParseInt(key.substr(at + 1, slash - at - 1), &w.start) ||
        !ParseInt(key.substr(slash + 1), &w.end)) {
      bad = Status::IoError("not a window key in state: '" + std::string(key) + "'");
      return;
    }
    if (!ParseJsonText(text, &doc, &raw).ok() || !doc.IsObject() || !doc.HasMember("t") ||
        !doc["t"].IsInt64() || !doc.HasMember("agg")) {
      bad = Status::IoError("bad window state for '" + std::string(key) + "'");
      return;
    }
    std::string agg;
    AppendJson(doc["agg"], &agg, &raw);
    auto it =
        part->windows
            .emplace(WinKey{std::string(key.substr(0, at)), w.start},
                     WinState{w.end, doc["t"].GetInt64(), std::move(agg), std::string(state.aux), state.pos})
            .first;
    part->by_end.insert(it);
  });
  if (!s.ok()) return s.WithContext("partition " + std::to_string(p));
  if (!bad.ok()) return bad.WithContext("partition " + std::to_string(p));
  return Status::Ok();
}

rapidjson::Document* WindowTransform::LoadSums(const std::string& text) {
  if (!agg_.KeepsSums()) return nullptr;
  sums_.SetNull();
  sums_.GetAllocator().Clear();
  if (!text.empty()) sums_.Parse(text.data(), text.size());  // written by us: valid
  if (sums_.HasParseError()) sums_.SetNull();
  return &sums_;
}

void WindowTransform::SaveSums() {
  sums_text_.clear();
  if (agg_.KeepsSums() && sums_.IsObject() && !sums_.ObjectEmpty()) AppendJson(sums_, &sums_text_);
}

Status WindowTransform::Process(Input& in, Emitter& out) {
  if (!in.value) {
    ++no_event_;
    return Status::Ok();
  }
  ctx_.Reset(&in.record, in.value);
  Result<int64_t> t = time_.Of(in.record, ctx_);
  if (!t.ok()) return t.status();
  if (!GroupKeyOf(by_, ctx_, in.record, &key_)) {
    ++no_event_;
    return Status::Ok();
  }
  if (Status home = CheckHome(in.record, key_); !home.ok()) return home;
  int32_t p = PartitionOf(in.record);
  Partition& part = parts_[p];
  position_ = PositionOf(in.record);
  if (position_ && part.pos.Covers(*position_)) {  // every window it touched was written with it
    CountReplay();
    return Status::Ok();
  }
  record_ = &in.record;
  record_raw_ = in.raw_numbers;
  int64_t before = part.stream_time;
  if (*t > before) part.stream_time = *t;
  agg_.Evaluate(ctx_);
  Result<bool> applied = false;
  switch (spec_.type) {
    case WindowType::kHopping:
      applied = ApplyHopping(part, p, *t, out);
      break;
    case WindowType::kSliding:
      applied = ApplySliding(part, p, *t, out);
      break;
    case WindowType::kSession:
      applied = ApplySession(part, p, *t, out);
      break;
  }
  if (!applied.ok()) {  // an aggregate would overflow: the record changed nothing
    part.stream_time = before;
    record_ = nullptr;
    record_raw_ = nullptr;
    return applied.status();
  }
  if (position_) part.pos.Advance(*position_);
  part.dirty = true;
  part.dirty_time = std::max(part.dirty_time, *t);
  if (part.stream_time != before) Advance(part, p, before, out);
  record_ = nullptr;
  record_raw_ = nullptr;
  if (!*applied) {
    ++late_;
    return Status::Dropped("late record: time " + FormatRfc3339(*t) + " is past the grace period of its " +
                           spec_.Describe() + " windows (stream time " + FormatRfc3339(part.stream_time) +
                           ")");
  }
  return Status::Ok();
}

// The partition record (stream time and every position applied in the partition) goes last in
// each partition's changelog writes (StatefulTransform writes `last` keys after the others):
// when it is in the changelog, so is every window written before it.
void WindowTransform::PrepareWrite() {
  for (auto& [p, part] : parts_) {
    if (!part.dirty) continue;
    part.dirty = false;
    char num[24];
    value_.assign(num, std::to_chars(num, num + sizeof num, part.stream_time).ptr);
    PutState(p, kStreamTimeKey, value_, part.pos, part.dirty_time, false, /*last=*/true);
  }
}

// A record folds into every window or into none: a sum that would overflow in one of them is
// found before any window changes.
Status WindowTransform::CheckFold(const WinState* from) {
  if (!agg_.MayOverflow() || !from) return Status::Ok();
  if (!ParseJsonText(from->agg, &check_doc_, &check_raw_).ok()) return Status::Ok();  // written by us: valid
  check_sums_.SetNull();
  if (!from->sums.empty()) check_sums_.Parse(from->sums.data(), from->sums.size());
  return agg_.Check(check_doc_, check_sums_.IsObject() ? &check_sums_ : nullptr);
}

Result<bool> WindowTransform::ApplyHopping(Partition& part, int32_t p, int64_t t, Emitter& out) {
  bool applied = false;
  spec_.HoppingWindowsFor(t, &hopping_);
  for (Window w : hopping_) {
    if (!spec_.IsOpen(w.end, part.stream_time)) continue;
    auto it = part.windows.find(KeyRef{key_, w.start});
    if (Status s = CheckFold(it == part.windows.end() ? nullptr : &it->second); !s.ok()) return s;
  }
  for (Window w : hopping_) {
    if (!spec_.IsOpen(w.end, part.stream_time)) continue;
    Fold(part, p, w, nullptr, true, t, out);
    applied = true;
  }
  return applied;
}

Result<bool> WindowTransform::ApplySliding(Partition& part, int32_t p, int64_t t, Emitter& out) {
  const int64_t size = spec_.size;
  if (t + 1 + size <= spec_.OpenFrom(part.stream_time)) return false;  // Kafka: even its right window closed
  std::map<int64_t, int64_t> existing;
  for (auto it = part.windows.lower_bound(KeyRef{key_, std::max<int64_t>(0, t - 2 * size)});
       it != part.windows.end() && it->first.key == key_ && it->first.start <= t + 1; ++it)
    existing.emplace(it->first.start, it->second.max_time);
  std::vector<SlidingStep> steps = PlanSliding(existing, t, size);
  std::vector<std::optional<WinState>> copies(steps.size());  // sources as they were before t
  for (size_t i = 0; i < steps.size(); ++i)
    if (steps[i].copy_from) copies[i] = part.windows.find(KeyRef{key_, *steps[i].copy_from})->second;
  for (size_t i = 0; i < steps.size(); ++i) {
    const SlidingStep& step = steps[i];
    if (!step.add_record || !spec_.IsOpen(step.window.end, part.stream_time)) continue;
    auto it = part.windows.find(KeyRef{key_, step.window.start});
    const WinState* from = it != part.windows.end() ? &it->second : copies[i] ? &*copies[i] : nullptr;
    if (Status s = CheckFold(from); !s.ok()) return s;
  }
  bool applied = false;
  for (size_t i = 0; i < steps.size(); ++i) {
    const SlidingStep& step = steps[i];
    if (step.add_record && !spec_.IsOpen(step.window.end, part.stream_time)) continue;
    Fold(part, p, step.window, copies[i] ? &*copies[i] : nullptr, step.add_record, t, out);
    applied = applied || step.add_record;
  }
  return applied;
}

Result<bool> WindowTransform::ApplySession(Partition& part, int32_t p, int64_t t, Emitter& out) {
  std::map<int64_t, int64_t> sessions;
  for (auto it = part.windows.lower_bound(KeyRef{key_, INT64_MIN});
       it != part.windows.end() && it->first.key == key_; ++it)
    sessions.emplace(it->first.start, it->second.end);
  SessionPlan plan = PlanSession(sessions, t, spec_.size);
  if (!spec_.IsOpen(plan.merged.end, part.stream_time)) return false;
  // Only the merged session must be open (Kafka Streams): it may take in a session that closed.
  for (Window w : plan.joined) {
    const AppliedPositions& pos = part.windows.find(KeyRef{key_, w.start})->second.pos;
    if (position_ && pos.Covers(*position_)) return true;  // the record is in that session already
  }

  (void)parser_.ParseJson("{}");  // cannot fail
  rapidjson::Document* state = parser_.doc();
  rapidjson::Document joined;
  int64_t max_time = t;
  AppliedPositions merged_pos;
  RawNumbers session_raw;  // of every session merged
  rapidjson::Document* sums = LoadSums("");
  rapidjson::Document joined_sums;
  // The merged session first (nothing changes when a sum would overflow), then the sessions
  // it replaces go away.
  for (Window w : plan.joined) {
    auto it = part.windows.find(KeyRef{key_, w.start});
    if (!ParseJsonText(it->second.agg, &joined, &joined_raw_).ok())
      joined.SetObject();  // written by us: valid
    session_raw.AddAll(&joined_raw_);
    joined_sums.SetNull();
    if (sums && !it->second.sums.empty()) joined_sums.Parse(it->second.sums.data(), it->second.sums.size());
    if (Status s = agg_.Merge(state, sums, joined, joined_sums); !s.ok()) return s;
    max_time = std::max(max_time, it->second.max_time);
    merged_pos.Merge(it->second.pos);
  }
  if (Status s = agg_.Fold(state, sums); !s.ok()) return s;
  for (Window w : plan.joined) {
    auto it = part.windows.find(KeyRef{key_, w.start});
    bool replaced = w != plan.merged;  // its key (which names the window) goes away
    // As Kafka Streams does, every session the record merges into another window is deleted
    // downstream, at its own end time, even the one whose window the merged session keeps.
    if (plan.merged != Window{t, t} && !emit_final_) EmitTombstone(key_, w, w.end, out);
    Remove(part, p, it, replaced);
  }
  SaveSums();
  const RawNumbers* raw = CombineRawNumbers(&session_raw, record_raw_, &raw_);
  buf_.clear();
  AppendJson(*state, &buf_, raw);
  if (position_) merged_pos.Advance(*position_);
  auto it = part.windows
                .emplace(WinKey{key_, plan.merged.start},
                         WinState{plan.merged.end, max_time, buf_, sums_text_, std::move(merged_pos)})
                .first;
  part.by_end.insert(it);
  bool new_key = std::find(plan.joined.begin(), plan.joined.end(), plan.merged) == plan.joined.end();
  Persist(p, it, new_key);
  if (!emit_final_) EmitWindow(key_, plan.merged, max_time, *state, raw, out);
  return true;
}

void WindowTransform::Fold(Partition& part, int32_t p, Window w, const WinState* from, bool add, int64_t t,
                           Emitter& out) {
  auto it = part.windows.find(KeyRef{key_, w.start});
  bool exists = it != part.windows.end();
  if (exists && add && position_ && it->second.pos.Covers(*position_)) return;  // written with it already
  if (exists) from = &it->second;
  AppliedPositions pos = from ? from->pos : AppliedPositions();
  if (add && position_) pos.Advance(*position_);
  if (!parser_.ParseJson(from ? std::string_view(from->agg) : std::string_view("{}")).ok())
    (void)parser_.ParseJson("{}");  // unreachable: states are written by us
  rapidjson::Document* state = parser_.doc();
  rapidjson::Document* sums = LoadSums(from ? from->sums : std::string());
  int64_t max_time = from ? from->max_time : t;
  if (add) {
    (void)agg_.Fold(state, sums);  // checked by CheckFold before any window changed
    max_time = std::max(max_time, t);
  }
  SaveSums();
  const RawNumbers* raw = CombineRawNumbers(parser_.raw_numbers(), record_raw_, &raw_);
  buf_.clear();
  AppendJson(*state, &buf_, raw);
  if (exists) {
    it->second.agg = buf_;
    it->second.sums = sums_text_;
    it->second.max_time = max_time;
    it->second.pos = std::move(pos);
  } else {
    it = part.windows
             .emplace(WinKey{key_, w.start}, WinState{w.end, max_time, buf_, sums_text_, std::move(pos)})
             .first;
    part.by_end.insert(it);
  }
  Persist(p, it, !exists);
  if (!emit_final_) EmitWindow(key_, w, max_time, *state, raw, out);
}

void WindowTransform::Persist(int32_t p, WinMap::iterator it, bool new_key) {
  char num[24];
  value_.assign("{\"t\":");
  value_.append(num, std::to_chars(num, num + sizeof num, it->second.max_time).ptr);
  value_.append(",\"agg\":").append(it->second.agg).push_back('}');
  PutState(p, WindowKey(it->first.key, {it->first.start, it->second.end}), value_, it->second.pos,
           it->second.max_time, new_key, false, it->second.sums);
}

void WindowTransform::Remove(Partition& part, int32_t p, WinMap::iterator it, bool forget) {
  if (forget) DeleteState(p, WindowKey(it->first.key, {it->first.start, it->second.end}), part.stream_time);
  part.by_end.erase(it);
  part.windows.erase(it);
}

void WindowTransform::Advance(Partition& part, int32_t p, int64_t before, Emitter& out) {
  if (emit_final_) {
    int64_t open_now = spec_.OpenFrom(part.stream_time);
    for (auto e = part.by_end.lower_bound(spec_.OpenFrom(before)); e != part.by_end.end(); ++e) {
      WinMap::iterator it = *e;
      if (it->second.end >= open_now) break;
      (void)parser_.ParseJson(it->second.agg);  // written by us: valid
      EmitWindow(it->first.key, {it->first.start, it->second.end}, it->second.max_time, *parser_.doc(),
                 parser_.raw_numbers(), out);
    }
  }
  while (!part.by_end.empty() && spec_.IsExpired((*part.by_end.begin())->second.end, part.stream_time))
    Remove(part, p, *part.by_end.begin(), true);
}

// The end of input (end of stdin or a file, -e, -n) closes nothing by itself: windows close as
// stream time passes them, on stdin as on Kafka, so a later run goes on where this one ended.
// With --close-at-end the input is declared complete: stream time moves to the first time at
// which every window is closed (and stays there: later records for those windows are late),
// so --emit final writes them all now.
void WindowTransform::Finish(Emitter& out) {
  for (auto& [p, part] : parts_) {
    int64_t open = 0, close = part.stream_time;
    for (auto& [key, w] : part.windows) {
      if (!spec_.IsOpen(w.end, part.stream_time)) continue;  // closed, kept until retention
      ++open;
      close = std::max(close, spec_.CloseTime(w.end));
    }
    if (open == 0) continue;
    if (!close_at_end_) {
      open_at_end_ += open;
      continue;
    }
    int64_t before = part.stream_time;
    part.stream_time = close;
    part.dirty = true;
    closed_at_end_ += open;
    Advance(part, p, before, out);
  }
}

void WindowTransform::EmitWindow(std::string_view key, Window w, int64_t max_time,
                                 const rapidjson::Value& state, const RawNumbers* raw, Emitter& out) {
  const std::string& okey = WindowKey(key, w);
  window_json_["start"].SetInt64(w.start);
  window_json_["end"].SetInt64(w.end);
  out_.clear();
  agg_.Render(state, key, &out_, &window_json_, raw);
  OutRecord o;
  o.key = okey;
  o.partition_key = key;
  o.value_kind = OutRecord::ValueKind::kText;
  o.value_text = out_;
  o.timestamp = max_time;
  if (record_ && !emit_final_) {
    o.source_topic = record_->topic;
    o.source_partition = record_->partition;
    o.source_offset = record_->offset;
  }
  out.Emit(o);
}

void WindowTransform::EmitTombstone(std::string_view key, Window w, int64_t t, Emitter& out) {
  OutRecord o;
  o.key = WindowKey(key, w);
  o.partition_key = key;
  o.value_kind = OutRecord::ValueKind::kNull;
  o.timestamp = t;
  out.Emit(o);
}

std::string WindowTransform::SummaryExtra() const {
  std::string s = StateSummary();
  if (late_) s += ", " + std::to_string(late_) + " late records dropped";
  if (closed_at_end_) s += ", " + std::to_string(closed_at_end_) + " windows closed at the end of input";
  if (open_at_end_ && emit_final_)
    s += ", " + std::to_string(open_at_end_) +
         " windows still open at the end of input (--close-at-end closes them)";
  if (no_event_) s += ", " + std::to_string(no_event_) + " tombstones or null keys ignored";
  std::string skipped = agg_.SkippedSummary();
  if (!skipped.empty()) s += ", " + skipped;
  return s;
}

StateAnswer WindowTransform::Query(const StateQuery& q) {
  std::map<std::string, std::string> contents;
  // Window keys are "<key>@<start>/<end>".
  if (Status s = CollectState(q.prefix ? q.key : q.key + "@", false, &contents); !s.ok()) return {s, ""};
  StateAnswer a;
  std::optional<std::string> key;
  if (!q.prefix) key = q.key;
  a.status = RenderWindows(contents, key, std::nullopt, "the window store", &a.lines);
  if (a.status.ok() && a.lines.empty())
    a.status = Status::NotFound("no key with a live window starts with '" + q.key + "'");
  return a;
}

}  // namespace kt::kwindow
