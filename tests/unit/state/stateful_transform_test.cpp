// StatefulTransform's cache on an in-memory store: what reads see, what WriteState writes,
// that EditState/ReplaceState read and replace a key with one lookup, and that a record the
// state already reflects (a replay) is reported as such.
#include "kt/state/stateful_transform.hpp"

#include <catch2/catch.hpp>
#include <map>

#include "kt/core/murmur2.hpp"

namespace {

// Exposes the protected state calls; Process is unused.
struct Probe : kt::StatefulTransform {
  Probe() : StatefulTransform(Memory()) { REQUIRE(OnAssigned({-1}).ok()); }
  static std::unique_ptr<kt::PartitionedState> Memory() {
    kt::StoreOptions so;
    so.kind = kt::StoreOptions::Kind::kMemory;
    return std::make_unique<kt::PartitionedState>(so, nullptr);
  }
  kt::Status Process(kt::Input&, kt::Emitter&) override { return kt::Status::Ok(); }
  using StatefulTransform::CountReplay;
  using StatefulTransform::DeleteState;
  using StatefulTransform::EditState;
  using StatefulTransform::ForEachState;
  using StatefulTransform::PutState;
  using StatefulTransform::ReplaceState;
  using StatefulTransform::StateSummary;
  // The key's state as EditState sees it; "<none>" when it has none.
  std::string Get(const kt::Record& rec, std::string_view key) {
    auto edit = EditState(rec, key);
    REQUIRE(edit.ok());
    return edit->state ? *edit->state : "<none>";
  }
  void Commit(kt::Emitter& out) {
    REQUIRE(WriteState(out).ok());
    REQUIRE(PersistState({}).ok());
  }
};

struct ValueOutputs : kt::Emitter {
  void Emit(const kt::OutRecord& o) override { values.emplace_back(o.value_text); }
  std::vector<std::string> values;
};

kt::Record StdinRecord() {
  kt::Record r;
  r.line = 1;
  return r;
}

kt::Record KafkaRecord(int32_t p, int64_t offset) {
  kt::Record r;
  r.partition = p;
  r.offset = offset;
  return r;
}

}  // namespace

TEST_CASE("EditState reads through the cache; ReplaceState writes at the next commit") {
  Probe t;
  ValueOutputs out;
  kt::Record rec = StdinRecord();

  auto edit = t.EditState(rec, "a");
  REQUIRE(edit.ok());
  CHECK(edit->state == nullptr);  // no state yet
  CHECK(!edit->replay);
  std::string v = "1";
  t.ReplaceState(edit->slot, rec, v);
  CHECK(v.empty());  // took the value, gave back the old (empty) buffer

  edit = t.EditState(rec, "a");  // the same key again: the cached slot
  REQUIRE(edit.ok());
  REQUIRE(edit->state != nullptr);
  CHECK(*edit->state == "1");
  v = "2";
  t.ReplaceState(edit->slot, rec, v);
  CHECK(v == "1");

  CHECK(t.Get(rec, "a") == "2");
  t.Commit(out);
  CHECK(t.StateSummary() == "restored 0 changelog records, wrote 1 state changes");

  // Reading a key without replacing it writes nothing; absence is cached as absence.
  edit = t.EditState(rec, "b");
  REQUIRE(edit.ok());
  CHECK(edit->state == nullptr);
  CHECK(t.Get(rec, "b") == "<none>");
  t.Commit(out);
  CHECK(t.StateSummary() == "restored 0 changelog records, wrote 1 state changes");
}

TEST_CASE("a key created with new_key and deleted before the commit writes nothing") {
  Probe t;
  ValueOutputs out;
  kt::Record rec = StdinRecord();
  t.PutState(-1, "kept", "k", kt::AppliedPositions(), 1, true);
  CHECK(t.Get(rec, "kept") == "k");
  t.PutState(-1, "gone", "g", kt::AppliedPositions(), 1, true);
  t.DeleteState(-1, "gone", 2);
  CHECK(t.Get(rec, "gone") == "<none>");
  t.Commit(out);
  CHECK(t.StateSummary() == "restored 0 changelog records, wrote 1 state changes");
  // Once written, a delete is a real one.
  t.DeleteState(-1, "kept", 3);
  t.Commit(out);
  CHECK(t.StateSummary() == "restored 0 changelog records, wrote 2 state changes");
  CHECK(t.Get(rec, "kept") == "<none>");
}

TEST_CASE("a key's state carries the input positions it reflects; a replayed record is reported") {
  kt::StoreOptions so;
  so.kind = kt::StoreOptions::Kind::kMemory;
  struct KafkaProbe : Probe {
    KafkaProbe() { REQUIRE(OnAssigned({0}).ok()); }
  } t;
  ValueOutputs out;
  auto apply = [&](int64_t offset, const std::string& value) {
    kt::Record rec = KafkaRecord(0, offset);
    auto edit = t.EditState(rec, "k");
    REQUIRE(edit.ok());
    if (edit->replay) {
      t.CountReplay();
      return false;
    }
    std::string v = value;
    t.ReplaceState(edit->slot, rec, v);
    return true;
  };
  CHECK(apply(10, "{\"n\":1}"));
  CHECK(apply(11, "{\"n\":2}"));
  t.Commit(out);
  std::map<std::string, std::string> stored;
  REQUIRE(t.ForEachState(0, [&](std::string_view k, const kt::StateView& v) {
             std::string& s = stored[std::string(k)];
             s.assign(v.value).append(" at ");
             v.pos.AppendText(&s);
           }).ok());
  CHECK(stored == std::map<std::string, std::string>{{"k", "{\"n\":2} at 0:11"}});
  // After a crash the input is read again from an older committed offset: 10 and 11 are in the
  // state already, 12 is new.
  CHECK(!apply(10, "{\"n\":99}"));
  CHECK(!apply(11, "{\"n\":99}"));
  CHECK(apply(12, "{\"n\":3}"));
  CHECK(t.StateSummary() ==
        "restored 0 changelog records, wrote 1 state changes, 2 replayed records already in "
        "the state skipped");
}

namespace {

// Four in-memory stores, one per partition, each key's state in its murmur2 partition.
struct HomeProbe : kt::StatefulTransform {
  explicit HomeProbe(bool route) : StatefulTransform(Stores(route)) {
    REQUIRE(OnAssigned({0, 1, 2, 3}).ok());
  }
  static std::unique_ptr<kt::PartitionedState> Stores(bool route) {
    kt::StoreOptions so;
    so.kind = kt::StoreOptions::Kind::kMemory;
    auto state = std::make_unique<kt::PartitionedState>(so, nullptr);
    state->RequireHomeKeys(4, route);
    return state;
  }
  kt::Status Process(kt::Input&, kt::Emitter&) override { return kt::Status::Ok(); }
  using StatefulTransform::CheckHome;
  using StatefulTransform::EditState;
  using StatefulTransform::ForEachState;
  using StatefulTransform::PartitionOf;
  using StatefulTransform::ReplaceState;
  std::vector<std::string> Keys(int32_t p) {
    std::vector<std::string> keys;
    REQUIRE(ForEachState(p, [&](std::string_view k, const kt::StateView&) { keys.emplace_back(k); }).ok());
    return keys;
  }
};

}  // namespace

TEST_CASE("a key's state in another partition: a bad record, or, routed, that partition's state") {
  std::string key = "k";
  while (kt::Murmur2Partition(key, 4) == 0) key += "k";
  const int32_t home = kt::Murmur2Partition(key, 4);
  kt::Record rec = KafkaRecord(0, 7);

  HomeProbe strict(false);
  kt::Status s = strict.CheckHome(rec, key);
  CHECK(s.IsDataError());
  CHECK(s.message().find("belongs in partition " + std::to_string(home)) != std::string::npos);

  HomeProbe routed(true);
  REQUIRE(routed.CheckHome(rec, key).ok());
  CHECK(routed.PartitionOf(rec) == home);
  auto edit = routed.EditState(rec, key);
  REQUIRE(edit.ok());
  std::string v = "1";
  routed.ReplaceState(edit->slot, rec, v);
  ValueOutputs out;
  REQUIRE(routed.WriteState(out).ok());
  REQUIRE(routed.PersistState({}).ok());
  CHECK(routed.Keys(home) == std::vector<std::string>{key});
  CHECK(routed.Keys(0).empty());
  // The routing holds for the record CheckHome saw, not for the next one in the same Record.
  rec.offset = 8;
  CHECK(routed.PartitionOf(rec) == 0);
  kt::Record at_home = KafkaRecord(home, 9);
  REQUIRE(routed.CheckHome(at_home, key).ok());
  CHECK(routed.PartitionOf(at_home) == home);
}
