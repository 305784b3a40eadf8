// Reads lines from a file descriptor through one growing buffer (no per-line allocation).
#pragma once

#include <string>
#include <string_view>

#include "kt/core/status.hpp"

namespace kt {

class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}
  enum class Result { kLine, kEnd, kInterrupted };
  // The next line without its '\n' (and '\r'), valid until the next call; a UTF-8 byte order
  // mark opening the input is left out of line 1. kEnd at end of input
  // (a last line without '\n' is still returned first) or on error (see status());
  // kInterrupted when a signal interrupted a blocking read.
  Result Next(std::string_view* line);
  // Waits up to timeout_ms for input to be readable; true if a Next() would not block.
  bool WaitReadable(int timeout_ms);
  const Status& status() const { return status_; }
  int64_t line_number() const { return line_no_; }

 private:
  bool Fill();
  Result Deliver(std::string_view* line);
  int fd_;
  std::string buf_;
  size_t start_ = 0, end_ = 0;
  bool eof_ = false;
  int64_t line_no_ = 0;
  Status status_;
};

}  // namespace kt
