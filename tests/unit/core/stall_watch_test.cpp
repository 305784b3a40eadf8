#include "kt/core/stall_watch.hpp"

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

using namespace std::chrono_literals;

TEST_CASE("StallWatch: a second without a look is one stall, seen only while watched", "[signals]") {
  uint64_t before = kt::Stalls();
  SECTION("watched, looked at at once: counted once") {
    kt::StallWatch watch;
    kt::testing::PretendNotRun(1200ms);
    CHECK(kt::Stalls() == before + 1);
    std::this_thread::sleep_for(300ms);  // the watching thread looks too
    CHECK(kt::Stalls() == before + 1);
  }
  SECTION("watched, the watching thread looks first: counted once") {
    kt::StallWatch watch;
    kt::testing::PretendNotRun(1200ms);
    std::this_thread::sleep_for(300ms);
    CHECK(kt::Stalls() == before + 1);
  }
  SECTION("watched, the process running: no stall however long") {
    kt::StallWatch watch;
    std::this_thread::sleep_for(1200ms);
    CHECK(kt::Stalls() == before);
  }
  SECTION("unwatched: no stall, and a watch begun after it counts none") {
    kt::testing::PretendNotRun(1200ms);
    CHECK(kt::Stalls() == before);
    kt::StallWatch watch;
    CHECK(kt::Stalls() == before);
  }
}

TEST_CASE("Resumes counts stalls and continues", "[signals]") {
  kt::StallWatch watch;
  uint64_t before = kt::Resumes();
  kt::testing::PretendNotRun(1200ms);
  CHECK(kt::Resumes() == before + 1);
  REQUIRE(kill(getpid(), SIGCONT) == 0);  // as `kill -CONT` continues a stopped process
  CHECK(kt::Resumes() == before + 2);
}
