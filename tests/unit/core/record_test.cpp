#include "kt/core/record.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace {

// Makes "made:" + the wire bytes, counting its calls.
struct CountingMaker : kt::ValueTextMaker {
  mutable int calls = 0;
  kt::Status Text(std::string_view wire, std::string* scratch, std::string_view* text) const override {
    ++calls;
    *scratch = "made:" + std::string(wire);
    *text = *scratch;
    return kt::Status::Ok();
  }
};

}  // namespace

TEST_CASE("OutRecord::Text: an input's value whose text the source left unmade is made from its bytes") {
  const std::string wire("\x00\x00\x00\x00\x01payload", 12);
  CountingMaker maker;
  kt::Record in;
  in.wire_value = wire;
  in.value = in.wire_value->substr(0, 0);  // as the Kafka source leaves it
  in.value_text_from = &maker;
  std::string scratch;
  std::string_view text;

  kt::OutRecord passed = kt::OutRecord::From(in);
  CHECK(passed.ValueIsInputs());
  REQUIRE(passed.Text(&scratch, &text).ok());
  CHECK(text == "made:" + wire);
  CHECK(text.size() == 17);
  CHECK(maker.calls == 1);

  // A value the transform replaced is its own text: nothing made.
  kt::OutRecord changed = kt::OutRecord::From(in);
  changed.value_text = "{\"a\":1}";
  CHECK(!changed.ValueIsInputs());
  REQUIRE(changed.Text(&scratch, &text).ok());
  CHECK(text == "{\"a\":1}");
  CHECK(maker.calls == 1);

  // A source that made the text: that text, as it is.
  kt::Record made;
  made.wire_value = wire;
  made.value = std::string_view("{\"b\":2}");
  REQUIRE(kt::OutRecord::From(made).Text(&scratch, &text).ok());
  CHECK(text == "{\"b\":2}");
  CHECK(maker.calls == 1);
}
