// StatefulTransform's cache on an in-memory store: what reads see, what BeforeCommit writes,
// and that EditState/ReplaceState read and replace a key with one lookup.
#include <catch2/catch.hpp>

#include <map>

#include "kt/state/stateful_transform.hpp"

namespace {

// Exposes the protected state calls; Process is unused.
struct Probe : kt::StatefulTransform {
  Probe() : StatefulTransform(Memory()) { OnAssigned({-1}); }
  static std::unique_ptr<kt::PartitionedState> Memory() {
    kt::StoreOptions so;
    so.kind = kt::StoreOptions::Kind::kMemory;
    return std::make_unique<kt::PartitionedState>(so, nullptr);
  }
  kt::Status Process(kt::Input&, kt::Emitter&) override { return kt::Status::Ok(); }
  using StatefulTransform::DeleteState;
  using StatefulTransform::EditState;
  using StatefulTransform::PutState;
  using StatefulTransform::ReplaceState;
  using StatefulTransform::StateSummary;
  // The key's state as EditState sees it; "<none>" when it has none.
  std::string Get(const kt::Record& rec, std::string_view key) {
    const std::string* state = nullptr;
    auto slot = EditState(rec, key, &state);
    REQUIRE(slot.ok());
    return state ? *state : "<none>";
  }
};

struct NoOutput : kt::Emitter {
  void Emit(const kt::OutRecord&) override {}
};

kt::Record StdinRecord() {
  kt::Record r;
  r.line = 1;
  return r;
}

}  // namespace

TEST_CASE("EditState reads through the cache; ReplaceState writes at the next commit") {
  Probe t;
  NoOutput out;
  kt::Record rec = StdinRecord();
  const std::string* state = nullptr;

  auto slot = t.EditState(rec, "a", &state);
  REQUIRE(slot.ok());
  CHECK(state == nullptr);  // no state yet
  std::string v = "1";
  t.ReplaceState(*slot, v, 10);
  CHECK(v.empty());  // took the value, gave back the old (empty) buffer

  slot = t.EditState(rec, "a", &state);  // the same key again: the cached slot
  REQUIRE(slot.ok());
  REQUIRE(state != nullptr);
  CHECK(*state == "1");
  v = "2";
  t.ReplaceState(*slot, v, 11);
  CHECK(v == "1");

  CHECK(t.Get(rec, "a") == "2");
  t.BeforeCommit(out);
  CHECK(t.StateSummary() == "restored 0 changelog records, wrote 1 state changes");

  // Reading a key without replacing it writes nothing; absence is cached as absence.
  slot = t.EditState(rec, "b", &state);
  REQUIRE(slot.ok());
  CHECK(state == nullptr);
  CHECK(t.Get(rec, "b") == "<none>");
  t.BeforeCommit(out);
  CHECK(t.StateSummary() == "restored 0 changelog records, wrote 1 state changes");
}

TEST_CASE("a key created with new_key and deleted before the commit writes nothing") {
  Probe t;
  NoOutput out;
  kt::Record rec = StdinRecord();
  t.PutState(-1, "kept", "k", 1, true);
  CHECK(t.Get(rec, "kept") == "k");
  t.PutState(-1, "gone", "g", 1, true);
  t.DeleteState(-1, "gone", 2);
  CHECK(t.Get(rec, "gone") == "<none>");
  t.BeforeCommit(out);
  CHECK(t.StateSummary() == "restored 0 changelog records, wrote 1 state changes");
  // Once written, a delete is a real one.
  t.DeleteState(-1, "kept", 3);
  t.BeforeCommit(out);
  CHECK(t.StateSummary() == "restored 0 changelog records, wrote 2 state changes");
  CHECK(t.Get(rec, "kept") == "<none>");
}
