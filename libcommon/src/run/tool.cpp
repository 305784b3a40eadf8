#include "kt/run/tool.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "kt/codec/schema.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/core/paths.hpp"
#include "kt/core/signals.hpp"
#include "kt/core/time.hpp"
#include "kt/io/stdout_sink.hpp"
#include "kt/kafka/admin.hpp"
#include "kt/kafka/sink.hpp"
#include "kt/kafka/source.hpp"
#include "kt/kafka/start_spec.hpp"
#include "kt/kafka/transactions.hpp"
#include "kt/run/runner.hpp"

namespace kt {

std::string DefaultGroup(const std::string& tool, const std::string& input) { return "ktools-" + tool + "-" + input; }

Result<KafkaConfig> ResolveKafkaConfig(const CommonOptions& opts) {
  KafkaConfigInputs in;
  in.brokers_flag = opts.brokers;
  in.config_flag = opts.config_file;
  for (auto& p : opts.properties)
    if (p != "dump") in.properties.push_back(p);
  return ResolveKafkaConfig(in, [](const char* n) { return std::getenv(n); });
}

bool DumpKafkaConfigIfAsked(const CommonOptions& opts, const KafkaConfig& cfg) {
  for (auto& p : opts.properties) {
    if (p == "dump") {
      std::cout << DumpKafkaConfig(cfg);
      return true;
    }
  }
  return false;
}

namespace {

// Everything RunTool opens, owned until the Runner is done.
struct Wiring {
  RunnerOptions runner;
  std::unique_ptr<SchemaValidator> schema;
  std::unique_ptr<Source> source;
  KafkaSource* kafka_source = nullptr;  // source, when it is a Kafka topic
  std::unique_ptr<Sink> sink, dlq_own;
  KafkaSink* kafka_sink = nullptr;      // sink, when it is a Kafka topic
  Sink* dlq = nullptr;
  std::unique_ptr<KafkaTransactions> txn;
};

// Exactly-once: the transaction of a Kafka input commits every --commit-interval (default
// 100 ms, as in Kafka Streams); a file or stdin is loaded in one transaction, all or nothing,
// for which transaction.timeout.ms is the broker's usual maximum (15 min).
constexpr int kTxnTimeoutMs = 10000;
constexpr int kFileTxnTimeoutMs = 900000;

Status RunnerOptionsFrom(const std::string& tool, const CommonOptions& opts, const Codec& value_codec,
                         Wiring* w) {
  RunnerOptions& ro = w->runner;
  ro.tool = tool;
  std::string commit_interval = opts.commit_interval;
  if (!opts.commit_interval_given) commit_interval = opts.exactly_once ? "100ms" : "5s";
  auto interval = ParseDuration(commit_interval);
  if (!interval.ok()) return Status::InvalidArgument("--commit-interval: " + interval.status().message());
  ro.commit_interval_ms = *interval;
  ro.max_records = opts.count;
  ro.value_codec = value_codec;
  ro.quiet = opts.quiet;
  ro.verbose = opts.verbose;
  ro.progress = !opts.quiet && isatty(2);
  ro.stats_json = opts.stats == "json";
  std::string policy = opts.on_error.empty() ? (opts.dlq.empty() ? "fail" : "dlq") : opts.on_error;
  auto pol = ParseErrorPolicy(policy);
  if (!pol.ok()) return pol.status();
  ro.on_error = *pol;
  if (ro.on_error == ErrorPolicy::kDlq && opts.dlq.empty())
    return Status::InvalidArgument("--on-error dlq needs --dlq TOPIC");
  ro.dlq_topic = opts.dlq;
  if (!opts.schema_file.empty()) {
    auto v = SchemaValidator::Load(opts.schema_file);
    if (!v.ok()) return v.status();
    w->schema = std::move(*v);
    ro.schema = w->schema.get();
  }
  return Status::Ok();
}

Status OpenSource(const std::string& tool, const CommonOptions& opts, const KafkaConfig& cfg, const Codec& key_codec,
                  const Codec& value_codec, SourceSpec& spec, Wiring* w) {
  if (spec.source) {
    w->source = std::move(spec.source);
    return Status::Ok();
  }
  std::string file = !spec.file.empty() ? spec.file : (opts.input == "-" ? "-" : "");
  if (!file.empty()) {
    StdinSourceOptions so;
    so.path = file;
    so.format = opts.envelope ? LineFormat::kEnvelope : spec.line_format;
    if (!opts.key_delimiter.empty() && so.format == LineFormat::kCsv)
      return Status::InvalidArgument("-K splits lines into key and value; CSV rows take their key with --key-field");
    so.key_delimiter = opts.key_delimiter;
    so.key_codec = key_codec;
    so.value_codec = value_codec;
    w->source = std::make_unique<StdinSource>(so);
    return Status::Ok();
  }
  KafkaSourceOptions ko;
  ko.tool = tool;
  ko.topics = {opts.input};
  ko.topics.insert(ko.topics.end(), spec.more_inputs.begin(), spec.more_inputs.end());
  ko.group = opts.group;
  if (ko.group.empty() && !spec.group_optional) ko.group = DefaultGroup(tool, opts.input);
  ko.partitions = spec.partitions;
  auto from = ParseStartSpec(opts.from, NowMs());
  if (!from.ok()) return from.status();
  ko.from = *from;
  ko.until_ms = spec.until_ms;
  auto idle = ParseDuration(opts.max_idle);
  if (!idle.ok()) return Status::InvalidArgument("--max-idle: " + idle.status().message());
  ko.max_idle_ms = *idle;
  ko.exit_at_end = opts.exit_at_end;
  // A batch run (-e, -n) needs no live rebalancing: it may read by direct assignment (no group
  // join, so no group.initial.rebalance.delay.ms) and commit as a simple consumer. Not under
  // exactly-once, whose offsets go with the member's group metadata.
  ko.batch = (opts.exit_at_end || opts.count >= 0) && !opts.exactly_once;
  ko.key_codec = key_codec;
  ko.value_codec = value_codec;
  ko.verbose = opts.verbose;
  ko.end_gate = spec.end_gate;
  ko.origin_headers = spec.origin_headers;
  ko.headers = spec.headers;
  auto source = std::make_unique<KafkaSource>(cfg, ko);
  w->kafka_source = source.get();
  w->source = std::move(source);
  return Status::Ok();
}

// Creates -o when the tool asks for it (kgroupby: co-partitioned with the input).
Status EnsureOutputTopic(const std::string& tool, const CommonOptions& opts, const KafkaConfig& cfg,
                         const SinkSpec& spec) {
  int partitions = spec.create_partitions;
  if (partitions < 0) {
    if (opts.input == "-") return Status::Ok();  // nothing to follow: the topic is made on first use
    auto n = PartitionCount(cfg, opts.input, tool);
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::KafkaError("topic '" + opts.input + "' does not exist on " + cfg.brokers);
    partitions = *n;
  }
  bool created = false;
  TopicSpec topic{.name = opts.output, .partitions = partitions, .replication_factor = opts.replication_factor};
  Status s = EnsureTopic(cfg, topic, tool, &created);
  if (s.IsInvalidArgument() && !spec.partitions_given) {
    LogWarning(tool, s.message() + "; writing to it anyway");
    return Status::Ok();
  }
  if (created && opts.verbose) LogInfo(tool, "created topic " + opts.output);
  return s;
}

Status OpenSinks(const std::string& tool, const CommonOptions& opts, const KafkaConfig& cfg, const Codec& key_codec,
                 const Codec& value_codec, const SinkSpec& spec, Wiring* w) {
  if (opts.output == "-") {
    StdoutSinkOptions so;
    so.envelope = opts.envelope;
    so.key_delimiter = opts.key_delimiter;
    so.pretty = spec.pretty;
    so.key_codec = key_codec;
    so.value_codec = value_codec;
    w->sink = std::make_unique<StdoutSink>(so);
  } else {  // a topic; "" when every record names its own (kbranch)
    if (spec.create_partitions != 0 && !opts.output.empty()) {
      if (Status s = EnsureOutputTopic(tool, opts, cfg, spec); !s.ok()) return s;
    }
    KafkaSinkOptions ko{tool, opts.output, key_codec, value_codec, opts.verbose};
    ko.create_missing = spec.create_partitions == 0;
    if (opts.exactly_once) {
      std::string base = w->kafka_source ? (opts.group.empty() ? DefaultGroup(tool, opts.input) : opts.group)
                                         : "ktools-" + tool + "-" + opts.output;
      auto id = ClaimTransactionalId(base, DefaultStateRoot() + "/" + base);
      if (!id.ok()) return id.status();
      ko.transactional_id = *id;
      ko.transaction_timeout_ms = w->kafka_source ? kTxnTimeoutMs : kFileTxnTimeoutMs;
    }
    auto sink = std::make_unique<KafkaSink>(cfg, ko);
    w->kafka_sink = sink.get();
    w->sink = std::move(sink);
  }
  if (opts.exactly_once) {
    if (!w->kafka_sink)
      return Status::InvalidArgument("--exactly-once needs a Kafka output (-o TOPIC): stdout is not transactional");
    w->txn = std::make_unique<KafkaTransactions>(w->kafka_sink, w->kafka_source,
                                                 w->kafka_source ? kTxnTimeoutMs : kFileTxnTimeoutMs);
  }
  // Dead letters and internal records go to Kafka: through the output producer when the output
  // is Kafka, else through a producer of their own.
  if (!opts.dlq.empty() || spec.internal) {
    if (opts.output != "-") {
      w->dlq = w->sink.get();
    } else {
      KafkaSinkOptions ko{tool, opts.dlq, Codec(), Codec(), opts.verbose};
      w->dlq_own = std::make_unique<KafkaSink>(cfg, ko);
      w->dlq = w->dlq_own.get();
    }
  }
  return Status::Ok();
}

int Fail(const std::string& tool, const Status& s) {
  LogError(tool, s.message());
  return ExitCodeFor(s);
}

}  // namespace

int RunTool(const std::string& tool, const CommonOptions& opts, Transform& transform, SourceSpec source,
            SinkSpec sink) {
  auto cfg = ResolveKafkaConfig(opts);
  if (!cfg.ok()) return Fail(tool, cfg.status());
  if (DumpKafkaConfigIfAsked(opts, *cfg)) return kExitOk;
  auto key_codec = Codec::Parse(opts.key_format);
  if (!key_codec.ok()) return Fail(tool, key_codec.status());
  auto value_codec = Codec::Parse(opts.value_format);
  if (!value_codec.ok()) return Fail(tool, value_codec.status());

  Wiring w;
  Status s = RunnerOptionsFrom(tool, opts, *value_codec, &w);
  // A dead letter keeps its record's headers, so they are read whenever one may be written.
  source.headers = source.headers && (transform.WantsHeaders() || w.runner.on_error == ErrorPolicy::kDlq);
  if (s.ok()) s = OpenSource(tool, opts, *cfg, *key_codec, *value_codec, source, &w);
  if (s.ok()) s = OpenSinks(tool, opts, *cfg, *key_codec, *value_codec, sink, &w);
  if (!s.ok()) return Fail(tool, s);

  RunnerSinks sinks{.output = w.sink.get(), .internal = w.dlq, .dead_letters = w.dlq};
  auto runner = Runner::Create(w.runner, w.source.get(), sinks, &transform, w.txn.get());
  if (!runner.ok()) return Fail(tool, runner.status());
  InstallSignalHandlers();
  return (*runner)->Run();
}

}  // namespace kt
