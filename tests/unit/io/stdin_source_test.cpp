#include "kt/io/stdin_source.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

struct SourceRead {
  std::string value;  // the record's value, or its wire bytes when it is bad
  std::string error;  // empty for a good record
  int64_t line;
  int64_t wire_size;  // Record::wire_value_size: the whole size of a value kept in part, else -1
};

// Every record of `content` read as `format`, lines bounded to `max_line` bytes; *fatal gets
// the source's fatal error, if any.
std::vector<SourceRead> ReadRecords(const std::string& content, kt::LineFormat format, size_t max_line,
                                    kt::Status* fatal) {
  char name[] = "/tmp/kt-stdin-XXXXXX";
  int w = mkstemp(name);
  REQUIRE(w >= 0);
  ::close(w);
  std::ofstream(name) << content;
  kt::StdinSourceOptions opt;
  opt.path = name;
  opt.format = format;
  opt.max_line = max_line;
  kt::StdinSource src(opt);
  REQUIRE(src.Open(nullptr).ok());
  std::vector<SourceRead> out;
  for (int polls = 0; polls < 1000; ++polls) {
    kt::Record rec;
    kt::Status st;
    auto p = src.Next(100, &rec, &st);
    if (p == kt::Source::Poll::kEnd || !src.Fatal().ok()) break;
    if (p != kt::Source::Poll::kRecord) continue;
    out.push_back({st.ok() ? std::string(rec.value.value_or("")) : std::string(rec.wire_value.value_or("")),
                   st.ok() ? "" : st.message(), rec.line, rec.wire_value_size});
  }
  *fatal = src.Fatal();
  ::unlink(name);
  return out;
}

}  // namespace

TEST_CASE("stdin source: a line longer than the bound is a bad record naming its size; the next is read") {
  kt::Status fatal;
  std::string input = "{\"a\":1}\n";
  input.append(100, 'x');
  input += "\n{\"a\":2}\n";  // (+ on a temporary: GCC 12's -Warray-bounds false positive)
  auto recs = ReadRecords(input, kt::LineFormat::kNdjson, 64, &fatal);
  REQUIRE(fatal.ok());
  REQUIRE(recs.size() == 3);
  CHECK(recs[0].value == "{\"a\":1}");
  CHECK(recs[1].line == 2);
  CHECK(recs[1].value == std::string(64, 'x'));  // its first bytes, for a dead letter
  CHECK(recs[1].wire_size == 100);               // and its whole size, for kt.truncated
  CHECK(recs[0].wire_size == -1);
  CHECK(recs[1].error ==
        "the line has 100 bytes, more than the 64 bytes a record's line may have: is the input text with a "
        "newline after each record?");
  CHECK(recs[2].value == "{\"a\":2}");
  CHECK(recs[2].line == 3);
}

TEST_CASE("stdin source: a CSV quoted field never closed stops at the bound, not at the end of memory") {
  kt::Status fatal;
  std::string rows = "name,n\nok,1\n\"open,2\n";
  for (int i = 0; i < 20; ++i) rows += "more text,3\n";
  auto recs = ReadRecords(rows, kt::LineFormat::kCsv, 64, &fatal);
  REQUIRE(fatal.ok());
  REQUIRE(recs.size() >= 2);
  CHECK(recs[0].value == "{\"name\":\"ok\",\"n\":1}");
  CHECK(recs[1].line == 3);  // where the row began
  CHECK(recs[1].error.rfind("the CSV row (a quoted field not closed?) has ", 0) == 0);
  CHECK(recs[1].error.find(" bytes so far, more than the 64 bytes") != std::string::npos);
}

TEST_CASE("stdin source: a CSV header longer than the bound stops the input, naming the line") {
  kt::Status fatal;
  std::string input(100, 'h');
  input += "\nrow,1\n";
  auto recs = ReadRecords(input, kt::LineFormat::kCsv, 64, &fatal);
  CHECK(recs.empty());
  REQUIRE(fatal.IsDataError());
  CHECK(fatal.message().rfind("CSV header, line 1: the line has 100 bytes, more than the 64 bytes", 0) == 0);
}
