// RunTool: the wiring every tool's main() ends with. From the parsed common options it resolves
// the Kafka config (handling -X dump), opens the source (-i TOPIC or stdin/file) and the sink
// (-o TOPIC or stdout), a dead-letter sink when asked, the schema, and runs the Transform on
// the Runner. Returns the process exit code.
//
// What a tool needs beyond the common options it says in a SourceSpec and a SinkSpec: fields any
// tool may fill (a tool's own flags set them; the library knows no tool by name).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "kt/io/source.hpp"
#include "kt/io/stdin_source.hpp"
#include "kt/kafka/config.hpp"
#include "kt/run/options.hpp"
#include "kt/run/transform.hpp"

namespace kt {

struct SourceSpec {
  // Instead of -i: a source the tool made (kgen's generator), or a file ("-" = stdin).
  std::unique_ptr<Source> source;
  std::string file;
  LineFormat line_format = LineFormat::kNdjson;  // of stdin/file lines (-J forces envelopes)
  // A Kafka input read without -G joins no group and commits nothing (kconsume); otherwise the
  // group defaults to DefaultGroup(tool, input).
  bool group_optional = false;
  std::vector<int32_t> partitions;  // read only these partitions (by assignment)
  int64_t until_ms = -1;            // stop each partition at its first record at/after this time
  // See KafkaSourceOptions::end_gate (a stage reading what another stage of the tool writes).
  const std::atomic<bool>* end_gate = nullptr;
  bool origin_headers = false;  // the input is a repartition topic (KafkaSourceOptions)
  bool headers = true;          // records need their headers (RunTool: Transform::WantsHeaders or a DLQ)
  // Further input topics after -i (kjoin's right side): co-partitioned with it, read in
  // timestamp order with it, their records tagged Record::input 1, 2, ...
  std::vector<std::string> more_inputs;
};

struct SinkSpec {
  bool pretty = false;    // stdout: indent JSON values
  bool internal = false;  // the Transform writes internal records (changelogs) to Kafka, even with -o -
  // Creates the output topic when it is missing, with this many partitions (-1: as many as the
  // input topic). An existing topic of another size is a warning, or a usage error when
  // `partitions_given` (the user asked for that size).
  int create_partitions = 0;
  bool partitions_given = false;
};

int RunTool(const std::string& tool, const CommonOptions& opts, Transform& transform, SourceSpec source = {},
            SinkSpec sink = {});

// The consumer group a tool joins without -G: ktools-<tool>-<input>. State and internal topics
// are named from the group, so this is also where a stateful tool's state lives by default.
std::string DefaultGroup(const std::string& tool, const std::string& input);

// The Kafka config from the common options and the environment (used by RunTool and by tools
// that talk to Kafka outside the Runner).
Result<KafkaConfig> ResolveKafkaConfig(const CommonOptions& opts);

// -X dump: prints the effective configuration (secrets masked) and returns true; false when
// the options do not ask for it.
bool DumpKafkaConfigIfAsked(const CommonOptions& opts, const KafkaConfig& cfg);

}  // namespace kt
