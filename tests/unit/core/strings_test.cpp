#include "kt/core/strings.hpp"

#include <catch2/catch.hpp>

TEST_CASE("UTF-8 validation follows RFC 3629") {
  CHECK(kt::IsValidUtf8("plain ascii"));
  CHECK(kt::IsValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  CHECK_FALSE(kt::IsValidUtf8("\xff"));
  CHECK_FALSE(kt::IsValidUtf8("\xc3"));              // cut short
  CHECK_FALSE(kt::IsValidUtf8("\xc0\xaf"));          // overlong
  CHECK_FALSE(kt::IsValidUtf8("\xed\xa0\x80"));      // a surrogate
  CHECK_FALSE(kt::IsValidUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  CHECK_FALSE(kt::IsValidUtf8("\x9d\xde"));
}

TEST_CASE("Utf8Text keeps text and replaces each ill-formed sequence's maximal subpart with U+FFFD") {
  std::string scratch;
  std::string_view good = "caf\xc3\xa9";
  CHECK(kt::Utf8Text(good, &scratch).data() == good.data());  // no copy
  // Unicode 15, section 3.9, table 3-8 (as Java's decoder and Python's "replace" give it).
  CHECK(kt::Utf8Text("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", &scratch) ==
        "a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd");
  CHECK(kt::Utf8Text(std::string("k\xff\x00", 3), &scratch) == std::string("k\uFFFD\x00", 5));
  CHECK(kt::Utf8Text("\xed\xa0\x80", &scratch) == "\uFFFD\uFFFD\uFFFD");  // a surrogate: 3 bytes, 3 marks
  CHECK(kt::Utf8Text("\xe2\x82", &scratch) == "\uFFFD");                  // cut short at the end
  CHECK(kt::IsValidUtf8(kt::Utf8Text("\xc0\xaf\xf4\x90\x80\x80", &scratch)));
}
