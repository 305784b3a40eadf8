#include "kt/app/run_plan.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "kt/app/http_service.hpp"
#include "kt/codec/registry_wire.hpp"
#include "kt/core/time.hpp"
#include "kt/kafka/kbroker_control.hpp"

namespace kt {

namespace {

Result<int64_t> DurationOption(const std::string& flag, const std::string& text) {
  auto d = ParseDuration(text);
  if (!d.ok()) return Status::InvalidArgument(flag + ": " + d.status().message());
  return *d;
}

// The registry codecs' registry and writer schemas (codec/registry_wire.hpp). Needs the output topic.
Status BindSchemaRegistry(const CommonOptions& cli, const KafkaConfig& kafka, RunPlan* p) {
  if (!p->value_codec.UsesRegistry() && !cli.value_schema.empty())
    return Status::InvalidArgument("--value-schema is for --value-format avro, protobuf or jsonschema");
  if (!p->value_codec.DecodesBinary() && !cli.value_reader_schema.empty())
    return Status::InvalidArgument("--value-reader-schema is for --value-format avro or protobuf");
  if (!p->key_codec.UsesRegistry() && !cli.key_schema.empty())
    return Status::InvalidArgument("--key-schema is for --key-format avro, protobuf or jsonschema");
  if (!p->value_codec.UsesRegistry() && !p->key_codec.UsesRegistry()) return Status::Ok();
  RegistrySettings rs;
  rs.url = cli.registry;
  if (const char* e = std::getenv("KT_REGISTRY"); rs.url.empty() && e) rs.url = e;
  for (auto& [k, v] : kafka.registry) {
    if (k == "schema.registry.url" && rs.url.empty()) rs.url = v;
    if (k == "schema.registry.basic.auth.user.info") rs.user_info = v;
    if (k == "schema.registry.ssl.ca.location") rs.ca_location = v;
  }
  if (rs.url.empty()) rs.url = KbrokerRegistryUrl(kafka.brokers);  // kbroker serves one
  if (rs.url.empty())
    return Status::InvalidArgument(
        "the avro, protobuf and jsonschema formats need a Schema Registry: --registry URL, $KT_REGISTRY, "
        "or "
        "schema.registry.url in "
        "the "
        "config file");
  auto registry = OpenSchemaRegistry(rs);
  if (!registry.ok()) return registry.status();
  auto strategy = ParseSubjectStrategy(cli.subject_strategy);
  if (!strategy.ok()) return strategy.status();
  for (bool key : {false, true}) {
    Codec& codec = key ? p->key_codec : p->value_codec;
    if (!codec.UsesRegistry()) continue;
    WireFormat format = codec.IsAvro()       ? WireFormat::kAvro
                        : codec.IsProtobuf() ? WireFormat::kProtobuf
                                             : WireFormat::kJsonSchema;
    const std::string& spec = key ? cli.key_schema : cli.value_schema;
    WriterSchemaChoice choice;
    if (!spec.empty()) {
      auto c = ParseWriterSchema(spec);
      if (!c.ok())
        return Status::InvalidArgument((key ? "--key-schema: " : "--value-schema: ") + c.status().message());
      choice = *c;
    }
    if (!choice.file.empty())
      if (Status s = CheckSchemaFile(format, choice.file); !s.ok())
        return Status::InvalidArgument((key ? "--key-schema: " : "--value-schema: ") + s.message());
    choice.topic = p->kafka_output() ? p->output : "";
    choice.key = key;
    choice.strategy = *strategy;
    ReaderSchemaChoice reader;
    if (!key && !cli.value_reader_schema.empty()) {
      if (cli.value_reader_schema == "latest") {
        if (!p->kafka_input())
          return Status::InvalidArgument(
              "--value-reader-schema latest: the latest of which subject? The input "
              "is stdin: give a FILE or id:N");
        reader.latest_subject = p->input + "-value";
      } else {
        auto c = ParseWriterSchema(cli.value_reader_schema);
        if (!c.ok()) return Status::InvalidArgument("--value-reader-schema: " + c.status().message());
        reader.file = c->file, reader.id = c->id;
        if (!reader.file.empty())
          if (Status s = CheckSchemaFile(format, reader.file); !s.ok())
            return Status::InvalidArgument("--value-reader-schema: " + s.message());
      }
    }
    codec.BindRegistry(std::make_shared<RegistryWire>(format, *registry, choice, reader));
  }
  return Status::Ok();
}

}  // namespace

std::string DefaultGroup(const std::string& tool, const std::string& input,
                         const std::vector<std::string>& outputs) {
  std::string g = "ktools-" + tool + "-" + input + "-to-";
  for (size_t i = 0; i < outputs.size(); ++i) g += (i ? "," : "") + outputs[i];
  return g;
}

bool WantsConfigDump(const CommonOptions& cli) {
  for (const std::string& p : cli.properties)
    if (p == "dump") return true;
  return false;
}

void DumpConfig(const KafkaConfig& cfg) { std::cout << DumpKafkaConfig(cfg); }

bool DumpConfigIfAsked(const CommonOptions& cli, const KafkaConfig& cfg) {
  if (!WantsConfigDump(cli)) return false;
  DumpConfig(cfg);
  return true;
}

Result<KafkaConfig> KafkaConfigOf(const CommonOptions& cli) {
  KafkaConfigInputs in;
  in.brokers_flag = cli.brokers;
  in.config_flag = cli.config_file;
  in.profile_flag = cli.profile;
  for (const std::string& p : cli.properties)
    if (p != "dump") in.properties.push_back(p);
  return ResolveKafkaConfig(in, [](const char* n) { return std::getenv(n); });
}

Result<RunPlan> PlanRun(const std::string& tool, const CommonOptions& cli, const RunIntent& intent) {
  RunPlan p;
  p.tool = tool;
  auto cfg = KafkaConfigOf(cli);
  if (!cfg.ok()) return cfg.status();
  p.kafka = std::move(*cfg);
  p.dump_config = WantsConfigDump(cli);

  p.input = cli.input;
  p.group = cli.group;
  if (p.kafka_input() && p.group.empty()) {  // the group rule: see DefaultGroup
    if (cli.output != "-" && !cli.output.empty())
      p.group = DefaultGroup(tool, cli.input, {cli.output});
    else if (cli.output.empty() && !intent.outputs.empty())
      p.group = DefaultGroup(tool, cli.input, intent.outputs);
  }
  auto from = ParseStartSpec(cli.from, NowMs());
  if (!from.ok()) return from.status();
  p.from = *from;
  auto idle = DurationOption("--max-idle", cli.max_idle);
  if (!idle.ok()) return idle.status();
  p.max_idle_ms = *idle;
  p.exit_at_end = cli.exit_at_end;
  p.count = cli.count;

  p.envelope = cli.envelope;
  p.key_delimiter = cli.key_delimiter;
  p.null_text = cli.null_text;
  auto key_codec = Codec::Parse(cli.key_format);
  if (!key_codec.ok()) return key_codec.status();
  p.key_codec = *key_codec;
  auto value_codec = Codec::Parse(cli.value_format);
  if (!value_codec.ok()) return value_codec.status();
  p.value_codec = *value_codec;
  p.schema_file = cli.schema_file;

  p.output = cli.output;
  if (p.kafka_output() && !p.output.empty())
    p.outputs = {p.output};
  else if (p.output.empty())
    p.outputs = intent.outputs;
  if (Status s = BindSchemaRegistry(cli, p.kafka, &p); !s.ok()) return s;  // needs the output
  p.out_key_codec = p.key_codec;
  p.out_value_codec = p.value_codec;
  p.partitions = cli.partitions;
  p.replication_factor = cli.replication_factor;

  auto policy = ParseErrorPolicy(cli.on_error.empty() ? (cli.dlq.empty() ? "fail" : "dlq") : cli.on_error);
  if (!policy.ok()) return policy.status();
  p.on_error = *policy;
  if (p.on_error == ErrorPolicy::kDlq && cli.dlq.empty())
    return Status::InvalidArgument("--on-error dlq needs --dlq TOPIC");
  p.dlq = cli.dlq;
  p.exactly_once = cli.exactly_once;
  // Exactly-once commits a transaction every 100 ms by default, as Kafka Streams does.
  auto interval = DurationOption("--commit-interval", cli.commit_interval_given ? cli.commit_interval
                                                      : cli.exactly_once        ? "100ms"
                                                                                : "5s");
  if (!interval.ok()) return interval.status();
  p.commit_interval_ms = *interval;
  auto task_timeout = DurationOption("--task-timeout", cli.task_timeout);
  if (!task_timeout.ok()) return task_timeout.status();
  p.task_timeout_ms = *task_timeout;

  p.quiet = cli.quiet;
  p.verbose = cli.verbose;
  p.progress = !cli.quiet && isatty(2) && cli.log_format != "json";  // a collector wants no \r
  p.stats_json = cli.stats == "json";
  p.http = cli.http;
  auto unready = DurationOption("--unready-after", cli.unready_after);
  if (!unready.ok()) return unready.status();
  p.unready_after_ms = *unready;
  p.instance_id = cli.instance_id;
  // -X group.instance.id (or -F) is static membership as --instance-id is (KafkaSource), and as
  // little use without a group.
  bool by_property = p.instance_id.empty() && !p.kafka.Get("group.instance.id").empty();
  if ((!p.instance_id.empty() || by_property) && p.group.empty())
    return Status::InvalidArgument(std::string(by_property ? "-X group.instance.id" : "--instance-id") +
                                   " needs a consumer group: -G GROUP, or a topic output");
  if (!p.http.empty()) {
    auto addr = ParseHttpAddress(p.http);
    if (!addr.ok()) return addr.status();
    // librdkafka's statistics tell the monitor whether a broker is reachable (/health/ready).
    bool set = false;
    for (auto& [k, v] : p.kafka.properties) set = set || k == "statistics.interval.ms";
    if (!set) p.kafka.properties.emplace_back("statistics.interval.ms", "1000");
  }
  return p;
}

}  // namespace kt
