#include "kt/io/record_format.hpp"

#include <catch2/catch.hpp>

TEST_CASE("kcat-style record formats") {
  auto parts = kt::ParseRecordFormat("%t [%p] %k=%s\\n%%");
  REQUIRE(parts.ok());
  std::string shape;
  for (auto& p : *parts) shape += p.field ? std::string("<") + p.field + ">" : "'" + p.literal + "'";
  CHECK(shape == "<t>' ['<p>'] '<k>'='<s>'\n%'");
  auto bad = kt::ParseRecordFormat("%s %x");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().IsInvalidArgument());
  CHECK(bad.status().message().rfind("--format: unknown field %x", 0) == 0);
  CHECK_FALSE(kt::ParseRecordFormat("100%").ok());
  CHECK(kt::ParseRecordFormat("")->empty());
}
