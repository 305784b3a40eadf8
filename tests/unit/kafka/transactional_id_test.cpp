// Transactional ids: no two live processes of one host ever hold the same one, whatever their
// state directories, and a restart takes its predecessor's.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "kt/kafka/transactions.hpp"

TEST_CASE("the lock directory of a transactional id is the host's, not the state directory's") {
  const char* old = std::getenv("XDG_STATE_HOME");
  std::string before = old ? old : "";
  setenv("XDG_STATE_HOME", "/tmp/kt-test-state-a", 1);
  std::string a = kt::TransactionLockDir("g1");
  setenv("XDG_STATE_HOME", "/tmp/kt-test-state-b", 1);
  std::string b = kt::TransactionLockDir("g1");
  if (old)
    setenv("XDG_STATE_HOME", before.c_str(), 1);
  else
    unsetenv("XDG_STATE_HOME");
  CHECK(a == b);
  CHECK(kt::TransactionLockDir("a/b") != kt::TransactionLockDir("a"));  // no path outside the root
}

TEST_CASE("two live claims of one base get two ids; a released id is claimed again") {
  std::string dir = "/tmp/kt-test-txn-" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  auto first = kt::ClaimTransactionalId("g", dir);
  auto second = kt::ClaimTransactionalId("g", dir);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(*first != *second);
  CHECK(first->substr(first->size() - 2) == "-0");
  CHECK(second->substr(second->size() - 2) == "-1");
  std::filesystem::remove_all(dir);
}
