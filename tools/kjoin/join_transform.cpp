#include "join_transform.hpp"

#include <charconv>

namespace kt::kjoin {

namespace {

constexpr char kSep = '\x1f';
constexpr std::string_view kTimePrefix = "{\"t\":";
constexpr std::string_view kValueMember = ",\"v\":";

// A stored table value {"t":<time>,"v":<value>} (written by Update): its value text and time.
bool SplitStored(const std::string& stored, std::string* value, int64_t* time) {
  if (stored.size() < kTimePrefix.size() + kValueMember.size() + 2 || stored.rfind(kTimePrefix, 0) != 0)
    return false;
  size_t comma = stored.find(kValueMember, kTimePrefix.size());
  if (comma == std::string::npos) return false;
  const char* first = stored.data() + kTimePrefix.size();
  if (std::from_chars(first, stored.data() + comma, *time).ec != std::errc()) return false;
  size_t start = comma + kValueMember.size();
  value->assign(stored, start, stored.size() - start - 1);  // without the closing brace
  return true;
}

}  // namespace

bool JoinTransform::Joins(bool has_left, bool has_right) const {
  switch (opt_.type) {
    case JoinOptions::Type::kInner:
      return has_left && has_right;
    case JoinOptions::Type::kLeft:
      return has_left;
    case JoinOptions::Type::kOuter:
      return has_left || has_right;
  }
  return false;
}

Result<std::optional<std::string>> JoinTransform::Lookup(const Record& rec, char side, const std::string& key,
                                                         int64_t* time) {
  skey_.assign(1, side).append(1, kSep).append(key);
  auto edit = EditState(rec, skey_);
  if (!edit.ok()) return Status::IoError("state of key '" + key + "': " + edit.status().message());
  *time = -1;
  if (!edit->state) return std::optional<std::string>();
  std::string value;
  if (!SplitStored(*edit->state, &value, time))
    return UnreadableState(rec, key, "not a kjoin table value: " + *edit->state);
  return std::optional<std::string>(std::move(value));
}

Result<bool> JoinTransform::Update(const Record& rec, char side, const std::string& key,
                                   const std::optional<std::string>& value) {
  skey_.assign(1, side).append(1, kSep).append(key);
  auto edit = EditState(rec, skey_);
  if (!edit.ok()) return Status::IoError("state of key '" + key + "': " + edit.status().message());
  if (edit->replay) {
    CountReplay();
    return false;
  }
  if (!value) {
    if (edit->state) DeleteState(PartitionOf(rec), skey_, rec.timestamp);
    return true;
  }
  buf_.assign(kTimePrefix)
      .append(std::to_string(rec.timestamp))
      .append(kValueMember)
      .append(*value)
      .push_back('}');
  ReplaceState(edit->slot, rec, buf_);
  return true;
}

Status JoinTransform::Process(Input& in, Emitter& out) {
  const Record& rec = in.record;
  if (!keys_.Of(in, &key_)) {  // no key, nothing to join on: dropped, but a left join keeps a stream's record
    bool keep = opt_.kind == JoinOptions::Kind::kStreamTable && rec.input == 0 &&
                opt_.type == JoinOptions::Type::kLeft;
    std::optional<std::string> value = keep ? ValueTextOf(in, opt_.json_values) : std::nullopt;
    if (!value) {
      ++null_keys_;
      return Status::Ok();
    }
    ++unmatched_;
    if (Status s = value_.Render(value, std::nullopt, &out_); !s.ok()) return s;
    out.Emit(JoinOutput(rec, std::nullopt, &out_, rec.timestamp));
    return Status::Ok();
  }
  const std::string& key = key_;
  bool is_left = rec.input == 0;
  std::optional<std::string> value = ValueTextOf(in, opt_.json_values);

  if (opt_.kind == JoinOptions::Kind::kStreamTable) {
    if (!is_left) {  // a table update: no output
      auto applied = Update(rec, 'R', key, value);
      return applied.ok() ? Status::Ok() : applied.status();
    }
    if (!value) {
      ++null_values_;
      return Status::Ok();
    }
    int64_t right_time;
    auto right = Lookup(rec, 'R', key, &right_time);
    if (!right.ok()) return right.status();
    if (!Joins(true, right->has_value())) {
      ++unmatched_;
      return Status::Ok();
    }
    if (Status s = value_.Render(value, *right, &out_); !s.ok()) return s;
    out.Emit(JoinOutput(rec, key_, &out_, rec.timestamp));
    return Status::Ok();
  }

  // Table-table: this side's update changes the key's result.
  char side = is_left ? 'L' : 'R', other_side = is_left ? 'R' : 'L';
  int64_t old_time, other_time;
  auto old = Lookup(rec, side, key, &old_time);
  if (!old.ok()) return old.status();
  bool had_this = old->has_value();
  auto other = Lookup(rec, other_side, key, &other_time);
  if (!other.ok()) return other.status();
  auto applied = Update(rec, side, key, value);
  if (!applied.ok()) return applied.status();
  if (!*applied) return Status::Ok();  // a replay: applied and emitted before
  bool has_other = other->has_value();
  bool had = is_left ? Joins(had_this, has_other) : Joins(has_other, had_this);
  bool has = is_left ? Joins(value.has_value(), has_other) : Joins(has_other, value.has_value());
  int64_t time = std::max(rec.timestamp, has_other ? other_time : -1);
  if (has) {
    Status s = is_left ? value_.Render(value, *other, &out_) : value_.Render(*other, value, &out_);
    if (!s.ok()) return s;
    out.Emit(JoinOutput(rec, key_, &out_, time));
  } else if (had || (!value && has_other)) {
    // A tombstone for a key that had a result, and (as Kafka Streams forwards every delete that
    // meets a value on the other side) for a delete that finds the other side set.
    out.Emit(JoinOutput(rec, key_, nullptr, time));
  } else {
    ++unmatched_;
  }
  return Status::Ok();
}

std::string JoinTransform::SummaryExtra() const {
  std::string s = StateSummary();
  if (unmatched_) s += ", " + std::to_string(unmatched_) + " without a result";
  if (null_keys_) s += ", " + std::to_string(null_keys_) + " null keys dropped";
  if (null_values_) s += ", " + std::to_string(null_values_) + " null values dropped";
  return s;
}

}  // namespace kt::kjoin
