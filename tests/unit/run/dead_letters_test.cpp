#include "kt/run/dead_letters.hpp"

#include <catch2/catch.hpp>

#include "fakes.hpp"

namespace {

// FakeSink with a record size bound: a larger value is refused as a data error, as a producer
// refuses a message over the topic's max.message.bytes.
class BoundedDlqSink : public fakes::FakeSink {
 public:
  explicit BoundedDlqSink(int64_t max) : max_(max) {}
  kt::Status Send(const kt::OutRecord& r, kt::DeliveryToken* token) override {
    if (static_cast<int64_t>(r.value_text.size()) > max_) return kt::Status::DataError("message too large");
    return fakes::FakeSink::Send(r, token);
  }
  int64_t MaxRecordBytes() const override { return max_; }

 private:
  int64_t max_;
};

bool HasHeader(const fakes::FakeSink::Sent& s, const std::string& header) {
  for (const std::string& h : s.header_store)
    if (h == header) return true;
  return false;
}

int CountHeaders(const fakes::FakeSink::Sent& s, const std::string& name) {
  int n = 0;
  for (const std::string& h : s.header_store) n += h.rfind(name + "=", 0) == 0;
  return n;
}

const kt::Headers kNoHeaders;

// A bad record read from line `line` of stdin, its wire value `value` (a view: keep it alive).
kt::Record LineRecord(int64_t line, std::string_view value) {
  kt::Record rec;
  rec.headers = &kNoHeaders;
  rec.line = line;
  rec.wire_value = value;
  return rec;
}

}  // namespace

TEST_CASE("a dead letter carries the record's bytes and where it came from", "[dead_letters]") {
  BoundedDlqSink sink(1 << 20);
  kt::DeadLetterWriter dlq("kmap", "dlq", &sink);
  kt::Record rec;
  rec.headers = &kNoHeaders;
  rec.topic = "in";
  rec.partition = 3;
  rec.offset = 17;
  rec.wire_key = "k";
  rec.wire_value = "{bad";
  REQUIRE(dlq.Send(rec, kt::Status::DataError("invalid JSON"), nullptr).ok());
  REQUIRE(sink.sent.size() == 1);
  const fakes::FakeSink::Sent& s = sink.sent[0];
  CHECK(s.topic == "dlq");
  CHECK(s.key == "k");
  CHECK(s.value == "{bad");
  CHECK(HasHeader(s, "kt.error=invalid JSON"));
  CHECK(HasHeader(s, "kt.tool=kmap"));
  CHECK(HasHeader(s, "kt.source.topic=in"));
  CHECK(HasHeader(s, "kt.source.partition=3"));
  CHECK(HasHeader(s, "kt.source.offset=17"));
  CHECK(CountHeaders(s, "kt.truncated") == 0);
}

TEST_CASE("a dead letter too large for its topic is cut to fit and gives the value's size",
          "[dead_letters]") {
  BoundedDlqSink sink(4096);
  kt::DeadLetterWriter dlq("kmap", "dlq", &sink);
  std::string value(10000, 'x');
  kt::Record rec = LineRecord(2, value);
  REQUIRE(dlq.Send(rec, kt::Status::DataError("too big"), nullptr).ok());
  REQUIRE(sink.sent.size() == 1);
  CHECK(sink.sent[0].value.size() < 4096);
  CHECK(sink.sent[0].value == value.substr(0, sink.sent[0].value.size()));
  CHECK(HasHeader(sink.sent[0], "kt.truncated=10000"));
  CHECK(HasHeader(sink.sent[0], "kt.source.line=2"));
}

TEST_CASE("a dead letter of a value the source kept only the first bytes of gives the whole size",
          "[dead_letters]") {
  std::string kept(3000, 'y');
  kt::Record rec = LineRecord(5, kept);
  rec.wire_value_size = 1 << 30;  // a 1 GiB line of which the reader kept 3000 bytes
  SECTION("it fits the topic") {
    BoundedDlqSink sink(1 << 20);
    kt::DeadLetterWriter dlq("kmap", "dlq", &sink);
    REQUIRE(dlq.Send(rec, kt::Status::DataError("line too long"), nullptr).ok());
    REQUIRE(sink.sent.size() == 1);
    CHECK(sink.sent[0].value == kept);
    CHECK(HasHeader(sink.sent[0], "kt.truncated=1073741824"));
    CHECK(CountHeaders(sink.sent[0], "kt.truncated") == 1);
  }
  SECTION("it is cut again to fit the topic") {
    BoundedDlqSink sink(2048);
    kt::DeadLetterWriter dlq("kmap", "dlq", &sink);
    REQUIRE(dlq.Send(rec, kt::Status::DataError("line too long"), nullptr).ok());
    REQUIRE(sink.sent.size() == 1);
    CHECK(sink.sent[0].value.size() < 2048);
    CHECK(HasHeader(sink.sent[0], "kt.truncated=1073741824"));
    CHECK(CountHeaders(sink.sent[0], "kt.truncated") == 1);
  }
}
