#include "kt/core/signals.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

namespace {

// What the process writes to stderr while `body` runs (into a temporary file).
template <typename Body>
std::string Stderr(Body body) {
  std::fflush(stderr);
  int saved = dup(2);
  char path[] = "/tmp/kt-signals-test-XXXXXX";
  int fd = mkstemp(path);
  dup2(fd, 2);
  body(path);
  std::fflush(stderr);
  dup2(saved, 2);
  close(saved);
  close(fd);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  unlink(path);
  return text.str();
}

bool Written(const char* path) {  // waits for the notice's line, 10 s at most
  for (int i = 0; i < 1000; ++i) {
    std::ifstream in(path);
    std::string line;
    if (std::getline(in, line)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

TEST_CASE("a stop notice speaks once a stop is asked for and its time is up; two alive speak once") {
  std::string out = Stderr([](const char* path) {
    kt::StopNotice first("ktable", "still stopping", std::chrono::milliseconds(1));
    kt::StopNotice second("ktable", "still stopping", std::chrono::milliseconds(1));  // another stage
    kt::RequestStop();  // (a signal's handler does the same)
    CHECK(Written(path));
    // Not a wait for a condition: a window in which a second line, wrongly written, would show.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  });
  kt::ClearStop();
  CHECK(out == "ktable: still stopping\n");
}

TEST_CASE("a stop notice whose sibling ended before the stop (a repartitioned run's first stage) speaks") {
  std::string out = Stderr([](const char* path) {
    std::optional<kt::StopNotice> rekeying;
    rekeying.emplace("ktable", "the first stage's, never said", std::chrono::milliseconds(1));
    kt::StopNotice aggregating("ktable", "still stopping: the second stage", std::chrono::milliseconds(1));
    rekeying.reset();
    kt::RequestStop();
    CHECK(Written(path));
  });
  kt::ClearStop();
  CHECK(out == "ktable: still stopping: the second stage\n");
}

TEST_CASE(
    "a stop notice says nothing without a stop, or destroyed before its time, at once; one made after the "
    "stop began speaks") {
  std::string out = Stderr([](const char* path) {
    {  // no stop asked for: its time passes in silence (an old notice spoke 1 ms after it was made)
      kt::StopNotice idle("kmap", "no stop, never said", std::chrono::milliseconds(1));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kt::RequestStop();
    { kt::StopNotice notice("kmap", "never said", std::chrono::hours(1)); }  // returns: not an hour
    kt::StopNotice next("kmap", "the next", std::chrono::milliseconds(1));   // made after the stop began
    CHECK(Written(path));
  });
  kt::ClearStop();
  CHECK_FALSE(kt::StopRequested());
  CHECK(out == "kmap: the next\n");
}
