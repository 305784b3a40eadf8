#include "kt/run/runner.hpp"

#include <unistd.h>

#include <cstdio>

#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/core/signals.hpp"
#include "kt/core/time.hpp"

namespace kt {

namespace {
constexpr int kIdleWaitMs = 100;
constexpr int kPollEvery = 64;          // serve sink callbacks every N records
constexpr int64_t kMaxBadReported = 10; // bad-record warnings shown under skip/dlq
}  // namespace

Result<ErrorPolicy> ParseErrorPolicy(const std::string& text) {
  if (text == "fail") return ErrorPolicy::kFail;
  if (text == "skip") return ErrorPolicy::kSkip;
  if (text == "dlq") return ErrorPolicy::kDlq;
  return Status::InvalidArgument("--on-error must be fail, skip or dlq, not '" + text + "'");
}

Runner::Runner(RunnerOptions options, Source* source, Sink* sink, Sink* kafka, Transform* transform)
    : opt_(std::move(options)), source_(source), sink_(sink), dlq_(kafka), transform_(transform) {}

int Runner::Run() {
  stats_.start_ms = NowMs();
  last_commit_ms_ = last_progress_ms_ = stats_.start_ms;
  Status st = sink_->Open(this);
  if (st.ok() && dlq_ && dlq_ != sink_) st = dlq_->Open(this);
  if (st.ok()) st = source_->Open(this);
  if (!st.ok()) {
    LogError(opt_.tool, st.message());
    return ExitCodeFor(st);
  }

  bool natural_end = false;
  int timeout = 0;
  int since_poll = 0;
  Record rec;
  while (true) {
    if (StopRequested() || sink_->Closed() || !fatal_.ok()) break;
    if (Status f = source_->Fatal(); !f.ok()) {
      fatal_ = f;
      break;
    }
    Status record_status;
    Source::Poll p = source_->Next(timeout, &rec, &record_status);
    if (p == Source::Poll::kIdle) {
      Idle();
      timeout = kIdleWaitMs;
      continue;
    }
    if (p == Source::Poll::kEnd) {
      natural_end = true;
      break;
    }
    timeout = 0;
    if (ProcessOne(rec, record_status) == Outcome::kStop) break;
    if (++since_poll >= kPollEvery) {
      since_poll = 0;
      sink_->Poll();
      if (dlq_ && dlq_ != sink_) dlq_->Poll();
      int64_t now = NowMs();
      if (now - last_commit_ms_ >= opt_.commit_interval_ms || transform_->WantsCommit()) Commit(false);
      if (opt_.progress && now - last_progress_ms_ >= 500) Progress(false);
    }
    if (opt_.max_records >= 0 && stats_.in >= opt_.max_records) {
      natural_end = true;
      break;
    }
  }

  if (natural_end && data_error_.ok() && fatal_.ok()) {
    current_ = nullptr;
    transform_->Finish(*this);
  }
  if (Status f = FlushSinks(); !f.ok() && fatal_.ok() && !sink_->Closed()) fatal_ = f;
  Commit(true);
  source_->Close();
  if (opt_.progress) Progress(true);

  if (!data_error_.ok()) {
    LogError(opt_.tool, data_error_.message() +
                            " (use --on-error skip or --on-error dlq to continue past bad records)");
  }
  if (!fatal_.ok()) LogError(opt_.tool, fatal_.message());
  if (!opt_.quiet) {
    std::string extra = transform_->SummaryExtra();
    LogInfo(opt_.tool, stats_.Summary(opt_.tool, NowMs()).substr(opt_.tool.size() + 2) +
                           (extra.empty() ? "" : "; " + extra));
  }
  if (!fatal_.ok()) return kExitRuntime;
  if (!data_error_.ok()) return kExitData;
  return kExitOk;
}

Runner::Outcome Runner::ProcessOne(Record& rec, const Status& record_status) {
  ++stats_.in;
  if (rec.value) stats_.bytes_in += static_cast<int64_t>(rec.value->size());
  OffsetTracker::Entry* entry = tracker_.Begin(opt_.input_topic, rec.partition, rec.line > 0 ? rec.line : rec.offset);
  current_ = entry;
  emit_error_ = Status::Ok();

  Status s = record_status;
  rapidjson::Document* value = nullptr;
  if (s.ok() && rec.value && (transform_->WantsValue() || opt_.schema)) {
    if (opt_.value_codec.IsJson()) {
      s = parser_.ParseJson(*rec.value);
    } else {
      parser_.SetString(*rec.value);
    }
    value = parser_.doc();
    if (s.ok() && opt_.schema) s = opt_.schema->Validate(*value);
  } else if (s.ok() && rec.value && opt_.value_codec.IsJson()) {
    s = ValueParser::ValidateJson(*rec.value);  // values said to be JSON always are
  }
  if (s.ok()) {
    Input in{rec, value};
    s = transform_->Process(in, *this);
    if (s.ok()) s = emit_error_;
  }
  current_ = nullptr;
  if (!s.ok()) return HandleBad(rec, entry, s);
  tracker_.Seal(entry);
  return Outcome::kContinue;
}

Runner::Outcome Runner::HandleBad(const Record& rec, OffsetTracker::Entry* entry, const Status& error) {
  Status located = error.WithContext(rec.Where());
  if (error.IsDropped()) {
    if (opt_.on_error == ErrorPolicy::kDlq) SendDeadLetter(rec, entry, error);
    tracker_.Seal(entry);
    return Outcome::kContinue;
  }
  if (!error.IsDataError()) {  // not the record's fault: stop without committing it
    fatal_ = located;
    return Outcome::kStop;
  }
  switch (opt_.on_error) {
    case ErrorPolicy::kFail:
      data_error_ = located;  // the entry stays unsealed: its offset is never committed
      return Outcome::kStop;
    case ErrorPolicy::kSkip:
      ++stats_.skipped;
      if (!opt_.quiet && (opt_.verbose || bad_reported_++ < kMaxBadReported))
        LogWarning(opt_.tool, "skipped " + located.message());
      break;
    case ErrorPolicy::kDlq:
      SendDeadLetter(rec, entry, error);
      if (opt_.verbose) LogWarning(opt_.tool, "dead-lettered " + located.message());
      break;
  }
  tracker_.Seal(entry);
  return Outcome::kContinue;
}

void Runner::SendDeadLetter(const Record& rec, OffsetTracker::Entry* entry, const Status& error) {
  std::string partition = std::to_string(rec.partition);
  std::string offset = std::to_string(rec.offset);
  std::string line = std::to_string(rec.line);
  Headers headers;
  if (rec.headers) headers = *rec.headers;
  headers.push_back({"kt.error", error.message()});
  headers.push_back({"kt.tool", opt_.tool});
  if (rec.line > 0) {
    headers.push_back({"kt.source.line", line});
  } else {
    headers.push_back({"kt.source.topic", rec.topic});
    headers.push_back({"kt.source.partition", partition});
    headers.push_back({"kt.source.offset", offset});
  }
  OutRecord d;
  d.wire = true;
  d.topic = opt_.dlq_topic;
  d.key = rec.wire_key;
  if (rec.wire_value) {
    d.value_kind = OutRecord::ValueKind::kText;
    d.value_text = *rec.wire_value;
  }
  d.timestamp = rec.timestamp;
  d.headers = &headers;
  tracker_.AddPending(entry);
  Status s = dlq_->Send(d, entry);
  if (!s.ok()) {
    --entry->pending;
    fatal_ = s.WithContext("dead letter for " + rec.Where());
    entry->failed = true;
    return;
  }
  ++stats_.dead_lettered;
}

void Runner::Emit(const OutRecord& out) {
  Sink* sink = out.internal && dlq_ ? dlq_ : sink_;
  if (current_) tracker_.AddPending(current_);
  Status s = sink->Send(out, current_);
  if (!s.ok()) {
    if (current_) --current_->pending;
    if (emit_error_.ok()) emit_error_ = s;
    return;
  }
  if (out.internal) ++internal_emitted_;
  else ++stats_.out;
}

void Runner::OnDelivered(void* token, const Status& status) {
  if (!status.ok() && fatal_.ok()) fatal_ = Status::KafkaError("delivery failed: " + status.message());
  if (token) tracker_.Ack(static_cast<OffsetTracker::Entry*>(token), status.ok());
}

void Runner::OnAssigned(const std::vector<int32_t>& partitions) {
  transform_->OnAssigned(partitions);
}

void Runner::OnRevoking(const std::vector<int32_t>& partitions) {
  BeforeCommit();
  if (Status f = FlushSinks(); !f.ok() && fatal_.ok()) fatal_ = f;
  auto offsets = tracker_.TakeCommittable(opt_.input_topic, partitions);
  if (!offsets.empty() && source_->Commits()) {
    Status s = source_->Commit(offsets, true);
    if (!s.ok()) LogWarning(opt_.tool, "commit before revocation failed: " + s.message());
  }
  transform_->OnRevoked(partitions);
  if (fatal_.ok())
    for (int32_t p : partitions) tracker_.Remove(opt_.input_topic, p);
}

Status Runner::FlushSinks() {
  Status s = sink_->Flush(opt_.flush_timeout_ms);
  if (dlq_ && dlq_ != sink_) {
    Status d = dlq_->Flush(opt_.flush_timeout_ms);
    if (s.ok()) s = d;
  }
  return s;
}

// Lets the Transform write what it coalesced; whatever it wrote is acknowledged before any
// offset is taken, so committed offsets never run ahead of changelog writes.
void Runner::BeforeCommit() {
  int64_t before = internal_emitted_;
  current_ = nullptr;
  if (transform_->HasState()) {
    if (Status f = FlushSinks(); !f.ok() && fatal_.ok()) fatal_ = f;
    if (!fatal_.ok()) return;  // persist no state past a lost output
  }
  transform_->BeforeCommit(*this);
  if (internal_emitted_ != before) {
    if (Status f = FlushSinks(); !f.ok() && fatal_.ok()) fatal_ = f;
  }
}

void Runner::Commit(bool sync) {
  last_commit_ms_ = NowMs();
  BeforeCommit();
  if (!source_->Commits()) return;
  auto offsets = tracker_.TakeCommittable();
  if (offsets.empty()) return;
  Status s = source_->Commit(offsets, sync);
  if (!s.ok()) LogWarning(opt_.tool, "commit failed: " + s.message());
}

void Runner::Idle() {
  sink_->Poll();
  if (dlq_ && dlq_ != sink_) dlq_->Poll();
  int64_t now = NowMs();
  if (now - last_commit_ms_ >= opt_.commit_interval_ms || transform_->WantsCommit()) Commit(false);
  if (opt_.progress && now - last_progress_ms_ >= 500) Progress(false);
}

void Runner::Progress(bool final) {
  last_progress_ms_ = NowMs();
  if (final) {
    std::fprintf(stderr, "\r\033[K");
  } else {
    std::fprintf(stderr, "\r\033[K%s", stats_.Summary(opt_.tool, last_progress_ms_).c_str());
  }
  std::fflush(stderr);
}

}  // namespace kt
