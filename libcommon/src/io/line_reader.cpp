#include "kt/io/line_reader.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kt {

namespace {
constexpr size_t kChunk = 1 << 16;
constexpr std::string_view kBom = "\xEF\xBB\xBF";  // U+FEFF in UTF-8
}  // namespace

bool LineReader::Fill() {
  if (start_ > 0) {  // compact
    std::memmove(buf_.data(), buf_.data() + start_, end_ - start_);
    end_ -= start_;
    start_ = 0;
  }
  if (buf_.size() - end_ < kChunk) buf_.resize(std::max(buf_.size() * 2, end_ + kChunk));
  while (true) {
    ssize_t n = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
    if (n > 0) {
      end_ += static_cast<size_t>(n);
      return true;
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    if (errno == EINTR) return false;  // let the caller check for a stop signal
    status_ = Status::IoError(std::string("read: ") + std::strerror(errno));
    eof_ = true;
    return false;
  }
}

bool LineReader::WaitReadable(int timeout_ms) {
  if (eof_ || std::memchr(buf_.data() + start_, '\n', end_ - start_)) return true;
  struct pollfd p {
    fd_, POLLIN, 0
  };
  return ::poll(&p, 1, timeout_ms) > 0;
}

// A byte order mark opening the input marks its encoding (Excel's "CSV UTF-8", PowerShell's
// Out-File): it is not part of the first line, which would otherwise start with an invisible
// U+FEFF (a CSV header field that matches no name, a JSON text that does not parse). RFC 8259
// lets a reader ignore it.
LineReader::Result LineReader::Deliver(std::string_view* line) {
  line_size_ = line->size() + dropped_;
  bool too_long = dropped_ > 0;
  dropped_ = 0;
  if (line_no_++ == 0 && line->substr(0, kBom.size()) == kBom) line->remove_prefix(kBom.size());
  return too_long ? Result::kTooLong : Result::kLine;
}

LineReader::Result LineReader::Next(std::string_view* line) {
  size_t scan = start_;
  while (true) {
    const char* nl = static_cast<const char*>(std::memchr(buf_.data() + scan, '\n', end_ - scan));
    if (nl || eof_) {
      if (!nl && start_ == end_) return Result::kEnd;
      size_t pos = nl ? static_cast<size_t>(nl - buf_.data()) : end_;
      size_t len = pos - start_;
      if (len > max_line_) {
        dropped_ += len - max_line_;
        len = max_line_;
      } else if (nl && len > 0 && buf_[pos - 1] == '\r' && dropped_ == 0) {
        --len;
      }
      *line = std::string_view(buf_.data() + start_, len);
      start_ = nl ? pos + 1 : end_;
      return Deliver(line);
    }
    if (end_ - start_ > max_line_) {  // no '\n' yet: keep the line's first max_line_ bytes only
      dropped_ += end_ - start_ - max_line_;
      end_ = start_ + max_line_;
    }
    size_t consumed = start_;
    scan = end_;
    if (!Fill() && !eof_) return Result::kInterrupted;
    scan -= consumed;
  }
}

}  // namespace kt
