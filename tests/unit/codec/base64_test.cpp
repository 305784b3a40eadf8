#include "kt/codec/base64.hpp"

#include <catch2/catch.hpp>

TEST_CASE("base64 encodes RFC 4648 test vectors") {
  std::string out;
  const std::pair<const char*, const char*> cases[] = {{"", ""},
                                                       {"f", "Zg=="},
                                                       {"fo", "Zm8="},
                                                       {"foo", "Zm9v"},
                                                       {"foob", "Zm9vYg=="},
                                                       {"fooba", "Zm9vYmE="},
                                                       {"foobar", "Zm9vYmFy"}};
  for (auto& [in, want] : cases) {
    kt::Base64Encode(in, &out);
    CHECK(out == want);
    std::string back;
    REQUIRE(kt::Base64Decode(want, &back).ok());
    CHECK(back == in);
  }
}

TEST_CASE("base64 round-trips every byte value") {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  std::string enc, dec;
  kt::Base64Encode(all, &enc);
  REQUIRE(kt::Base64Decode(enc, &dec).ok());
  CHECK(dec == all);
}

TEST_CASE("base64 rejects invalid characters and lengths") {
  std::string out;
  CHECK(kt::Base64Decode("Zm9v!", &out).IsDataError());
  CHECK(kt::Base64Decode("Z", &out).IsDataError());
  CHECK(kt::Base64Decode("Zm9", &out).ok());  // unpadded
  CHECK(out == "fo");
}
