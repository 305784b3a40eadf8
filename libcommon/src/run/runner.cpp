#include "kt/run/runner.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <thread>

#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/core/signals.hpp"
#include "kt/core/time.hpp"

namespace kt {

namespace {
constexpr int kIdleWaitMs = 100;
constexpr int kPollEvery = 64;           // serve sink callbacks every N records
constexpr int64_t kMaxBadReported = 10;  // bad-record warnings shown under skip/dlq
constexpr int kRestoreSliceMs = 50;      // restoring between records: at most this long at a time
constexpr int kRestoreIdleMs = 100;      // restoring while the input is idle
constexpr int kMaintainSliceMs = 10;     // standbys: at most this long every kRestoreSliceMs
// Standbys while the input is idle: waiting this long for changelog records at most (what an
// input record arriving meanwhile may wait).
constexpr int kMaintainIdleMs = 20;

LogWhere WhereOf(const Record& rec) {
  LogWhere w;
  w.topic = rec.topic;
  w.partition = rec.partition;
  w.offset = rec.offset;
  w.line = rec.line;
  return w;
}

// The bytes of a record's value as the input had them (stats' bytes in).
int64_t ValueBytes(const Record& rec) {
  if (!rec.value) return 0;
  return static_cast<int64_t>(rec.value_text_from ? rec.wire_value->size() : rec.value->size());
}

// What a stop that takes long waits for, as its notice says: the reader of stdout (a pipe
// nobody reads), Kafka (the producer's flush, the final commit) or both.
std::string StopNote(const std::vector<Sink*>& sinks, bool commits) {
  bool to_kafka = false, to_stdout = false;
  for (const Sink* s : sinks) (s->WritesToKafka() ? to_kafka : to_stdout) = true;
  std::string note = "still stopping: ";
  if (!to_stdout) {
    note += commits ? "writing the last records and committing their offsets waits for Kafka"
                    : "writing the last records waits for Kafka";
  } else {
    note += to_kafka ? "writing the last records waits for the reader of stdout and Kafka"
                     : "writing the last records waits for the reader of stdout";
    if (commits) note += ", committing their offsets for Kafka";
  }
  if (to_kafka || commits) note += " (up to a minute when it is unreachable)";
  return note + "; a second Ctrl-C or SIGTERM stops at once (exit 130), and " +
         (commits ? "a restart reads again what was not committed"
                  : "the records read but not yet written are not in the output");
}

}  // namespace

Result<ErrorPolicy> ParseErrorPolicy(const std::string& text) {
  if (text == "fail") return ErrorPolicy::kFail;
  if (text == "skip") return ErrorPolicy::kSkip;
  if (text == "dlq") return ErrorPolicy::kDlq;
  return Status::InvalidArgument("--on-error must be fail, skip or dlq, not '" + text + "'");
}

Result<std::unique_ptr<Runner>> Runner::Create(RunnerOptions options, Source* source, RunnerSinks sinks,
                                               Transform* transform, Transactions* txn) {
  if (!sinks.output) return Status::InvalidArgument("the run has no output");
  if (transform->WritesInternal() && !sinks.internal)
    return Status::InvalidArgument(
        "the tool keeps state in a changelog topic but the run has no Kafka producer for it");
  if (options.on_error == ErrorPolicy::kDlq && !sinks.dead_letters)
    return Status::InvalidArgument("--on-error dlq but the run has no Kafka producer for dead letters");
  return std::unique_ptr<Runner>(new Runner(std::move(options), source, sinks, transform, txn));
}

Runner::Runner(RunnerOptions options, Source* source, RunnerSinks sinks, Transform* transform,
               Transactions* txn)
    : opt_(std::move(options)),
      source_(source),
      sinks_(sinks),
      transform_(transform),
      txn_(txn),
      fields_(transform->Names().fields) {
  for (Sink* s : {sinks_.output, sinks_.internal, sinks_.dead_letters})
    if (s && std::find(distinct_sinks_.begin(), distinct_sinks_.end(), s) == distinct_sinks_.end())
      distinct_sinks_.push_back(s);
  if (sinks_.dead_letters)
    dead_letters_ = std::make_unique<DeadLetterWriter>(opt_.tool, opt_.dlq_topic, sinks_.dead_letters);
  CommitBarrier::Parts parts{.tool = opt_.tool,
                             .quiet = opt_.quiet,
                             .flush_timeout_ms = opt_.flush_timeout_ms,
                             .source = source_,
                             .sinks = distinct_sinks_,
                             .transform = transform_,
                             .txn = txn_,
                             .tracker = &tracker_};
  barrier_ = std::make_unique<CommitBarrier>(std::move(parts), fault_);
  if (Monitor::Instance().enabled()) monitor_id_ = Monitor::Instance().Register(opt_.tool);
}

Runner::~Runner() = default;

void Runner::SetFatal(const Status& s) {
  if (s.ok()) return;
  if (s.IsRecoverable() && CanRecover()) {
    RequestRecovery(s);
    return;
  }
  if (fatal_.ok()) fatal_ = s;
  if (fault_.ok()) fault_ = s;
}

Status Runner::Fail(const Status& s) {
  SetFatal(s);
  return fatal_;
}

int Runner::Run() {
  stats_.start_ms = NowMs();
  SetInputCommitted(source_->Commits());
  last_commit_ms_ = last_progress_ms_ = stats_.start_ms;
  Status st;
  for (Sink* s : distinct_sinks_)
    if (st.ok()) st = s->Open(this);
  if (st.ok() && txn_) {
    // A restarted producer's first transaction waits while the broker still aborts its
    // predecessor's, and while it is away: retried until --task-timeout.
    int64_t since = NowMs();
    while (!(st = txn_->Begin()).ok() && st.IsUnavailable() && NowMs() - since < opt_.task_timeout_ms &&
           !StopRequested()) {
      if (!opt_.quiet) LogWarning(opt_.tool, "starting transactions, retried in 1s: " + st.message());
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
  // A value the transform reads, decoded from Avro or Protobuf: its document is built with its text, in one
  // pass, into the parser's document (not written as text and parsed again).
  value_documents_ = opt_.value_codec.DecodesBinary() && ReadsValues();
  if (value_documents_) {
    document_target_ = parser_.Target();
    // No text at all for a value passed on as its bytes (kfilter from Avro to Avro).
    document_target_.text_optional =
        transform_->PassesValuesThrough() && sinks_.output && sinks_.output->MayKeepInputValues();
    source_->BuildValueDocuments(&document_target_);
  }
  if (st.ok()) st = source_->Open(this);
  if (st.ok()) st = fatal_;  // OnAssigned during Open may have failed
  if (!st.ok()) {
    LogError(opt_.tool, st.message());
    if (monitor_id_ >= 0) Publish(true);
    if (opt_.stats_json)
      std::fputs((stats_.Json(opt_.tool, NowMs(), {}, std::nullopt, ExitCodeFor(st)) + "\n").c_str(), stderr);
    return ExitCodeFor(st);
  }

  bool natural_end = false;
  // Until the input is closed: a stop asked for that takes 5 s says what it waits for.
  std::optional<StopNotice> stopping;
  stopping.emplace(opt_.tool, StopNote(distinct_sinks_, source_->Commits()), std::chrono::seconds(5));
  while (true) {
    natural_end = Loop();
    if (natural_end && source_->HandingOver()) {
      // Not the input's end: another run goes on reading it (Source::HandingOver). The commit
      // below writes what was applied, as at a stop.
    } else if (natural_end && data_error_.ok() && fatal_.ok()) {
      current_ = nullptr;
      transform_->Finish(*this);
    } else if (StopRequested() && data_error_.ok() && fatal_.ok() && !sinks_.output->Closed()) {
      current_ = nullptr;
      transform_->OnStop(*this);
    }
    // The final commit: under exactly-once only when nothing went wrong (a bad record under
    // --on-error fail included: its transaction is rolled back, none of it becomes visible).
    if (txn_ && (!data_error_.ok() || !fatal_.ok() || sinks_.output->Closed())) {
      if (fatal_.ok())
        fatal_ = Status::Aborted("the run stopped on a bad record: its transaction is rolled back");
      aborting_ = true;
      if (Status a = txn_->Abort(); !a.ok()) LogWarning(opt_.tool, "abort: " + a.message());
      (void)barrier_->FlushSinks();
      aborting_ = false;
      break;
    }
    int64_t before = recoveries_;
    (void)Commit();  // its failures are in fatal_ and commit_error_
    // A final commit that did not go through (a transaction rolled back, Kafka unavailable):
    // the recovery reads what it held again.
    if ((recoveries_ == before && recovery_.ok()) || !fatal_.ok() || StopRequested()) break;
  }
  std::optional<int64_t> lag = source_->Lag(tracker_.NextOffsets());
  // A run that ends with nothing read says why (not an exit 0 in silence).
  std::string nothing = natural_end && stats_.in == 0 && !opt_.quiet && !source_->HandingOver()
                            ? source_->NothingReadNote()
                            : "";
  source_->Close();
  stopping.reset();
  if (opt_.progress) Progress(true);

  if (!data_error_.ok()) {
    // A value that is not JSON is most often a topic of text: name the codecs that read it.
    bool not_json =
        opt_.value_codec.IsJson() && data_error_.message().find("invalid JSON") != std::string::npos;
    LogError(opt_.tool,
             data_error_.message() +
                 (not_json ? " (--value-format raw or auto reads values that are not JSON; "
                             "--on-error skip or dlq continues past bad records)"
                           : " (use --on-error skip or --on-error dlq to continue past bad records)"),
             &data_error_where_);
  }
  if (!fatal_.ok() && !(fatal_.IsAborted() && !data_error_.ok())) LogError(opt_.tool, fatal_.message());
  const Status& commit_error = barrier_->commit_error();
  if (fatal_.ok() && !commit_error.ok())
    LogError(opt_.tool, "the last offsets were not committed (" + commit_error.message() +
                            "): a restart reads them again");
  int rc = !data_error_.ok() ? kExitData : (!fatal_.ok() || !commit_error.ok()) ? kExitRuntime : kExitOk;
  if (opt_.stats_json) {
    std::vector<std::pair<std::string, int64_t>> counters;
    transform_->Counters(&counters);
    std::string line = stats_.Json(opt_.tool, NowMs(), counters, lag, rc, fields_.Missing()) + "\n";
    std::fputs(line.c_str(), stderr);
  } else if (!opt_.quiet) {
    std::string extra = transform_->SummaryExtra();
    LogInfo(opt_.tool, stats_.Summary(opt_.tool, NowMs()).substr(opt_.tool.size() + 2) +
                           (extra.empty() ? "" : "; " + extra));
  }
  if (monitor_id_ >= 0) Publish(true);
  if (!nothing.empty() && rc == kExitOk) LogInfo(opt_.tool, nothing);
  if (!opt_.quiet)
    for (const std::string& m : fields_.Messages()) LogWarning(opt_.tool, m);
  return rc;
}

// Reads and processes records until the end of input (true), or a stop (false).
bool Runner::Loop() {
  int timeout = 0;
  int since_poll = 0;
  Record rec;
  while (true) {
    if (StopRequested() || sinks_.output->Closed() || !fatal_.ok()) return false;
    if (Status f = source_->Fatal(); !f.ok()) {
      SetFatal(f);
      if (!fatal_.ok()) return false;
    }
    if (!recovery_.ok()) {  // no record is read until the work since the last commit is redone
      if (NowMs() >= next_recovery_ms_) TryRecover();
      if (!recovery_.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(kIdleWaitMs));
      continue;
    }
    if (!restoring_.empty() && NowMs() - last_restore_ms_ >= kRestoreSliceMs)
      RestoreSome(kRestoreSliceMs / 2);
    Status record_status;
    if (value_documents_) parser_.Clear();  // the source builds the next record's document there
    Source::Poll p = source_->Next(restoring_.empty() ? timeout : 0, &rec, &record_status);
    if (p == Source::Poll::kIdle) {
      if (!restoring_.empty()) RestoreSome(kRestoreIdleMs);
      // An idle input leaves the time to the standbys, which may wait for their changelogs;
      // a Maintain that took its slice waited (or worked) already: no second wait on the input.
      bool maintaining = false;
      if (restoring_.empty()) {
        last_maintain_ms_ = NowMs();
        SetFatal(transform_->Maintain(kMaintainIdleMs, true));
        if (!fatal_.ok()) return false;
        maintaining = NowMs() - last_maintain_ms_ >= kMaintainIdleMs;
      }
      Tick(NowMs());
      timeout = restoring_.empty() && !maintaining ? kIdleWaitMs : 0;
      continue;
    }
    if (p == Source::Poll::kEnd) return true;
    timeout = 0;
    // A recovery asked for while the input was polled (a commit in a rebalance callback that
    // found the producer fenced): this record is read again from the last commit.
    if (!recovery_.ok()) continue;
    if (ProcessOne(rec, record_status) == Outcome::kStop) return false;
    if (++since_poll >= kPollEvery) {
      since_poll = 0;
      Tick(NowMs());
    }
    if (opt_.max_records >= 0 && stats_.in >= opt_.max_records) return true;
  }
}

Status Runner::Decode(const Record& rec, rapidjson::Document** value) {
  *value = nullptr;
  if (!rec.value) return Status::Ok();
  if (!ReadsValues()) {
    bool check = opt_.value_codec.IsJson() && !opt_.value_codec.DecodesBinary();  // else it wrote the JSON
    return check ? ValueParser::ValidateJson(*rec.value) : Status::Ok();          // JSON stays JSON
  }
  Status s;
  value_is_json_ = opt_.value_codec.IsJson();
  if (rec.value_document) {
    // built by the source with the text (BuildValueDocuments)
  } else if (opt_.value_codec.IsJson()) {
    s = parser_.ParseJson(*rec.value, opt_.value_codec.DecodesBinary());  // avro, protobuf: JsonText's
  } else if (opt_.value_codec.IsAuto() && AutoKindOf(*rec.value) == AutoKind::kJson) {
    s = parser_.ParseJson(*rec.value);  // auto: a JSON value is JSON, any other a string
    value_is_json_ = true;
  } else {
    parser_.SetString(*rec.value);
  }
  if (!s.ok()) return s;
  *value = parser_.doc();
  if (transform_->ReadsFields() && !(*value)->IsObject())
    return Status::DataError("value is not a JSON object (it is " + std::string(JsonKind(**value)) +
                             "), and the tool reads its fields");
  if (opt_.schema) return opt_.schema->Validate(**value);
  return Status::Ok();
}

Runner::Outcome Runner::ProcessOne(Record& rec, const Status& record_status) {
  ++stats_.in;
  work_since_commit_ = true;
  stats_.bytes_in += ValueBytes(rec);
  if (monitor_id_ >= 0) ++CountersOf(rec).in;
  OffsetTracker::Entry* entry = tracker_.Begin(rec.topic, rec.partition, rec.line > 0 ? rec.line : rec.offset,
                                               rec.more_at_offset ? rec.packed_index + 1 : 0);
  current_ = entry;
  emit_error_ = Status::Ok();

  rapidjson::Document* value = nullptr;
  Status s = record_status;
  if (s.ok()) s = Decode(rec, &value);
  if (s.ok()) {
    if (value && fields_.Watching()) fields_.Observe(*value);  // before Process may change it
    Input in{rec, value, value && value_is_json_ ? parser_.raw_numbers() : nullptr};
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
    SetFatal(located);
    return Outcome::kStop;
  }
  switch (opt_.on_error) {
    case ErrorPolicy::kFail:
      data_error_ = located;  // the entry stays unsealed: its offset is never committed
      data_error_where_ = WhereOf(rec);
      data_error_topic_ = std::string(rec.topic);
      data_error_where_.topic = data_error_topic_;
      return Outcome::kStop;
    case ErrorPolicy::kSkip:
      ++stats_.skipped;
      if (monitor_id_ >= 0) ++CountersOf(rec).skipped;
      if (!opt_.quiet && (opt_.verbose || bad_reported_++ < kMaxBadReported)) {
        LogWhere where = WhereOf(rec);
        LogWarning(opt_.tool, "skipped " + located.message(), &where);
      }
      break;
    case ErrorPolicy::kDlq:
      SendDeadLetter(rec, entry, error);
      if (opt_.verbose) {
        LogWhere where = WhereOf(rec);
        LogWarning(opt_.tool, "dead-lettered " + located.message(), &where);
      }
      break;
  }
  tracker_.Seal(entry);
  return Outcome::kContinue;
}

void Runner::SendDeadLetter(const Record& rec, OffsetTracker::Entry* entry, const Status& error) {
  tracker_.AddPending(entry);
  if (Status s = dead_letters_->Send(rec, error, entry); !s.ok()) {
    --entry->pending;
    SetFatal(s.WithContext("dead letter for " + rec.Where()));
    entry->failed = true;
    return;
  }
  ++stats_.dead_lettered;
  if (monitor_id_ >= 0) ++CountersOf(rec).dead_lettered;
}

void Runner::Emit(const OutRecord& out) {
  // JSON taken from the record keeps the exact text of the numbers the tool did not change.
  if (out.value_kind == OutRecord::ValueKind::kJson && !out.raw_numbers && current_ &&
      parser_.raw_numbers()) {
    OutRecord exact = out;
    exact.raw_numbers = parser_.raw_numbers();
    Emit(exact);
    return;
  }
  work_since_commit_ = true;
  if (out.internal && !sinks_.internal) {  // Create checks WritesInternal; this one did not say
    SetFatal(Status::InvalidArgument("an internal record, but the run has no Kafka producer for it"));
    return;
  }
  Sink* sink = out.internal ? sinks_.internal : sinks_.output;
  DeliveryToken* token = out.internal ? &internal_token_ : current_;
  if (current_ && !out.internal) tracker_.AddPending(current_);
  Status s = sink->Send(out, token);
  if (!s.ok()) {
    if (current_ && !out.internal) --current_->pending;
    // A state write, or an output owed outside a record (Finish), has no record to blame.
    if (out.internal || !current_)
      SetFatal(s.WithContext(out.internal ? "state write" : "output"));
    else if (emit_error_.ok())
      emit_error_ = s;
    return;
  }
  if (!out.internal) ++stats_.out;
}

Hold Runner::HoldRecord() {
  if (!current_) return Hold();
  tracker_.AddPending(current_);
  return Hold(current_);
}

void Runner::EmitHeld(const OutRecord& out, const std::vector<Hold>& holds) {
  work_since_commit_ = true;
  auto held = std::make_unique<HeldOutput>();
  for (const Hold& h : holds)
    if (h.record_) held->records.push_back(static_cast<OffsetTracker::Entry*>(h.record_));
  HeldOutput* token = held.get();
  held_outputs_.emplace(token, std::move(held));
  if (Status s = sinks_.output->Send(out, token); !s.ok()) {
    for (OffsetTracker::Entry* e : token->records) tracker_.Ack(e, false);
    held_outputs_.erase(token);
    SetFatal(s.WithContext("output"));
    return;
  }
  ++stats_.out;
}

void Runner::Drop(const std::vector<Hold>& holds) {
  for (const Hold& h : holds)
    if (h.record_) tracker_.Ack(static_cast<OffsetTracker::Entry*>(h.record_), false);
}

void Runner::OnDelivered(DeliveryToken* token, const Status& status, const Delivered& where) {
  if (renewing_) return;  // an old producer's report: see TryRecover
  // Reports of an aborted transaction's records (purged with it) settle nothing.
  bool ok = status.ok() && !aborting_;
  if (!status.ok() && !aborting_) {
    // A failure the run recovers from is not a record lost: the work since the last commit,
    // this record's with it, is done again (SetFatal).
    if (!(status.IsRecoverable() && CanRecover())) ++stats_.delivery_errors;
    SetFatal(status.WithContext("delivery failed"));
  }
  if (!token) return;
  switch (token->kind) {
    case DeliveryToken::Kind::kRecord:
      tracker_.Ack(static_cast<OffsetTracker::Entry*>(token), ok);
      break;
    case DeliveryToken::Kind::kInternal:
      if (ok) barrier_->InternalAcked(where);
      break;
    case DeliveryToken::Kind::kHeld: {
      auto it = held_outputs_.find(static_cast<HeldOutput*>(token));
      if (it == held_outputs_.end()) break;
      for (OffsetTracker::Entry* e : it->second->records) tracker_.Ack(e, ok);
      held_outputs_.erase(it);
      break;
    }
  }
}

Status Runner::Commit() {
  last_commit_ms_ = NowMs();
  current_ = nullptr;
  if (!fatal_.ok()) return fatal_;
  if (!recovery_.ok()) return Status::Ok();  // the work since the last commit is being redone
  for (const TopicPartitionOffset& end : source_->EndPositions())
    if (tracker_.SkipTo(end.topic, end.partition, end.offset)) work_since_commit_ = true;
  if (!work_since_commit_ && barrier_->commit_error().ok())
    return Status::Ok();  // nothing new since the last commit
  int64_t started = NowMs();
  Status s = barrier_->Run(*this);
  if (!s.ok()) {
    ++commit_failures_;
    SetFatal(s);  // a recoverable failure starts a recovery: nothing of this commit counts
    return recovery_.ok() ? fatal_ : recovery_;
  }
  ++commits_;
  commit_seconds_ += static_cast<double>(NowMs() - started) / 1000.0;
  work_since_commit_ = false;
  fault_ = Status::Ok();
  if (txn_) {
    Status b = txn_->Begin();
    if (!b.ok()) {
      SetFatal(b);
      return recovery_.ok() ? fatal_ : recovery_;
    }
  }
  return Status::Ok();
}

std::vector<int32_t> Runner::Tasks() const {
  std::set<int32_t> tasks;
  for (const TopicPartition& tp : assigned_) tasks.insert(tp.partition);
  return {tasks.begin(), tasks.end()};
}

std::vector<TopicPartition> Runner::PartitionsOf(const std::vector<int32_t>& tasks) const {
  std::vector<TopicPartition> out;
  for (const TopicPartition& tp : assigned_)
    if (std::find(tasks.begin(), tasks.end(), tp.partition) != tasks.end()) out.push_back(tp);
  return out;
}

// The tasks (partition numbers) in `partitions` of which no partition stays assigned.
std::vector<int32_t> Runner::TasksLeaving(const std::vector<TopicPartition>& partitions) const {
  std::set<int32_t> leaving;
  for (const TopicPartition& tp : partitions) leaving.insert(tp.partition);
  for (const TopicPartition& tp : assigned_)
    if (std::find(partitions.begin(), partitions.end(), tp) == partitions.end()) leaving.erase(tp.partition);
  return {leaving.begin(), leaving.end()};
}

void Runner::RestoreSome(int budget_ms) {
  last_restore_ms_ = NowMs();
  std::vector<int32_t> ready;
  if (Status s = transform_->Restore(budget_ms, &ready); !s.ok()) {
    SetFatal(s);
    return;
  }
  if (ready.empty()) return;
  for (int32_t p : ready) restoring_.erase(p);
  source_->Resume(PartitionsOf(ready));
}

void Runner::Tick(int64_t now) {
  current_ = nullptr;
  // Standbys between records: what their consumer has fetched, never a wait (Loop gives them
  // more while the input is idle).
  if (restoring_.empty() && now - last_maintain_ms_ >= kRestoreSliceMs) {
    last_maintain_ms_ = now;
    SetFatal(transform_->Maintain(kMaintainSliceMs, false));
  }
  transform_->Punctuate(now, *this);
  for (Sink* s : distinct_sinks_) s->Poll();
  // Exactly-once from a file or stdin: one transaction for the whole input (all or nothing).
  bool periodic = !txn_ || source_->Commits();
  if (periodic && (now - last_commit_ms_ >= opt_.commit_interval_ms || transform_->WantsCommit()))
    (void)Commit();
  if (opt_.progress && now - last_progress_ms_ >= 500) Progress(false);
  if (monitor_id_ >= 0) ServeMonitor(now);
}

// A task is a partition number across every input (kjoin's two sides): the Transform sees
// tasks, the source and the offset tracker see topic partitions.
std::vector<int32_t> Runner::TasksAdded(const std::vector<TopicPartition>& partitions) const {
  std::set<int32_t> before;
  for (const TopicPartition& tp : assigned_) before.insert(tp.partition);
  std::vector<int32_t> added;
  for (const TopicPartition& tp : partitions)
    if (!before.count(tp.partition) && std::find(added.begin(), added.end(), tp.partition) == added.end())
      added.push_back(tp.partition);
  return added;
}

void Runner::OnAssigning(const std::vector<TopicPartition>& partitions) {
  if (std::vector<int32_t> added = TasksAdded(partitions); !added.empty()) transform_->OnAssigning(added);
}

void Runner::OnAssigned(const std::vector<TopicPartition>& partitions) {
  ++rebalances_;
  assigned_once_ = true;
  std::vector<int32_t> added = TasksAdded(partitions);
  assigned_.insert(partitions.begin(), partitions.end());
  if (added.empty()) return;
  auto restoring = transform_->OnAssigned(added);
  if (!restoring.ok()) {
    SetFatal(restoring.status());
    return;
  }
  if (restoring->empty()) return;
  restoring_.insert(restoring->begin(), restoring->end());
  source_->Pause(PartitionsOf(*restoring));
}

void Runner::OnRevoking(const std::vector<TopicPartition>& partitions) {
  ++rebalances_;
  last_counters_ = nullptr;
  Status s = Commit();
  std::vector<int32_t> leaving = TasksLeaving(partitions);
  for (const TopicPartition& tp : partitions) assigned_.erase(tp);
  for (int32_t p : leaving) restoring_.erase(p);
  if (s.ok()) {
    SetFatal(transform_->OnRevoked(leaving));
  } else {
    (void)barrier_->FlushSinks();  // no token of these partitions may stay outstanding
    transform_->OnLost(leaving);
  }
  for (const TopicPartition& tp : partitions) tracker_.Remove(tp.topic, tp.partition);
}

void Runner::OnLost(const std::vector<TopicPartition>& partitions) {
  ++rebalances_;
  last_counters_ = nullptr;
  if (!opt_.quiet)
    LogWarning(opt_.tool,
               std::to_string(partitions.size()) +
                   " partition(s) lost to the group (this instance was too slow or cut off): their "
                   "work since the last commit is dropped");
  std::vector<int32_t> leaving = TasksLeaving(partitions);
  for (const TopicPartition& tp : partitions) assigned_.erase(tp);
  if (txn_ && fatal_.ok() && recovery_.ok()) {  // the open transaction holds their records: roll it all back
    transform_->OnLost(leaving);
    RequestRecovery(Status::Aborted("partitions lost to the group"));
    return;
  }
  (void)barrier_->FlushSinks();  // no token of these partitions may stay outstanding
  transform_->OnLost(leaving);
  for (int32_t p : leaving) restoring_.erase(p);
  for (const TopicPartition& tp : partitions) tracker_.Remove(tp.topic, tp.partition);
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

PartitionCounters& Runner::CountersOf(const Record& rec) {
  if (last_counters_ && last_partition_.partition == rec.partition && last_partition_.topic == rec.topic)
    return *last_counters_;
  last_partition_ = TopicPartition{std::string(rec.topic), rec.partition};
  last_counters_ = &partition_counters_[last_partition_];
  return *last_counters_;
}

void Runner::ServeMonitor(int64_t now) {
  Monitor& m = Monitor::Instance();
  if (transform_->Queryable() && m.HasQueries(monitor_id_)) {
    current_ = nullptr;
    m.Answer(monitor_id_, [&](const StateQuery& q) -> StateAnswer {
      if (!restoring_.empty()) return {Status::Unavailable("state is restoring"), ""};
      return transform_->Query(q);
    });
  }
  if (now - last_publish_ms_ >= Monitor::kPublishEveryMs) Publish(false);
}

void Runner::Publish(bool final) {
  last_publish_ms_ = NowMs();
  StageSnapshot s;
  s.stage = opt_.tool;
  s.output = opt_.output;
  s.group = opt_.group;
  s.input = opt_.input;
  s.published_ms = last_publish_ms_;
  s.stats = stats_;
  s.partitions = partition_counters_;
  for (auto& [tp, lag] : source_->PartitionLags(tracker_.NextOffsets())) s.partitions[tp].lag = lag;
  transform_->Counters(&s.counters);
  s.commits = commits_;
  s.commit_failures = commit_failures_;
  s.commit_seconds = commit_seconds_;
  s.rebalances = rebalances_;
  s.assigned.assign(assigned_.begin(), assigned_.end());
  s.restoring = static_cast<int>(restoring_.size());
  s.assigned_once = assigned_once_ || opt_.group.empty();
  s.recovering = !recovery_.ok();
  s.running = !final;
  s.has_state = transform_->Queryable();
  transform_->StoreSizes(&s.stores);
  Monitor::Instance().Publish(monitor_id_, std::move(s));
}

}  // namespace kt
