// A state's value and its bookkeeping (aux, positions) are kept apart: in a store, after NUL
// bytes; in a changelog, in headers, so the changelog's values are the plain state.
#include "kt/state/state_value.hpp"

#include <catch2/catch.hpp>

namespace {

kt::AppliedPositions Pos(std::initializer_list<std::pair<int32_t, int64_t>> ps) {
  kt::AppliedPositions p;
  for (auto [part, off] : ps) p.Advance({part, off});
  return p;
}

}  // namespace

TEST_CASE("a state without bookkeeping is stored as its value alone") {
  std::string stored;
  kt::EncodeState("{\"count\":3}", "", kt::AppliedPositions(), &stored);
  CHECK(stored == "{\"count\":3}");
  auto v = kt::DecodeState(stored);
  REQUIRE(v.ok());
  CHECK(v->value == "{\"count\":3}");
  CHECK(v->aux.empty());
  CHECK(v->pos.empty());
}

TEST_CASE("a state's aux and positions are stored after its value and come back apart") {
  std::string stored;
  kt::EncodeState("{\"avg_n\":1.5}", "{\"avg_n\":[3.0,2]}", Pos({{0, 11}, {3, 7}}), &stored);
  using namespace std::string_literals;
  std::string expected = "{\"avg_n\":1.5}\0{\"avg_n\":[3.0,2]}\0"s;
  expected += "0:11,3:7";  // not `"..."s + "..."`: GCC 12 warns of its inlined copy (-Warray-bounds)
  CHECK(stored == expected);
  auto v = kt::DecodeState(stored);
  REQUIRE(v.ok());
  CHECK(v->value == "{\"avg_n\":1.5}");
  CHECK(v->aux == "{\"avg_n\":[3.0,2]}");
  CHECK(v->pos.Covers({0, 11}));
  CHECK(v->pos.Covers({3, 7}));
  CHECK_FALSE(v->pos.Covers({3, 8}));
}

TEST_CASE("damaged bookkeeping is an error, not a state") {
  CHECK_FALSE(kt::DecodeState(std::string("{}\0x", 4)).ok());
  CHECK_FALSE(kt::DecodeState(std::string("{}\0\0zz", 6)).ok());
}

TEST_CASE(
    "a changelog record carries the value, with aux and positions in headers, and restores the same "
    "encoding") {
  kt::Headers h;
  kt::AppendStateHeaders("{\"avg_n\":[3.0,2]}", "0:11", &h);
  REQUIRE(h.size() == 2);
  CHECK(h[0].name == "kt.aux");
  CHECK(h[1].name == "kt.pos");
  std::string restored, direct;
  kt::StoredFromChangelog("{\"avg_n\":1.5}", h, &restored);
  kt::EncodeState("{\"avg_n\":1.5}", "{\"avg_n\":[3.0,2]}", Pos({{0, 11}}), &direct);
  CHECK(restored == direct);

  kt::Headers none;
  kt::AppendStateHeaders("", "", &none);
  CHECK(none.empty());
  kt::StoredFromChangelog("{\"count\":1}", {{"other", std::string_view("x")}}, &restored);
  CHECK(restored == "{\"count\":1}");
}
