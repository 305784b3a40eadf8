// The run plan: a tool's command line and environment resolved once, before anything is opened,
// into the facts every part of the run reads and none changes: the Kafka config, the consumer
// group, where to start and when to stop, the codecs, the error policy, delivery and reporting.
// Planning makes no call to Kafka (so -X dump and usage errors answer at once); a stateful run
// adds its stores and internal topics in a StatefulPlan (app/stateful_plan.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kt/codec/codec.hpp"
#include "kt/core/status.hpp"
#include "kt/kafka/config.hpp"
#include "kt/kafka/start_spec.hpp"
#include "kt/run/options.hpp"
#include "kt/run/runner.hpp"

namespace kt {

// What a tool says about its run beyond the common options.
struct RunIntent {
  // The topics a run writes when -o names none (kbranch's routes): they name its default group.
  std::vector<std::string> outputs;
};

struct RunPlan {
  std::string tool;          // names every message; a stage has its own ("ktable-repartition")
  KafkaConfig kafka;         // -b, -X, -F, $KT_BROKERS, $KT_CONFIG, the user's config file
  bool dump_config = false;  // -X dump: print `kafka` (secrets masked) and do nothing else

  // Input
  std::string input = "-";               // a topic, or "-" (stdin or the tool's own source)
  std::vector<std::string> more_inputs;  // further co-partitioned input topics (kjoin's right side)
  std::string group;                     // the consumer group; "" = none (ad hoc: nothing is committed)
  StartSpec from;
  int64_t max_idle_ms = 0;
  bool exit_at_end = false;
  int64_t count = -1;  // -n; -1: no limit
  // A stateful stage's input partitions, all inputs together (KafkaSourceOptions); 0: not one.
  int prefetch_partitions = 0;
  // The stage's tasks are its input partitions (each record's state is its partition's): they
  // take turns (KafkaSourceOptions::task_turn).
  bool partition_tasks = false;
  // Records
  bool envelope = false;
  std::string key_delimiter;
  std::optional<std::string> null_text;  // -Z (stdin/stdout lines)
  Codec key_codec, value_codec;          // how input records are read (and, by default, written)
  Codec out_key_codec, out_value_codec;  // how output records are written: the same, except where
                                         // a stage writes an internal topic (JSON, not Avro)
  std::string schema_file;
  // Output
  std::string output = "-";          // a topic; "-" stdout; "" each record names its topic (kbranch)
  std::vector<std::string> outputs;  // every topic the run writes (-o, or RunIntent::outputs)
  // Of output topics the run creates: 0 as many as the input (or, without a Kafka input, as the
  // broker makes them on first use).
  int partitions = 0;
  int replication_factor = -1;   // of topics the run creates; -1: the broker's default
  bool internal_output = false;  // `output` is the tool's own repartition topic (KafkaSinkOptions)
  // Delivery
  ErrorPolicy on_error = ErrorPolicy::kFail;
  std::string dlq;
  bool exactly_once = false;
  int64_t commit_interval_ms = 5000;
  int64_t task_timeout_ms = 300000;  // --task-timeout
  // Reporting
  bool quiet = false, verbose = false, progress = false, stats_json = false;
  // Service (app/http_service.hpp)
  std::string http;                  // --http [HOST]:PORT; "" none
  int64_t unready_after_ms = 30000;  // --unready-after
  std::string instance_id;           // --instance-id: the consumers' group.instance.id

  bool kafka_input() const { return input != "-"; }
  // A Kafka input read in no group (stdout output and no -G, like kcat): it reads from --from,
  // commits nothing, and a stateful run keeps its state in memory for the run.
  bool ad_hoc() const { return kafka_input() && group.empty(); }
  bool kafka_output() const { return output != "-"; }
  // A bounded run (-e, -n) stops by itself; an unbounded one runs until stopped.
  bool bounded() const { return exit_at_end || count >= 0; }
};

// Resolves `cli` for `tool`. Errors are usage errors (InvalidArgument) naming the option.
Result<RunPlan> PlanRun(const std::string& tool, const CommonOptions& cli, const RunIntent& intent = {});

// The group rule (ktools(7), CONSUMER GROUPS), decided here and nowhere else:
//   -G G                          group G
//   a topic in, stdout out        no group: an ad-hoc run, as kcat's; nothing is committed
//   a topic in, topics out        DefaultGroup(tool, input, outputs)
//   stdin in                      no group
// So two jobs on one input never share a group by accident, and a one-liner leaves no trace.
//
// The default group of a run reading `input` and writing `outputs`:
// ktools-<tool>-<input>-to-<output>[,<output>...]. State and internal topics are named after the
// group, so this is also where a stateful tool's state lives by default.
std::string DefaultGroup(const std::string& tool, const std::string& input,
                         const std::vector<std::string>& outputs);

// The Kafka config alone, for tools and subcommands that talk to Kafka outside a run (ktopic,
// kgroup, ktable get).
Result<KafkaConfig> KafkaConfigOf(const CommonOptions& cli);

// -X dump: prints `cfg` (secrets masked) to stdout.
void DumpConfig(const KafkaConfig& cfg);
// True when `cli` asks for -X dump.
bool WantsConfigDump(const CommonOptions& cli);
// -X dump for a tool outside a run: prints `cfg` and returns true when `cli` asks for it.
bool DumpConfigIfAsked(const CommonOptions& cli, const KafkaConfig& cfg);

}  // namespace kt
