#include "kt/kafka/start_spec.hpp"

#include <catch2/catch.hpp>

TEST_CASE("--from specs") {
  const int64_t now = 1'700'000'000'000;
  CHECK(kt::ParseStartSpec("beginning", now)->kind == kt::StartSpec::Kind::kBeginning);
  CHECK(kt::ParseStartSpec("end", now)->kind == kt::StartSpec::Kind::kEnd);
  auto rel = kt::ParseStartSpec("-1h", now);
  REQUIRE(rel.ok());
  CHECK(rel->kind == kt::StartSpec::Kind::kTime);
  CHECK(rel->time_ms == now - 3'600'000);
  auto abs = kt::ParseStartSpec("2023-11-14T22:13:20Z", now);
  REQUIRE(abs.ok());
  CHECK(abs->time_ms == 1'700'000'000'000);
  CHECK(kt::ParseStartSpec("yesterday", now).status().IsInvalidArgument());
  CHECK(kt::ParseStartSpec("-5x", now).status().IsInvalidArgument());
}

TEST_CASE("--from offset:N and offset:-N") {
  const int64_t now = 1'700'000'000'000;
  auto at = kt::ParseStartSpec("offset:12345", now);
  REQUIRE(at.ok());
  CHECK(at->kind == kt::StartSpec::Kind::kOffset);
  CHECK(at->offset == 12345);
  auto last = kt::ParseStartSpec("offset:-10", now);
  REQUIRE(last.ok());
  CHECK(last->offset == -10);
  CHECK(kt::ParseStartSpec("offset:0", now)->offset == 0);
  for (const char* bad :
       {"offset:", "offset:x", "offset:1.5", "offset: 3", "offset:-9223372036854775808", "offset"})
    CHECK(kt::ParseStartSpec(bad, now).status().IsInvalidArgument());
}

TEST_CASE("--until time specs") {
  const int64_t now = 1'700'000'000'000;
  CHECK(*kt::ParseTimeSpec("now", now) == now);
  CHECK(*kt::ParseTimeSpec("-30s", now) == now - 30'000);
  CHECK(*kt::ParseTimeSpec("1234", now) == 1234);
  CHECK_FALSE(kt::ParseTimeSpec("soon", now).ok());
}
