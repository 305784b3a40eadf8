#include "kt/io/line_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

// A file holding `content`, opened for reading; removed when the test ends.
struct InputFile {
  explicit InputFile(const std::string& content) {
    char name[] = "/tmp/kt-lines-XXXXXX";
    int w = mkstemp(name);
    REQUIRE(w >= 0);
    path = name;
    REQUIRE(::write(w, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
    ::close(w);
    fd = ::open(name, O_RDONLY);
    REQUIRE(fd >= 0);
  }
  ~InputFile() {
    ::close(fd);
    ::unlink(path.c_str());
  }
  std::string path;
  int fd;
};

struct Line {
  kt::LineReader::Result result;
  std::string text;
  size_t size;
  int64_t number;
};

std::vector<Line> ReadAll(kt::LineReader& r) {
  std::vector<Line> out;
  std::string_view line;
  for (auto res = r.Next(&line); res != kt::LineReader::Result::kEnd; res = r.Next(&line))
    out.push_back({res, std::string(line), r.line_size(), r.line_number()});
  return out;
}

}  // namespace

TEST_CASE("line reader: lines without their newline, CR LF and a last line without one") {
  InputFile in("\xEF\xBB\xBF{\"a\":1}\r\n\nplain\nlast");
  kt::LineReader r(in.fd);
  auto lines = ReadAll(r);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].text == "{\"a\":1}");  // the byte order mark is not part of line 1
  CHECK(lines[1].text.empty());
  CHECK(lines[2].text == "plain");
  CHECK(lines[3].text == "last");
  CHECK(lines[3].number == 4);
  for (auto& l : lines) CHECK(l.result == kt::LineReader::Result::kLine);
  CHECK(r.status().ok());
}

TEST_CASE("line reader: a line longer than the bound is its first bytes, and reading goes on") {
  const size_t max = 1000;
  // Longer than the bound by less than, and by many times, the reader's 64 KiB chunk.
  std::string mid(max + 10, 'x'), huge(5 * 65536 + 7, 'y');
  std::string input = "short\n";
  for (const std::string& part :
       {mid, "\n" + std::string(max, 'z') + "\n", huge, std::string("\r\nafter\n"), huge})
    input += part;
  InputFile in(input);
  kt::LineReader r(in.fd, max);
  auto lines = ReadAll(r);
  REQUIRE(lines.size() == 6);
  CHECK(lines[0].result == kt::LineReader::Result::kLine);
  CHECK(lines[0].text == "short");
  CHECK(lines[1].result == kt::LineReader::Result::kTooLong);
  CHECK(lines[1].text == std::string(max, 'x'));
  CHECK(lines[1].size == max + 10);
  CHECK(lines[1].number == 2);
  CHECK(lines[2].result == kt::LineReader::Result::kLine);  // exactly the bound is a line
  CHECK(lines[2].text == std::string(max, 'z'));
  CHECK(lines[3].result == kt::LineReader::Result::kTooLong);
  CHECK(lines[3].text == std::string(max, 'y'));
  CHECK(lines[3].size == huge.size() + 1);  // the '\r' counts: the line is cut, not whole
  CHECK(lines[4].result == kt::LineReader::Result::kLine);
  CHECK(lines[4].text == "after");
  CHECK(lines[4].number == 5);
  CHECK(lines[5].result == kt::LineReader::Result::kTooLong);  // at the end, without '\n'
  CHECK(lines[5].size == huge.size());
  CHECK(lines[5].number == 6);
}
