// Drives a tool's Transform without a broker: records in (key, JSON value, timestamp, position),
// what it emitted out, as the Runner would hand them over (values parsed when the Transform
// wants them, number texts kept).
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kt/codec/value_parser.hpp"
#include "kt/core/json.hpp"
#include "kt/run/transform.hpp"
#include "kt/state/partitioned_state.hpp"

namespace harness {

// One emitted record, its views copied.
struct Out {
  std::string topic;                 // "" : the tool's output
  std::optional<std::string> key;    // nullopt: a null key
  std::optional<std::string> value;  // nullopt: a tombstone
  int64_t timestamp = -1;
  int32_t partition = -1;
  std::vector<std::string> headers;  // "name=value"
  bool internal = false;
  size_t holds = 0;  // EmitHeld: how many held records it stands for
};

// An Emitter that keeps what it is sent. It holds records as the Runner does (HoldRecord) and
// counts the holds that are still open.
class Emitted : public kt::Emitter {
 public:
  void Emit(const kt::OutRecord& o) override { records.push_back(Copy(o, 0)); }
  kt::Hold HoldRecord() override {
    ++open_holds;
    return kt::Hold();
  }
  void EmitHeld(const kt::OutRecord& o, const std::vector<kt::Hold>& holds) override {
    records.push_back(Copy(o, holds.size()));
    open_holds -= static_cast<int64_t>(holds.size());
  }
  void Drop(const std::vector<kt::Hold>& holds) override { open_holds -= static_cast<int64_t>(holds.size()); }

  // The outputs (not internal records) as "key value" lines ("null" for a null key or value).
  std::vector<std::string> Lines() const {
    std::vector<std::string> out;
    for (const Out& r : records)
      if (!r.internal) out.push_back(r.key.value_or("null") + " " + r.value.value_or("null"));
    return out;
  }
  // The output values only.
  std::vector<std::string> Values() const {
    std::vector<std::string> out;
    for (const Out& r : records)
      if (!r.internal) out.push_back(r.value.value_or("null"));
    return out;
  }
  void Clear() { records.clear(); }

  std::vector<Out> records;
  int64_t open_holds = 0;

 private:
  static Out Copy(const kt::OutRecord& o, size_t holds) {
    Out r;
    r.topic = std::string(o.topic);
    if (o.key) r.key = std::string(*o.key);
    if (o.value_kind == kt::OutRecord::ValueKind::kText)
      r.value = std::string(o.value_text);
    else if (o.value_kind == kt::OutRecord::ValueKind::kJson)
      r.value = o.value_json ? kt::ToJson(*o.value_json) : "null";
    r.timestamp = o.timestamp;
    r.partition = o.partition;
    if (o.headers)
      for (const kt::Header& h : *o.headers)
        r.headers.push_back(std::string(h.name) + "=" + std::string(h.value.value_or("<null>")));
    r.internal = o.internal;
    r.holds = holds;
    return r;
  }
};

// A record to feed. Kafka records have a partition and offset; stdin ones a line number.
struct In {
  std::optional<std::string> key;
  std::optional<std::string> value;  // JSON text (raw text with json = false); nullopt: tombstone
  int64_t timestamp = 0;
  int32_t partition = -1;  // -1: a stdin line
  int64_t offset = -1;
  int input = 0;  // kjoin: 0 left, 1 right
  std::vector<std::pair<std::string, std::string>> headers;
  bool json = true;  // the value codec is json
};

// Hands records to a Transform as the Runner does.
class Feeder {
 public:
  kt::Status Feed(kt::Transform& t, kt::Emitter& out, const In& in) {
    headers_.clear();
    for (auto& [n, v] : in.headers) headers_.push_back({n, v});
    kt::Record rec;
    if (in.key) rec.key = rec.wire_key = *in.key;
    if (in.value) rec.value = rec.wire_value = *in.value;
    rec.timestamp = in.timestamp;
    rec.headers = &headers_;
    rec.input = in.input;
    if (in.partition >= 0) {
      rec.topic = in.input == 0 ? "left" : "right";
      rec.partition = in.partition;
      rec.offset = in.offset;
    } else {
      rec.line = ++line_;
    }
    rapidjson::Document* value = nullptr;
    if (in.value && (t.WantsValue() || t.ReadsFields())) {
      if (in.json) {
        if (kt::Status s = parser_.ParseJson(*in.value); !s.ok()) return s;
      } else {
        parser_.SetString(*in.value);
      }
      value = parser_.doc();
      if (t.ReadsFields() && !value->IsObject()) return kt::Status::DataError("value is not a JSON object");
    }
    kt::Input input{rec, value, value && in.json ? parser_.raw_numbers() : nullptr};
    return t.Process(input, out);
  }

 private:
  kt::ValueParser parser_;
  kt::Headers headers_;
  int64_t line_ = 0;
};

// State in memory for a Transform fed stdin-like records (partition -1), or, with `partitions`,
// those partitions (each must be assigned with OnAssigned before records of it are fed).
inline std::unique_ptr<kt::PartitionedState> MemoryState() {
  kt::StoreOptions so;
  so.kind = kt::StoreOptions::Kind::kMemory;
  return std::make_unique<kt::PartitionedState>(so, nullptr);
}

// Commits a stateful Transform's state the way the Runner's barrier does.
inline void CommitState(kt::Transform& t, kt::Emitter& out) {
  REQUIRE(t.WriteState(out).ok());
  REQUIRE(t.PersistState({}).ok());
}

}  // namespace harness
