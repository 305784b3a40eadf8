// MemoryStore and RocksDbStore must behave the same: one suite runs against both.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>

#include "kt/state/store.hpp"

namespace {

std::string TempDir() {
  char dir[] = "/tmp/kt-store-XXXXXX";
  REQUIRE(mkdtemp(dir));
  return dir;
}

std::map<std::string, std::string> All(kt::StateStore& s) {
  std::map<std::string, std::string> m;
  REQUIRE(s.ForEach([&](std::string_view k, std::string_view v) { m[std::string(k)] = std::string(v); }).ok());
  return m;
}

void SharedSuite(kt::StoreFactory& f) {
  auto opened = f.Open(0, true);
  REQUIRE(opened.ok());
  kt::StateStore& s = **opened;
  std::string v;
  CHECK(s.Get("a", &v).IsNotFound());
  CHECK(s.checkpoint() == -1);
  s.Put("a", "1");
  s.Put("b", "2");
  REQUIRE(s.Get("a", &v).ok());  // pending writes are visible
  CHECK(v == "1");
  s.Put("a", "3");
  s.Delete("b");
  CHECK(s.Get("b", &v).IsNotFound());
  REQUIRE(s.Commit(41).ok());
  CHECK(s.checkpoint() == 41);
  s.Put("c", "x");
  CHECK(All(s) == std::map<std::string, std::string>{{"a", "3"}, {"c", "x"}});
  REQUIRE(s.Commit(-1).ok());  // -1 keeps the checkpoint
  CHECK(s.checkpoint() == 41);
  std::string bin("k\0ey", 4);
  s.Put(bin, std::string("v\0", 2));
  REQUIRE(s.Get(bin, &v).ok());
  CHECK(v == std::string("v\0", 2));
}

}  // namespace

TEST_CASE("memory store") {
  kt::StoreOptions o;
  o.kind = kt::StoreOptions::Kind::kMemory;
  kt::StoreFactory f(o);
  SharedSuite(f);
}

TEST_CASE("rocksdb store") {
  kt::StoreOptions o;
  o.dir = TempDir();
  kt::StoreFactory f(o);
  SharedSuite(f);
  std::filesystem::remove_all(o.dir);
}

TEST_CASE("rocksdb store: committed data and checkpoint survive reopening; pending writes do not") {
  kt::StoreOptions o;
  o.dir = TempDir();
  {
    kt::StoreFactory f(o);
    auto s = f.Open(3, true);
    REQUIRE(s.ok());
    (*s)->Put("k", "committed");
    REQUIRE((*s)->Commit(100).ok());
    (*s)->Put("k", "pending");
    (*s)->Put("p", "pending");
  }  // closed without commit: like a crash between commits
  kt::StoreFactory f(o);
  auto s = f.Open(3);
  REQUIRE(s.ok());
  std::string v;
  CHECK((*s)->checkpoint() == 100);
  REQUIRE((*s)->Get("k", &v).ok());
  CHECK(v == "committed");
  CHECK((*s)->Get("p", &v).IsNotFound());
  // partitions are separate stores; fresh wipes one
  auto other = f.Open(4);
  CHECK((*other)->checkpoint() == -1);
  s->reset();
  auto wiped = f.Open(3, true);
  CHECK((*wiped)->checkpoint() == -1);
  CHECK((*wiped)->Get("k", &v).IsNotFound());
  std::filesystem::remove_all(o.dir);
}
