// Reads lines from a file descriptor through one growing buffer (no per-line allocation).
// A line holds at most max_line bytes in memory: a longer one (binary input, a file without
// newlines) is kept as its first max_line bytes and the rest is read past to its '\n', so that
// memory stays bounded and the next line is read as usual.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "kt/core/status.hpp"

namespace kt {

class LineReader {
 public:
  static constexpr size_t kMaxLineBytes = size_t{64} << 20;  // 64 MiB
  explicit LineReader(int fd, size_t max_line = kMaxLineBytes) : fd_(fd), max_line_(max_line) {}
  enum class Result { kLine, kTooLong, kEnd, kInterrupted };
  // The next line without its '\n' (and '\r'), valid until the next call; a UTF-8 byte order
  // mark opening the input is left out of line 1. kEnd at end of input
  // (a last line without '\n' is still returned first) or on error (see status());
  // kInterrupted when a signal interrupted a blocking read (call again: a line in progress
  // goes on). kTooLong for a line longer than max_line: *line is its first max_line bytes,
  // line_size() its whole length.
  Result Next(std::string_view* line);
  size_t line_size() const { return line_size_; }
  size_t max_line() const { return max_line_; }
  // Waits up to timeout_ms for input to be readable; true if a Next() would not block.
  bool WaitReadable(int timeout_ms);
  const Status& status() const { return status_; }
  int64_t line_number() const { return line_no_; }

 private:
  bool Fill();
  Result Deliver(std::string_view* line);
  int fd_;
  size_t max_line_;
  size_t dropped_ = 0;    // bytes of the line in progress read past (beyond max_line_)
  size_t line_size_ = 0;  // the last line's whole length
  std::string buf_;
  size_t start_ = 0, end_ = 0;
  bool eof_ = false;
  int64_t line_no_ = 0;
  Status status_;
};

}  // namespace kt
