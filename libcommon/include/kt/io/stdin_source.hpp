// StdinSource: records from stdin or a file, one per line.
//   ndjson    each line is a value's text form (JSON for the json codec)
//   envelope  each line is a -J envelope (key, value, timestamp, headers, ...)
//   lines     each line is a raw value
//   csv       a header row, then one JSON object per row (numbers typed)
// Empty lines are skipped, and where lines are JSON (envelopes, ndjson with the json codec)
// so are lines of JSON whitespace only: in JSON they are empty too. Records carry their line
// number for error messages; their wire bytes (for dead letters) are the line itself.
// A line longer than LineReader::kMaxLineBytes is a bad record holding the line's first bytes.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kt/codec/codec.hpp"
#include "kt/codec/envelope.hpp"
#include "kt/io/line_reader.hpp"
#include "kt/io/pacer.hpp"
#include "kt/io/source.hpp"

namespace kt {

enum class LineFormat { kNdjson, kEnvelope, kLines, kCsv };
Result<LineFormat> ParseLineFormat(const std::string& text);

struct StdinSourceOptions {
  std::string path = "-";  // "-" = stdin
  LineFormat format = LineFormat::kNdjson;
  // ndjson and lines: each line is KEY<key_delimiter>VALUE (kcat -K), split at the first
  // delimiter; a line without one is a value with no key. Empty: no keys.
  std::string key_delimiter;
  // ndjson and lines: a key or value that is exactly this text is null, a tombstone (kcat -Z).
  std::optional<std::string> null_text;
  Codec key_codec;
  Codec value_codec;
  double rate = 0;  // records per second (kproduce --rate); 0: as fast as they come
  size_t max_line = LineReader::kMaxLineBytes;  // a longer line is a bad record
};

class StdinSource : public Source {
 public:
  explicit StdinSource(StdinSourceOptions options);
  ~StdinSource() override;

  Status Open(RebalanceListener* listener) override;
  Poll Next(int timeout_ms, Record* rec, Status* record_status) override;
  Status Fatal() const override {
    if (!fatal_.ok()) return fatal_;
    return reader_ ? reader_->status() : Status::Ok();
  }

 private:
  void FillEnvelope(Record* rec, Status* record_status);
  void FillCsv(Record* rec, Status* record_status);

  Poll NextLine(int timeout_ms, Record* rec, Status* record_status);
  Poll TooLong(size_t size, Record* rec, Status* record_status);
  StdinSourceOptions opt_;
  Pacer pacer_;
  // Lines are JSON texts: a line of whitespace only is an empty one.
  bool json_lines_ = opt_.format == LineFormat::kEnvelope ||
                     (opt_.format == LineFormat::kNdjson && opt_.value_codec.IsJson());
  int fd_ = -1;
  std::unique_ptr<LineReader> reader_;
  std::string_view line_;
  int64_t record_line_ = 0;
  // Scratch reused between records.
  Headers headers_;
  Envelope envelope_;
  rapidjson::Document doc_;
  std::vector<std::string> csv_header_, csv_row_;
  std::string csv_pending_, json_;
  bool csv_have_header_ = false;
  bool pending_clear_ = false;
  Status fatal_;
};

}  // namespace kt
