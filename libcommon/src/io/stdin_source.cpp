#include "kt/io/stdin_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "kt/codec/csv.hpp"

namespace kt {

Result<LineFormat> ParseLineFormat(const std::string& text) {
  if (text == "ndjson" || text == "json") return LineFormat::kNdjson;
  if (text == "envelope") return LineFormat::kEnvelope;
  if (text == "lines") return LineFormat::kLines;
  if (text == "csv") return LineFormat::kCsv;
  return Status::InvalidArgument("--format must be ndjson, envelope, lines or csv, not '" + text + "'");
}

StdinSource::StdinSource(StdinSourceOptions options) : opt_(std::move(options)), pacer_(opt_.rate) {}

StdinSource::~StdinSource() {
  if (fd_ > 0) ::close(fd_);
}

Status StdinSource::Open(RebalanceListener* listener) {
  if (opt_.path == "-") {
    fd_ = 0;
  } else {
    fd_ = ::open(opt_.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return Status::IoError("cannot open " + opt_.path + ": " + std::strerror(errno));
  }
  reader_ = std::make_unique<LineReader>(fd_, opt_.max_line);
  if (listener) listener->OnAssigned({TopicPartition{"", -1}});
  return Status::Ok();
}

Source::Poll StdinSource::Next(int timeout_ms, Record* rec, Status* record_status) {
  if (!pacer_.WaitTurn(timeout_ms)) return Poll::kIdle;  // --rate
  Poll p = NextLine(timeout_ms, rec, record_status);
  if (p == Poll::kRecord) pacer_.Produced();
  return p;
}

Source::Poll StdinSource::NextLine(int timeout_ms, Record* rec, Status* record_status) {
  if (pending_clear_) {
    csv_pending_.clear();
    pending_clear_ = false;
  }
  // Never block without a timeout: the Runner flushes stdout and commits while input is idle.
  if (!reader_->WaitReadable(timeout_ms)) return Poll::kIdle;
  while (true) {
    LineReader::Result r = reader_->Next(&line_);
    if (r == LineReader::Result::kInterrupted) return Poll::kIdle;
    if (r == LineReader::Result::kEnd) {
      if (opt_.format == LineFormat::kCsv && !csv_pending_.empty()) {
        *rec = Record();
        rec->line = record_line_;
        *record_status = Status::DataError("CSV quoted field not closed at end of input");
        csv_pending_.clear();
        return Poll::kRecord;
      }
      return Poll::kEnd;
    }
    if (r == LineReader::Result::kTooLong)
      return TooLong(csv_pending_.size() + reader_->line_size(), rec, record_status);
    if (line_.empty() && csv_pending_.empty()) continue;
    if (json_lines_ && line_.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (opt_.format == LineFormat::kCsv) {
      if (csv_pending_.empty()) record_line_ = reader_->line_number();
      csv_pending_.append(line_.data(), line_.size());
      if (csv_pending_.size() > reader_->max_line()) return TooLong(csv_pending_.size(), rec, record_status);
      if (!SplitCsvRow(csv_pending_, &csv_row_)) {
        csv_pending_.push_back('\n');  // quoted field continues on the next line
        continue;
      }
      if (!csv_have_header_) {
        csv_header_ = csv_row_;
        csv_have_header_ = true;
        csv_pending_.clear();
        continue;
      }
    } else {
      record_line_ = reader_->line_number();
    }
    break;
  }
  *rec = Record();
  rec->line = record_line_;
  rec->offset = record_line_;
  headers_.clear();
  rec->headers = &headers_;
  *record_status = Status::Ok();
  switch (opt_.format) {
    case LineFormat::kNdjson:
    case LineFormat::kLines: {
      std::string_view value = line_;
      if (!opt_.key_delimiter.empty()) {
        size_t at = line_.find(opt_.key_delimiter);
        if (at != std::string_view::npos) {
          rec->key = rec->wire_key = line_.substr(0, at);
          value = line_.substr(at + opt_.key_delimiter.size());
        }
      }
      rec->wire_value = line_;
      if (opt_.null_text) {  // kcat -Z: the text that stands for null
        if (rec->key && *rec->key == *opt_.null_text) rec->key = rec->wire_key = std::nullopt;
        if (value == *opt_.null_text) break;  // a tombstone
      }
      rec->value = value;
      break;
    }
    case LineFormat::kEnvelope:
      FillEnvelope(rec, record_status);
      break;
    case LineFormat::kCsv:
      FillCsv(rec, record_status);
      break;
  }
  return Poll::kRecord;
}

// A line (or CSV row) longer than the reader keeps is a bad record, with its first bytes as
// its wire value (a dead letter's); reading goes on at the next line. A CSV header is every
// row's names: without it the input cannot be read.
Source::Poll StdinSource::TooLong(size_t size, Record* rec, Status* record_status) {
  bool row = !csv_pending_.empty();  // a CSV row whose quoted field spans lines
  size_t max = reader_->max_line();
  Status s = Status::DataError(
      std::string(row ? "the CSV row (a quoted field not closed?)" : "the line") + " has " +
      std::to_string(size) + " bytes" + (row ? " so far" : "") + ", more than the " +
      (max % (1 << 20) == 0 ? std::to_string(max >> 20) + " MiB" : std::to_string(max) + " bytes") +
      " a record's line may have: is the input text with a newline after each record?");
  if (opt_.format == LineFormat::kCsv && !csv_have_header_) {
    fatal_ = s.WithContext("CSV header, line " + std::to_string(reader_->line_number()));
    return Poll::kIdle;  // the Runner stops on Fatal()
  }
  *rec = Record();
  rec->line = row ? record_line_ : reader_->line_number();
  rec->offset = rec->line;
  rec->wire_value = row ? std::string_view(csv_pending_) : line_;
  rec->wire_value_size = static_cast<int64_t>(size);
  if (row) pending_clear_ = true;  // csv_pending_ must outlive the record
  line_ = {};
  *record_status = s;
  return Poll::kRecord;
}

void StdinSource::FillEnvelope(Record* rec, Status* record_status) {
  rec->wire_value = line_;
  Status s = ParseEnvelope(line_, opt_.key_codec, opt_.value_codec, &doc_, &envelope_);
  if (!s.ok()) {
    *record_status = s.WithContext("envelope");
    return;
  }
  if (envelope_.key) rec->key = rec->wire_key = *envelope_.key;
  if (envelope_.value) rec->value = *envelope_.value;
  rec->timestamp = envelope_.timestamp;
  for (auto& [name, value] : envelope_.headers) {
    Header h{name, std::nullopt};
    if (value) h.value = *value;
    headers_.push_back(h);
  }
  rec->topic = envelope_.topic;
  rec->partition = envelope_.partition;
  rec->offset = envelope_.offset;
}

void StdinSource::FillCsv(Record* rec, Status* record_status) {
  rec->wire_value = std::string_view(csv_pending_);
  Status s = CsvRowToJson(csv_header_, csv_row_, &json_);
  if (s.ok())
    rec->value = json_;
  else
    *record_status = s;
  // csv_pending_ must outlive the record: cleared lazily on the next row.
  line_ = {};
  pending_clear_ = true;
}

}  // namespace kt
