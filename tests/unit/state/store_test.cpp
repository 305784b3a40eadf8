// MemoryStore and RocksDbStore must behave the same: one suite runs against both.
#include "kt/state/store.hpp"

#include <signal.h>
#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "../temp_dir.hpp"

namespace {

std::map<std::string, std::string> All(kt::StateStore& s) {
  std::map<std::string, std::string> m;
  REQUIRE(
      s.ForEach([&](std::string_view k, std::string_view v) { m[std::string(k)] = std::string(v); }).ok());
  return m;
}

void SharedSuite(kt::StoreFactory& f) {
  auto opened = f.Open(0, true);
  REQUIRE(opened.ok());
  kt::StateStore& s = **opened;
  std::string v;
  CHECK(s.Get("a", &v).IsNotFound());
  CHECK(s.checkpoint() == -1);
  REQUIRE(s.Put("a", "1").ok());
  REQUIRE(s.Put("b", "2").ok());
  REQUIRE(s.Get("a", &v).ok());  // pending writes are visible
  CHECK(v == "1");
  REQUIRE(s.Put("a", "3").ok());
  REQUIRE(s.Delete("b").ok());
  CHECK(s.Get("b", &v).IsNotFound());
  REQUIRE(s.Commit(41).ok());
  CHECK(s.checkpoint() == 41);
  REQUIRE(s.Put("c", "x").ok());
  CHECK(All(s) == std::map<std::string, std::string>{{"a", "3"}, {"c", "x"}});
  REQUIRE(s.Commit(-1).ok());  // -1 keeps the checkpoint
  CHECK(s.checkpoint() == 41);
  std::string bin("k\0ey", 4);
  REQUIRE(s.Put(bin, std::string("v\0", 2)).ok());
  REQUIRE(s.Get(bin, &v).ok());
  CHECK(v == std::string("v\0", 2));
  // Discard forgets staged writes: the store is as at the last commit.
  REQUIRE(s.Commit(42).ok());
  REQUIRE(s.Put("a", "staged").ok());
  REQUIRE(s.Delete("c").ok());
  s.Discard();
  REQUIRE(s.Get("a", &v).ok());
  CHECK(v == "3");
  REQUIRE(s.Get("c", &v).ok());
  CHECK(s.checkpoint() == 42);
}

}  // namespace

TEST_CASE("memory store") {
  kt::StoreOptions o;
  o.kind = kt::StoreOptions::Kind::kMemory;
  kt::StoreFactory f(o);
  SharedSuite(f);
}

TEST_CASE("rocksdb store") {
  kt_test::TempDir dir("kt-store");
  kt::StoreOptions o;
  o.dir = dir.path();
  kt::StoreFactory f(o);
  SharedSuite(f);
}

TEST_CASE("rocksdb store: committed data and checkpoint survive reopening; pending writes do not") {
  kt_test::TempDir dir("kt-store");
  kt::StoreOptions o;
  o.dir = dir.path();
  {
    kt::StoreFactory f(o);
    auto s = f.Open(3, true);
    REQUIRE(s.ok());
    REQUIRE((*s)->Put("k", "committed").ok());
    REQUIRE((*s)->Commit(100).ok());
    REQUIRE((*s)->Put("k", "pending").ok());
    REQUIRE((*s)->Put("p", "pending").ok());
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
}

// A full disk: the process may write no more bytes to files (RLIMIT_FSIZE), so RocksDB's write
// fails. Commit must say so, keep the store as it was, and keep the staged writes.
TEST_CASE("rocksdb store: a write that fails (a full disk) is an error, and nothing is half-written") {
  kt_test::TempDir dir("kt-store");
  kt::StoreOptions o;
  o.dir = dir.path();
  kt::StoreFactory f(o);
  auto s = f.Open(0, true);
  REQUIRE(s.ok());
  REQUIRE((*s)->Put("k", "before").ok());
  REQUIRE((*s)->Commit(7).ok());
  std::string big(1 << 20, 'x');
  REQUIRE((*s)->Put("k", big).ok());
  struct rlimit old;
  REQUIRE(getrlimit(RLIMIT_FSIZE, &old) == 0);
  struct rlimit tiny = old;
  tiny.rlim_cur = 4096;
  auto old_handler = signal(SIGXFSZ, SIG_IGN);
  REQUIRE(setrlimit(RLIMIT_FSIZE, &tiny) == 0);
  kt::Status st = (*s)->Commit(8);
  REQUIRE(setrlimit(RLIMIT_FSIZE, &old) == 0);
  signal(SIGXFSZ, old_handler);
  CHECK(!st.ok());
  CHECK(st.message().find("cannot write") != std::string::npos);
  CHECK((*s)->checkpoint() == 7);
  std::string v;
  REQUIRE((*s)->Get("k", &v).ok());  // still staged
  CHECK(v.size() == big.size());
  s->reset();
  auto again = f.Open(0);
  REQUIRE(again.ok());
  CHECK((*again)->checkpoint() == 7);
  REQUIRE((*again)->Get("k", &v).ok());
  CHECK(v == "before");
}
