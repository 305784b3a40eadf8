#include "window_join_transform.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>

namespace kt::kjoin {

namespace {

constexpr char kSides[2] = {'L', 'R'};
const std::string kTimeKeys[2] = {"\x01L", "\x01R"};
constexpr std::string_view kEntryValueMember = ",\"v\":";

std::string IdOf(int side, std::string_view key, int64_t offset) {
  char num[24];
  int n = std::snprintf(num, sizeof num, "%020lld", static_cast<long long>(offset));
  std::string id(1, kSides[side]);
  id.append(key).push_back('\x1f');
  id.append(num, static_cast<size_t>(n));
  return id;
}

}  // namespace

bool WindowJoinTransform::OuterSide(int side) const {
  return opt_.type == JoinOptions::Type::kOuter || (opt_.type == JoinOptions::Type::kLeft && side == 0);
}

void WindowJoinTransform::Store(int32_t p, const std::string& id, const Entry& e, bool new_key) {
  text_.assign("{\"t\":").append(std::to_string(e.t)).append(",\"p\":").append(e.pending ? "1" : "0");
  text_.append(kEntryValueMember).append(e.value).push_back('}');
  PutState(p, id, text_, AppliedPositions(), e.t, new_key);
}

void WindowJoinTransform::Remove(int32_t p, Part& part, const std::string& id) {
  auto it = part.entries.find(id);
  if (it == part.entries.end()) return;
  const Entry& e = it->second;
  auto& times = part.by_key[e.side][e.key];
  for (auto [a, b] = times.equal_range(e.t); a != b; ++a)
    if (a->second == id) {
      times.erase(a);
      break;
    }
  if (times.empty()) part.by_key[e.side].erase(e.key);
  for (auto [a, b] = part.by_time[e.side].equal_range(e.t); a != b; ++a)
    if (a->second == id) {
      part.by_time[e.side].erase(a);
      break;
    }
  part.pending.erase(PendingOf(e.t, e.side, id));
  DeleteState(p, id, e.t);
  part.entries.erase(it);
}

void WindowJoinTransform::SaveTime(int32_t p, Part& part, int side) {
  text_.assign("{\"t\":").append(std::to_string(part.stream_time));
  text_.append(",\"o\":").append(std::to_string(part.observed[side])).push_back('}');
  PutState(p, kTimeKeys[side], text_, part.pos[side], part.stream_time, false, /*last=*/true);
}

Status WindowJoinTransform::EmitPair(const Record& rec, std::string_view key,
                                     const std::optional<std::string>& left,
                                     const std::optional<std::string>& right, int64_t time, bool null_key,
                                     Emitter& out) {
  if (Status s = value_.Render(left, right, &out_); !s.ok()) return s;
  out.Emit(JoinOutput(rec, null_key ? std::nullopt : std::optional<std::string_view>(key), &out_, time));
  return Status::Ok();
}

Status WindowJoinTransform::EmitClosed(int32_t p, Part& part, int side, const Record& rec, Emitter& out) {
  // Nothing can have closed yet: the earliest pending record's window (seen from the side that
  // moved stream time, as Kafka Streams looks) is still open.
  if (part.min_time != INT64_MAX && part.min_time + LookAhead(side) + opt_.grace_ms >= part.stream_time)
    return Status::Ok();
  part.min_time = INT64_MAX;
  bool open[2] = {false, false};
  for (auto it = part.pending.begin(); it != part.pending.end();) {
    const auto& [t, rank, id] = *it;
    part.min_time = t;
    if (open[0] && open[1]) break;  // both sides' windows open from here on
    int s = rank == 1 ? 0 : 1;
    if (t + LookAhead(s) + opt_.grace_ms >= part.stream_time) {
      open[s] = true;
      ++it;
      continue;
    }
    Entry& e = part.entries.at(id);
    ++unmatched_;
    Status st = s == 0 ? EmitPair(rec, e.key, e.value, std::nullopt, e.t, false, out)
                       : EmitPair(rec, e.key, std::nullopt, e.value, e.t, false, out);
    e.pending = false;
    Store(p, id, e, false);
    it = part.pending.erase(it);
    if (!st.ok()) return st;
  }
  return Status::Ok();
}

int64_t WindowJoinTransform::Horizon(const Part& part, int side) const {
  int64_t o = part.observed[side];
  return o < INT64_MIN + Retention() + 1 ? INT64_MIN : o - Retention() + 1;
}

void WindowJoinTransform::Expire(int32_t p, Part& part, int side) {
  int64_t horizon = Horizon(part, side);
  auto& times = part.by_time[side];
  for (auto it = times.begin(); it != times.end() && it->first < horizon;) {
    // A record still awaiting its (l, null) stays until stream time emits it (EmitClosed).
    if (part.entries.at(it->second).pending) {
      ++it;
      continue;
    }
    std::string id = (it++)->second;
    Remove(p, part, id);
  }
}

Status WindowJoinTransform::Process(Input& in, Emitter& out) {
  const Record& rec = in.record;
  int32_t p = PartitionOf(rec);
  Part& part = parts_[p];
  int side = rec.input == 0 ? 0 : 1;
  std::optional<InputPosition> pos = PositionOf(rec);
  if (pos && part.pos[side].Covers(*pos)) {  // applied, and its outputs acknowledged, before a restart
    CountReplay();
    return Status::Ok();
  }
  // Every record moves stream time, one without a key or value too (Kafka Streams).
  int64_t t = rec.timestamp;
  if (t > part.stream_time) part.stream_time = t;
  struct Saver {  // the input position is applied whatever happens below
    WindowJoinTransform* self;
    int32_t p;
    Part& part;
    int side;
    const std::optional<InputPosition>& pos;
    ~Saver() {
      if (pos) part.pos[side].Advance(*pos);
      self->SaveTime(p, part, side);
    }
  } saver{this, p, part, side, pos};

  std::optional<std::string> value = ValueTextOf(in, opt_.json_values);
  std::string key;
  bool has_key = keys_.Of(in, &key);
  // A record with a key moves its side's observed time, one with a null value too (Kafka Streams
  // puts it in the side's window store, where it only advances time).
  if (has_key && t > part.observed[side]) part.observed[side] = t;
  if (!has_key || !value) {
    if (!has_key && value && OuterSide(side)) {  // nothing to join on, but an outer side keeps it
      ++unmatched_;
      return side == 0 ? EmitPair(rec, "", value, std::nullopt, t, true, out)
                       : EmitPair(rec, "", std::nullopt, value, t, true, out);
    }
    ++(has_key ? null_values_ : null_keys_);
    return Status::Ok();
  }
  if (t == part.stream_time)
    if (Status s = EmitClosed(p, part, side, rec, out); !s.ok()) return s;
  Expire(p, part, side);
  int other = 1 - side;
  // The other side's records in this one's window: a left record looks before/after around
  // itself, a right record the mirror image.
  int64_t lo = std::max(side == 0 ? t - opt_.before_ms : t - opt_.after_ms, Horizon(part, other));
  int64_t hi = side == 0 ? t + opt_.after_ms : t + opt_.before_ms;
  bool matched = false;
  auto k = part.by_key[other].find(key);
  if (k != part.by_key[other].end()) {
    for (auto it = k->second.lower_bound(lo); it != k->second.end() && it->first <= hi; ++it) {
      matched = true;
      ++joined_;
      Entry& e = part.entries.at(it->second);
      Status s = side == 0 ? EmitPair(rec, key, value, e.value, std::max(t, e.t), false, out)
                           : EmitPair(rec, key, e.value, value, std::max(t, e.t), false, out);
      if (!s.ok()) return s;
      if (e.pending) {
        e.pending = false;
        part.pending.erase(PendingOf(e.t, e.side, it->second));
        Store(p, it->second, e, false);
      }
    }
  }
  bool late = t < Horizon(part, side);  // not kept: no later record of the other side sees it
  if (late) ++late_;
  Entry e{side, key, t, std::move(*value), OuterSide(side) && !matched};
  if (e.pending && (late || t + LookAhead(side) + opt_.grace_ms < part.stream_time)) {
    // Its window and grace have already passed (or it is not kept): no match can come any more.
    e.pending = false;
    ++unmatched_;
    Status s = side == 0 ? EmitPair(rec, key, e.value, std::nullopt, t, false, out)
                         : EmitPair(rec, key, std::nullopt, e.value, t, false, out);
    if (!s.ok()) return s;
  }
  if (late) return Status::Ok();
  std::string id = pos ? IdOf(side, key, pos->offset) : IdOf(side, key, rec.offset);
  if (part.entries.count(id)) Remove(p, part, id);
  Store(p, id, e, true);
  part.by_key[side][key].emplace(t, id);
  part.by_time[side].emplace(t, id);
  if (e.pending) {
    part.pending.insert(PendingOf(t, side, id));
    part.min_time = std::min(part.min_time, t);
  }
  part.entries.emplace(id, std::move(e));
  return Status::Ok();
}

Status WindowJoinTransform::OnRestored(int32_t p) {
  Part& part = parts_[p];
  part = Part{};
  Status bad;
  rapidjson::Document doc;
  std::string text;
  Status s = ForEachState(p, [&](std::string_view id, const StateView& state) {
    text.assign(state.value);
    for (int side = 0; side < 2; ++side)
      if (id == kTimeKeys[side]) {
        part.pos[side] = state.pos;
        doc.Parse(text.data(), text.size());
        if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("t") || !doc["t"].IsInt64()) {
          bad = Status::IoError("bad stream time in state: " + text);
          return;
        }
        part.stream_time = std::max(part.stream_time, doc["t"].GetInt64());
        // State written before observed times were kept: the stream time is the closest bound.
        part.observed[side] =
            doc.HasMember("o") && doc["o"].IsInt64() ? doc["o"].GetInt64() : doc["t"].GetInt64();
        return;
      }
    size_t sep = id.rfind('\x1f');
    size_t v = text.find(kEntryValueMember);
    if (id.size() < 2 || (id[0] != 'L' && id[0] != 'R') || sep == std::string_view::npos ||
        v == std::string::npos || text.back() != '}') {
      bad = Status::IoError("not a kjoin window record in state: '" + std::string(id) + "'");
      return;
    }
    std::string head = text.substr(0, v) + "}";
    doc.Parse(head.data(), head.size());
    if (doc.HasParseError() || !doc["t"].IsInt64() || !doc["p"].IsInt()) {
      bad = Status::IoError("bad kjoin window record in state: '" + std::string(id) + "'");
      return;
    }
    int side = id[0] == 'L' ? 0 : 1;
    Entry e{side, std::string(id.substr(1, sep - 1)), doc["t"].GetInt64(),
            text.substr(v + kEntryValueMember.size(), text.size() - v - kEntryValueMember.size() - 1),
            doc["p"].GetInt() == 1};
    std::string key_id(id);
    part.by_key[side][e.key].emplace(e.t, key_id);
    part.by_time[side].emplace(e.t, key_id);
    if (e.pending) part.pending.insert(PendingOf(e.t, side, key_id));
    part.entries.emplace(std::move(key_id), std::move(e));
  });
  if (!s.ok()) return s;
  if (!bad.ok()) return bad.WithContext("partition " + std::to_string(p));
  return Status::Ok();
}

std::string WindowJoinTransform::SummaryExtra() const {
  std::string s = StateSummary();
  s += ", " + std::to_string(joined_) + " pairs";
  if (unmatched_) s += ", " + std::to_string(unmatched_) + " without a match";
  if (late_) s += ", " + std::to_string(late_) + " late records not kept";
  if (null_keys_) s += ", " + std::to_string(null_keys_) + " null keys dropped";
  if (null_values_) s += ", " + std::to_string(null_values_) + " null values dropped";
  return s;
}

}  // namespace kt::kjoin
