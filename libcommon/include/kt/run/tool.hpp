// RunTool: the wiring every tool's main() ends with. From the parsed common options it resolves
// the Kafka config (handling -X dump), opens the source (-i TOPIC or stdin/file) and the sink
// (-o TOPIC or stdout), a dead-letter sink when asked, the schema, and runs the Transform on
// the Runner. Returns the process exit code.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "kt/kafka/config.hpp"
#include "kt/run/options.hpp"
#include "kt/io/source.hpp"
#include "kt/io/stdin_source.hpp"
#include "kt/run/transform.hpp"

namespace kt {

struct ToolSpec {
  std::string name;
  // Replaces -i: a tool-made source (kgen's generator). Not owned by the spec after RunTool.
  std::unique_ptr<Source> source;
  // Stdin/file input: the file ("-" = stdin) and line format (-J forces envelope).
  std::string input_file;       // empty: use -i
  LineFormat line_format = LineFormat::kNdjson;
  // Kafka input extras (kconsume).
  bool group_optional = false;  // no consumer group (and no commits) unless -G is given
  std::vector<int32_t> partitions;
  std::string until;
  bool pretty = false;
  // The Transform writes internal records (changelogs) to Kafka, even with -o -.
  bool needs_kafka = false;
  // See KafkaSourceOptions::end_gate.
  const std::atomic<bool>* end_gate = nullptr;
};

int RunTool(ToolSpec spec, const CommonOptions& opts, Transform& transform);

// The Kafka config from the common options and the environment (used by RunTool and by tools
// that talk to Kafka outside the Runner).
Result<KafkaConfig> ResolveKafkaConfig(const CommonOptions& opts);

}  // namespace kt
