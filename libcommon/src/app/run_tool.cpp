#include "kt/app/run_tool.hpp"

#include "kt/app/fail.hpp"
#include "kt/app/http_service.hpp"
#include "kt/app/key_turns.hpp"
#include "kt/codec/schema.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/core/paths.hpp"
#include "kt/core/signals.hpp"
#include "kt/io/stdout_sink.hpp"
#include "kt/kafka/admin.hpp"
#include "kt/kafka/sink.hpp"
#include "kt/kafka/source.hpp"
#include "kt/kafka/topics.hpp"
#include "kt/kafka/transactions.hpp"
#include "kt/run/runner.hpp"

namespace kt {

namespace {

// Records a task hands out in its turn when the stage's tasks are its partitions
// (RunPlan::partition_tasks). On 16 partitions of 1M click events 64 to 512 measured alike
// (ktable --no-repartition 1.78 -> 1.51 s against the merge of every partition): a few
// hundred records of one partition share its buffers and its store.
constexpr size_t kTaskTurn = 128;

// Everything RunTool opens, owned until the Runner is done.
struct Wiring {
  RunnerOptions runner;
  std::unique_ptr<SchemaValidator> schema;
  std::unique_ptr<Source> source;
  KafkaSource* kafka_source = nullptr;  // source, when it is a Kafka topic
  std::unique_ptr<Sink> output, side;   // side: internal records and dead letters, when -o is stdout
  std::unique_ptr<Sink> state;          // a stateful run's transactional changelog producer (at-least-once)
  KafkaSink* kafka_output = nullptr;    // output, when it is a Kafka topic
  // Its partitions, when the run made or found every output topic with that many (0: unknown).
  int output_partitions = 0;
  Sink* kafka = nullptr;  // the producer internal records and dead letters go through
  std::unique_ptr<KafkaTransactions> txn;
};

// Exactly-once: the transaction of a Kafka input commits every --commit-interval (default
// 100 ms, as in Kafka Streams); a file or stdin is loaded in one transaction, all or nothing,
// for which transaction.timeout.ms is the broker's usual maximum (15 min).
constexpr int kTxnTimeoutMs = 10000;
constexpr int kFileTxnTimeoutMs = 900000;

// A transaction of a Kafka input stays open for one commit interval and its barrier: its
// timeout leaves room for both (at least kTxnTimeoutMs, at most the broker's usual maximum).
int TxnTimeoutMs(const RunPlan& plan) {
  int64_t t = std::max<int64_t>(kTxnTimeoutMs, 2 * plan.commit_interval_ms + kTxnTimeoutMs);
  return static_cast<int>(std::min<int64_t>(t, kFileTxnTimeoutMs));
}

// A stateful run at-least-once from a consumer group writes its changelog in transactions of
// its own, with the input offsets (app/run_tool.hpp): its outputs stay at-least-once, but a
// copy that lost its partitions (stalled past its session timeout, cut off) is fenced by the
// group's generation, and nothing it wrote to the changelog after that is ever read.
bool StateInTransactions(const RunPlan& plan, const Transform& t) {
  return t.WritesInternal() && plan.kafka_input() && !plan.group.empty() && !plan.exactly_once;
}

Result<std::string> TransactionalId(const RunPlan& plan, bool kafka_source) {
  std::string base = kafka_source ? plan.group : "ktools-" + plan.tool + "-" + plan.output;
  return ClaimTransactionalId(base, TransactionLockDir(base));
}

// The default of max.message.bytes on brokers and topics (1 MiB + 12 bytes of batch overhead).
constexpr int64_t kBrokerMaxMessageBytes = 1048588;

Status RunnerOptionsFrom(const RunPlan& plan, Wiring* w) {
  RunnerOptions& ro = w->runner;
  ro.tool = plan.tool;
  ro.commit_interval_ms = plan.commit_interval_ms;
  ro.task_timeout_ms = plan.task_timeout_ms;
  ro.max_records = plan.count;
  ro.value_codec = plan.value_codec;
  ro.quiet = plan.quiet;
  ro.verbose = plan.verbose;
  ro.progress = plan.progress;
  ro.stats_json = plan.stats_json;
  ro.on_error = plan.on_error;
  ro.dlq_topic = plan.dlq;
  ro.output = plan.output;
  if (plan.kafka_input()) ro.group = plan.group, ro.input = plan.input;
  if (!plan.schema_file.empty()) {
    auto v = SchemaValidator::Load(plan.schema_file);
    if (!v.ok()) return v.status();
    w->schema = std::move(*v);
    ro.schema = w->schema.get();
  }
  return Status::Ok();
}

// `headers`: records need them (Kafka input); `reads_header_values`: an expression reads them.
Status OpenSource(const RunPlan& plan, SourceSpec& spec, bool headers, bool reads_header_values,
                  bool group_metadata, Wiring* w) {
  if (spec.source) {
    w->source = std::move(spec.source);
    return Status::Ok();
  }
  std::string file = !spec.file.empty() ? spec.file : (plan.kafka_input() ? "" : "-");
  if (!file.empty()) {
    // Bare lines are values: their headers did not come along (kconsume writes them with -J).
    if (reads_header_values && !plan.envelope && spec.line_format == LineFormat::kNdjson)
      return Status::InvalidArgument(
          "the expression reads @headers, but lines on stdin without -J are bare values, with no "
          "headers: read envelopes with -J, and write them with -J upstream (kconsume TOPIC -J | " +
          plan.tool + " -J ...)");
    StdinSourceOptions so;
    so.path = file;
    so.format = plan.envelope ? LineFormat::kEnvelope : spec.line_format;
    if (!plan.key_delimiter.empty() && so.format == LineFormat::kCsv)
      return Status::InvalidArgument(
          "-K splits lines into key and value; CSV rows take their key with --key-field");
    so.key_delimiter = plan.key_delimiter;
    so.null_text = plan.null_text;
    so.key_codec = plan.key_codec;
    so.value_codec = plan.value_codec;
    so.rate = spec.rate;
    w->source = std::make_unique<StdinSource>(so);
    return Status::Ok();
  }
  KafkaSourceOptions ko;
  ko.tool = plan.tool;
  ko.topics = {plan.input};
  ko.topics.insert(ko.topics.end(), plan.more_inputs.begin(), plan.more_inputs.end());
  ko.topic_patterns = spec.topic_patterns;
  ko.group = plan.group;
  ko.instance_id = plan.instance_id;
  // Exactly-once copies keep the eager protocol: with cooperative-sticky, a copy stopped past its
  // timeouts (SIGSTOP) came back to a producer in an abortable state and exited 1 (crash.py
  // scale-out-eos); its recovery is built and tested for eager rebalances.
  ko.cooperative = !plan.exactly_once;
  ko.partitions = spec.partitions;
  ko.from = plan.from;
  ko.until_ms = spec.until_ms;
  ko.max_idle_ms = plan.max_idle_ms;
  ko.exit_at_end = plan.exit_at_end;
  // A batch run (-e, -n) needs no live rebalancing: it may read by direct assignment (no group
  // join, so no group.initial.rebalance.delay.ms) and commit as a simple consumer. Not under
  // exactly-once, whose offsets go with the member's group metadata.
  ko.batch = plan.bounded() && !group_metadata;
  ko.key_codec = plan.key_codec;
  ko.value_codec = plan.value_codec;
  ko.verbose = plan.verbose;
  ko.end_gate = spec.end_gate;
  ko.expected_partitions = spec.expected_partitions;
  ko.prefetch_partitions = plan.prefetch_partitions;
  ko.task_turn = plan.partition_tasks || spec.home ? kTaskTurn : 0;
  ko.home = spec.home;
  ko.home_rule = spec.home_rule;
  ko.origin_headers = spec.origin_headers;
  ko.hold = spec.hold;
  ko.headers = headers;
  auto source = std::make_unique<KafkaSource>(plan.kafka, ko);
  w->kafka_source = source.get();
  w->source = std::move(source);
  return Status::Ok();
}

// The partitions of the output topics the run creates: --partitions, else as many as the input;
// 0 when neither says (stdin input): the producer then creates them as the broker auto-creates.
Result<int> OutputPartitions(const RunPlan& plan) {
  if (plan.partitions > 0) return plan.partitions;
  if (!plan.kafka_input()) return 0;
  auto n = PartitionCount(plan.kafka, plan.input, plan.tool);
  if (!n.ok()) return n.status();
  if (*n == 0)
    return Status::KafkaError("topic '" + plan.input + "' does not exist on " + plan.kafka.brokers);
  return *n;
}

// Creates the run's missing output topics with `partitions` and its input's record size.
// *as_asked: every one has `partitions` now.
Status EnsureOutputTopics(const RunPlan& plan, int partitions, int64_t input_max, bool* as_asked) {
  *as_asked = true;
  for (const std::string& name : plan.outputs) {
    bool created = false;
    TopicSpec topic{.name = name,
                    .partitions = partitions,
                    .replication_factor = plan.replication_factor,
                    .configs = SizedTopicConfigs(input_max)};
    Status s = EnsureTopic(plan.kafka, topic, plan.tool, &created);
    if (s.IsInvalidArgument() && plan.partitions == 0) {  // not asked for: the topic as it is
      LogWarning(plan.tool, s.message() + "; writing to it anyway");
      *as_asked = false;
      continue;
    }
    if (!s.ok()) return s;
    if (created && plan.verbose) LogInfo(plan.tool, "created topic " + name);
  }
  return Status::Ok();
}

// The largest record the output producer sends: what the input takes, or less when an existing
// output topic takes less (said once, at the start); a larger record is then refused at once, a
// bad record under --on-error, instead of by the broker after it was sent.
int64_t OutputRecordLimit(const RunPlan& plan, int64_t input_max) {
  if (input_max <= kBrokerMaxMessageBytes || plan.output.empty()) return input_max;
  auto largest = LargestRecordOf(plan, {plan.output});
  int64_t out = largest.ok() ? *largest : 0;
  if (out <= 0 || out >= input_max) return input_max;
  LogWarning(plan.tool, "topic '" + plan.output + "' takes records of at most " + std::to_string(out) +
                            " bytes, its input '" + plan.input + "' of " + std::to_string(input_max) +
                            ": a larger record is a bad record (--on-error)");
  return out;
}

Status OpenSinks(const RunPlan& plan, const SinkSpec& spec, bool side, bool state_txn, int64_t input_max,
                 Wiring* w) {
  int partitions = 0;
  if (plan.kafka_output()) {
    auto n = OutputPartitions(plan);
    if (!n.ok()) return n.status();
    partitions = *n;
    bool as_asked = false;
    if (partitions > 0)
      if (Status s = EnsureOutputTopics(plan, partitions, input_max, &as_asked); !s.ok()) return s;
    if (as_asked) w->output_partitions = partitions;
  }
  if (!plan.kafka_output()) {
    StdoutSinkOptions so;
    so.envelope = plan.envelope;
    so.key_delimiter = plan.key_delimiter;
    so.null_text = plan.null_text;
    so.pretty = spec.pretty;
    if (spec.format) so.format = *spec.format, so.formatted = true;
    so.key_codec = plan.out_key_codec;
    so.value_codec = plan.out_value_codec;
    w->output = std::make_unique<StdoutSink>(so);
  } else {  // a topic; "" when every record names its own (kbranch)
    KafkaSinkOptions ko{plan.tool, plan.output, plan.out_key_codec, plan.out_value_codec, plan.verbose};
    ko.create_missing = partitions == 0;
    ko.topic_exists = partitions > 0;  // EnsureOutputTopics created or found it
    ko.internal_topic = plan.internal_output;
    ko.topic_configs = SizedTopicConfigs(input_max);
    ko.max_record_bytes = OutputRecordLimit(plan, input_max);
    if (plan.exactly_once) {
      auto id = TransactionalId(plan, w->kafka_source != nullptr);
      if (!id.ok()) return id.status();
      ko.transactional_id = *id;
      ko.transaction_timeout_ms = w->kafka_source ? TxnTimeoutMs(plan) : kFileTxnTimeoutMs;
    }
    auto sink = std::make_unique<KafkaSink>(plan.kafka, ko);
    w->kafka_output = sink.get();
    w->output = std::move(sink);
  }
  if (plan.exactly_once) {
    if (!w->kafka_output)
      return Status::InvalidArgument(
          "--exactly-once needs a Kafka output (-o TOPIC): stdout is not transactional");
    w->txn = std::make_unique<KafkaTransactions>(w->kafka_output, w->kafka_source,
                                                 w->kafka_source ? TxnTimeoutMs(plan) : kFileTxnTimeoutMs);
  }
  if (state_txn) {  // the changelog through a transactional producer of its own (dead letters stay with -o)
    KafkaSinkOptions ko{plan.tool, "", Codec(), Codec(), plan.verbose};
    ko.max_record_bytes = input_max;
    auto id = TransactionalId(plan, true);
    if (!id.ok()) return id.status();
    ko.transactional_id = *id;
    ko.transaction_timeout_ms = TxnTimeoutMs(plan);
    auto state = std::make_unique<KafkaSink>(plan.kafka, ko);
    w->txn = std::make_unique<KafkaTransactions>(state.get(), w->kafka_source, ko.transaction_timeout_ms);
    w->state = std::move(state);
  }
  // Dead letters and internal records go to Kafka: through the output producer when the output
  // is Kafka, else through a producer of their own.
  if (side) {
    if (w->kafka_output) {
      w->kafka = w->kafka_output;
    } else {
      KafkaSinkOptions ko{plan.tool, plan.dlq, Codec(), Codec(), plan.verbose};
      ko.max_record_bytes = input_max;
      w->side = std::make_unique<KafkaSink>(plan.kafka, ko);
      w->kafka = w->side.get();
    }
  }
  return Status::Ok();
}

}  // namespace

int RunTool(const RunPlan& given, Transform& transform, SourceSpec source, SinkSpec sink) {
  if (given.dump_config) {
    DumpConfig(given.kafka);
    return kExitOk;
  }
  RunPlan plan = given;
  SetThreadLogGroup(plan.kafka_input() ? plan.group : "");
  std::string address;
  if (!plan.http.empty()) {  // served before the clients are made, so that they advertise it
    auto served = StartHttpService(plan);
    if (!served.ok()) return FailWith(plan.tool, served.status());
    address = *served;
  }
  // Each copy's clients name it (and its --http address) in their client.id: DescribeGroups
  // then tells the copies apart (state routing, standbys, kgroup describe).
  bool named = false;
  for (auto& [k, v] : plan.kafka.properties) named = named || k == "client.id";
  if (!named) plan.kafka.properties.emplace_back("client.id", AdvertisingClientId(plan.tool, address));
  Wiring w;
  Status s = RunnerOptionsFrom(plan, &w);
  bool dead_letters = plan.on_error == ErrorPolicy::kDlq;
  // A dead letter keeps its record's headers, so they are read whenever one may be written.
  bool headers = transform.WantsHeaders() || dead_letters;
  bool state_txn = StateInTransactions(plan, transform);
  // A forwarding stage keeping its keys may take turns (app/key_turns.hpp); the output's
  // partition count is known once it is open, before the first record is read.
  auto output_partitions = std::make_shared<int>(0);
  bool key_turns = !source.home && (source.home = KeyTurns(plan, transform.KeepsKeys(), output_partitions));
  if (key_turns) source.home_rule = "the output partition of its key";
  // A batch run of a group without members reads by direct assignment even when its state goes
  // in transactions: it commits as the group's only user, and nothing else can fence it.
  if (s.ok()) s = OpenSource(plan, source, headers, transform.Names().headers, plan.exactly_once, &w);
  int64_t input_max = 0;  // only looked up when the run writes to Kafka
  if (s.ok() && plan.kafka_input() && (plan.kafka_output() || transform.WritesInternal() || dead_letters)) {
    std::vector<std::string> inputs = {plan.input};
    inputs.insert(inputs.end(), plan.more_inputs.begin(), plan.more_inputs.end());
    auto largest = LargestRecordOf(plan, inputs);
    if (largest.ok())
      input_max = *largest;
    else
      s = largest.status();
  }
  if (s.ok()) s = OpenSinks(plan, sink, dead_letters || transform.WritesInternal(), state_txn, input_max, &w);
  if (!s.ok()) return FailWith(plan.tool, s);
  *output_partitions = w.output_partitions;
  if (key_turns && w.output_partitions > 0 && plan.verbose)
    LogInfo(plan.tool,
            "the partitions take turns while each record is in its key's partition of " + plan.output);
  RunnerSinks sinks{.output = w.output.get(),
                    .internal = w.state ? w.state.get() : w.kafka,
                    .dead_letters = dead_letters ? w.kafka : nullptr};
  auto runner = Runner::Create(w.runner, w.source.get(), sinks, &transform, w.txn.get());
  if (!runner.ok()) return FailWith(plan.tool, runner.status());
  InstallSignalHandlers();
  int rc = (*runner)->Run();
  if (source.handed_over) *source.handed_over = w.source->HandingOver();
  return rc;
}

Result<int64_t> LargestRecordOf(const RunPlan& plan, const std::vector<std::string>& topics) {
  int64_t largest = 0;
  for (const std::string& t : topics) {
    auto configs = TopicConfigs(plan.kafka, plan.tool, t);
    if (!configs.ok() && configs.status().IsUnavailable())
      return configs.status();    // unreachable: say so now
    if (!configs.ok()) continue;  // kbroker answers no DescribeConfigs: the defaults then
    for (const ConfigValue& c : *configs)
      if (c.name == "max.message.bytes") largest = std::max<int64_t>(largest, std::atoll(c.value.c_str()));
  }
  return largest;
}

Properties SizedTopicConfigs(int64_t largest) {
  if (largest <= kBrokerMaxMessageBytes) return {};
  return {{"max.message.bytes", std::to_string(largest)}};
}

}  // namespace kt
