#include "kt/run/tool.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "kt/core/exit_code.hpp"
#include "kt/kafka/sink.hpp"
#include "kt/kafka/source.hpp"
#include "kt/core/log.hpp"
#include "kt/run/runner.hpp"
#include "kt/codec/schema.hpp"
#include "kt/core/signals.hpp"
#include "kt/kafka/start_spec.hpp"
#include "kt/io/stdout_sink.hpp"
#include "kt/core/time.hpp"

namespace kt {

Result<KafkaConfig> ResolveKafkaConfig(const CommonOptions& opts) {
  KafkaConfigInputs in;
  in.brokers_flag = opts.brokers;
  in.config_flag = opts.config_file;
  for (auto& p : opts.properties)
    if (p != "dump") in.properties.push_back(p);
  return ResolveKafkaConfig(in, [](const char* n) { return std::getenv(n); });
}

namespace {

int Usage(const std::string& tool, const Status& s) {
  LogError(tool, s.message());
  return kExitUsage;
}

}  // namespace

int RunTool(ToolSpec spec, const CommonOptions& opts, Transform& transform) {
  const std::string& tool = spec.name;
  auto cfg = ResolveKafkaConfig(opts);
  if (!cfg.ok()) return Usage(tool, cfg.status());
  for (auto& p : opts.properties) {
    if (p == "dump") {
      std::cout << DumpKafkaConfig(*cfg);
      return kExitOk;
    }
  }
  auto key_codec = Codec::Parse(opts.key_format);
  if (!key_codec.ok()) return Usage(tool, key_codec.status());
  auto value_codec = Codec::Parse(opts.value_format);
  if (!value_codec.ok()) return Usage(tool, value_codec.status());

  RunnerOptions ro;
  ro.tool = tool;
  auto interval = ParseDuration(opts.commit_interval);
  if (!interval.ok()) return Usage(tool, Status::InvalidArgument("--commit-interval: " + interval.status().message()));
  ro.commit_interval_ms = *interval;
  ro.max_records = opts.count;
  ro.value_codec = *value_codec;
  ro.quiet = opts.quiet;
  ro.verbose = opts.verbose;
  ro.progress = !opts.quiet && isatty(2);
  std::string policy = opts.on_error.empty() ? (opts.dlq.empty() ? "fail" : "dlq") : opts.on_error;
  auto pol = ParseErrorPolicy(policy);
  if (!pol.ok()) return Usage(tool, pol.status());
  ro.on_error = *pol;
  if (ro.on_error == ErrorPolicy::kDlq && opts.dlq.empty())
    return Usage(tool, Status::InvalidArgument("--on-error dlq needs --dlq TOPIC"));
  ro.dlq_topic = opts.dlq;
  std::unique_ptr<SchemaValidator> schema;
  if (!opts.schema_file.empty()) {
    auto v = SchemaValidator::Load(opts.schema_file);
    if (!v.ok()) return Usage(tool, v.status());
    schema = std::move(*v);
    ro.schema = schema.get();
  }

  // Source.
  std::unique_ptr<Source> source = std::move(spec.source);
  if (!source) {
    std::string file = !spec.input_file.empty() ? spec.input_file : (opts.input == "-" ? "-" : "");
    if (!file.empty()) {
      StdinSourceOptions so;
      so.path = file;
      so.format = opts.envelope ? LineFormat::kEnvelope : spec.line_format;
      so.key_codec = *key_codec;
      so.value_codec = *value_codec;
      source = std::make_unique<StdinSource>(so);
    } else {
      KafkaSourceOptions ko;
      ko.tool = tool;
      ko.topic = opts.input;
      ko.group = opts.group;
      if (ko.group.empty() && !spec.group_optional) ko.group = "ktools-" + tool + "-" + opts.input;
      ko.partitions = spec.partitions;
      auto from = ParseStartSpec(opts.from, NowMs());
      if (!from.ok()) return Usage(tool, from.status());
      ko.from = *from;
      if (!spec.until.empty()) {
        auto until = ParseTimeSpec(spec.until, NowMs());
        if (!until.ok()) return Usage(tool, until.status());
        ko.until_ms = *until;
      }
      ko.exit_at_end = opts.exit_at_end;
      ko.key_codec = *key_codec;
      ko.value_codec = *value_codec;
      ko.verbose = opts.verbose;
      ko.end_gate = spec.end_gate;
      ro.input_topic = opts.input;
      source = std::make_unique<KafkaSource>(*cfg, ko);
    }
  }

  // Sink, and a dead-letter sink (the output producer when the output is Kafka).
  std::unique_ptr<Sink> sink, dlq_own;
  Sink* dlq = nullptr;
  if (opts.output == "-") {
    StdoutSinkOptions so;
    so.envelope = opts.envelope;
    so.pretty = spec.pretty;
    so.key_codec = *key_codec;
    so.value_codec = *value_codec;
    sink = std::make_unique<StdoutSink>(so);
  } else {  // a topic; "" when every record names its own (kbranch)
    KafkaSinkOptions ko{tool, opts.output, *key_codec, *value_codec, opts.verbose};
    sink = std::make_unique<KafkaSink>(*cfg, ko);
  }
  if (!opts.dlq.empty() || spec.needs_kafka) {
    if (opts.output != "-") {
      dlq = sink.get();
    } else {
      KafkaSinkOptions ko{tool, opts.dlq, Codec(), Codec(), opts.verbose};
      dlq_own = std::make_unique<KafkaSink>(*cfg, ko);
      dlq = dlq_own.get();
    }
  }

  InstallSignalHandlers();
  Runner runner(ro, source.get(), sink.get(), dlq, &transform);
  return runner.Run();
}

}  // namespace kt
