// StdoutSink: NDJSON lines on stdout (bare values, or -J envelopes).
// A record is acknowledged only once the write(2) holding it succeeded, so a tool reading Kafka
// and writing stdout commits only what reached the pipe. EPIPE means the reader went away:
// Closed() turns true and the Runner ends quietly.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kt/codec/codec.hpp"
#include "kt/io/record_format.hpp"
#include "kt/io/sink.hpp"

namespace kt {

struct StdoutSinkOptions {
  bool envelope = false;
  bool pretty = false;        // indent JSON values (bare mode)
  std::string key_delimiter;  // bare mode: KEY<delimiter>VALUE lines (kcat -K); a null key is empty
  // bare mode: a null key (with -K) or a tombstone is written as this text (kcat -Z); without it
  // a null key is empty and a tombstone is `null`.
  std::optional<std::string> null_text;
  Codec key_codec;
  Codec value_codec;
  int fd = 1;
  // kcat -f: each record through this format instead of a line (io/record_format.hpp).
  std::vector<FormatPart> format;
  bool formatted = false;
};

class StdoutSink : public Sink {
 public:
  explicit StdoutSink(StdoutSinkOptions options) : opt_(std::move(options)) {}

  Status Open(DeliveryListener* listener) override;
  Status Send(const OutRecord& rec, DeliveryToken* token) override;
  void Poll() override { (void)WriteOut(); }  // an error stays in error_ for Flush
  Status Flush(int timeout_ms) override;
  bool Closed() const override { return closed_; }

 private:
  Status WriteOut();
  void AppendValue(const OutRecord& rec);
  void AppendAuto(std::string_view text);
  void AppendFormatted(const OutRecord& rec);

  StdoutSinkOptions opt_;
  DeliveryListener* listener_ = nullptr;
  std::string buf_;
  std::string scratch_;                 // a multi-line JSON value made single-line
  std::vector<DeliveryToken*> tokens_;  // records in buf_, acknowledged after the write
  bool closed_ = false;
  Status error_;  // a write error other than EPIPE: nothing more is written
};

}  // namespace kt
