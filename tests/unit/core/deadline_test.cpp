#include "kt/core/deadline.hpp"

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "kt/core/signals.hpp"

namespace {

// What a resumed process gets: SIGCONT to the process (as `kill -CONT` sends it). Continuing a
// running process changes nothing else.
void Continue() { REQUIRE(kill(getpid(), SIGCONT) == 0); }

}  // namespace

TEST_CASE("Continues counts each SIGCONT once, sent to the process or to a thread", "[signals]") {
  uint64_t before = kt::Continues();
  Continue();
  CHECK(kt::Continues() == before + 1);
  CHECK(kt::Continues() == before + 1);  // taken once
  REQUIRE(raise(SIGCONT) == 0);          // to this thread
  CHECK(kt::Continues() == before + 2);
}

TEST_CASE("Deadline: passes after its time, and a continue since starts it over", "[signals]") {
  kt::Deadline deadline(40);
  CHECK_FALSE(deadline.Passed());
  CHECK(deadline.LeftMs() <= 40);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  CHECK(deadline.Passed());
  CHECK(deadline.LeftMs() == 0);
  Continue();  // as if the 60 ms had been a stop
  CHECK_FALSE(deadline.Passed());
  CHECK(deadline.LeftMs() > 30);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  CHECK(deadline.Passed());  // started over once, not for good
}

TEST_CASE("Deadline: a stall (a frozen cgroup: no signal) starts it over too", "[signals]") {
  kt::Deadline deadline(40);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  CHECK(deadline.Passed());
  kt::testing::PretendNotRun(std::chrono::milliseconds(1200));  // as if frozen for 1.2 s
  CHECK_FALSE(deadline.Passed());
  CHECK(deadline.LeftMs() > 30);
}

TEST_CASE("AskAgainAfterStop asks again only what timed out across a continue", "[signals]") {
  auto timed_out = [](int answer) { return answer < 0; };
  int asked = 0;
  SECTION("timed out without a stop: the answer stands") {
    CHECK(kt::AskAgainAfterStop([&] { return ++asked, -1; }, timed_out) == -1);
    CHECK(asked == 1);
  }
  SECTION("timed out across a stop: asked again, and the next answer stands") {
    CHECK(kt::AskAgainAfterStop(
              [&] {
                if (++asked == 1) Continue();  // stopped while asking
                return asked == 1 ? -1 : 7;
              },
              timed_out) == 7);
    CHECK(asked == 2);
  }
  SECTION("timed out across a stall: asked again") {
    CHECK(kt::AskAgainAfterStop(
              [&] {
                if (++asked == 1) kt::testing::PretendNotRun(std::chrono::milliseconds(1200));
                return asked == 1 ? -1 : 7;
              },
              timed_out) == 7);
    CHECK(asked == 2);
  }
  SECTION("answered across a stop: the answer stands") {
    CHECK(kt::AskAgainAfterStop([&] { return Continue(), ++asked; }, timed_out) == 1);
    CHECK(asked == 1);
  }
  SECTION("each asking again needs a stop of its own") {
    CHECK(kt::AskAgainAfterStop(
              [&] {
                if (++asked == 1) Continue();
                return -1;
              },
              timed_out) == -1);
    CHECK(asked == 2);
  }
}
