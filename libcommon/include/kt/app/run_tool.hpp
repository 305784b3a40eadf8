// RunTool: the wiring every run ends with. From its plan it opens the source (-i TOPIC, or
// stdin, a file or the tool's own source), creates missing output topics (--partitions, else as
// many partitions as the input; an existing topic of another size is a warning, or an error
// when --partitions asked for that size), the sinks (-o TOPIC or stdout; a Kafka producer
// for internal records and dead letters when the output is not Kafka), the schema and, with
// exactly-once, the transactions, and runs the Transform on a Runner. Returns the exit code.
//
// What a tool needs beyond its plan it says in a SourceSpec and a SinkSpec: fields any tool may
// fill (a tool's own flags set them; the library knows no tool by name).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kt/app/run_plan.hpp"
#include "kt/io/record_format.hpp"
#include "kt/io/source.hpp"
#include "kt/io/stdin_source.hpp"
#include "kt/kafka/source.hpp"
#include "kt/run/transform.hpp"

namespace kt {

struct SourceSpec {
  // Instead of -i: a source the tool made (kgen's generator), or a file ("-" = stdin).
  std::unique_ptr<Source> source;
  std::string file;
  LineFormat line_format = LineFormat::kNdjson;  // of stdin/file lines (-J forces envelopes)
  double rate = 0;                               // stdin/file: records per second (0: unpaced)
  std::vector<int32_t> partitions;               // read only these partitions (by assignment)
  int64_t until_ms = -1;                         // stop each partition at its first record at/after this time
  // See KafkaSourceOptions::end_gate (a stage reading what another stage of the tool writes).
  const std::atomic<bool>* end_gate = nullptr;
  int expected_partitions = 0;  // with end_gate: see KafkaSourceOptions
  bool origin_headers = false;  // the input is a repartition topic (KafkaSourceOptions)
  bool topic_patterns = false;  // the inputs are independent topics or patterns (KafkaSourceOptions)
  // A continuous run in place: the group it holds meanwhile (KafkaSourceOptions::hold); when the
  // run ends by handing over (Source::HandingOver), *handed_over is set.
  std::optional<KafkaSourceOptions::Hold> hold;
  bool* handed_over = nullptr;
  // A batch run in place: see KafkaSourceOptions::home.
  std::function<bool(const rd_kafka_message_t&)> home;
  std::string home_rule = "its --by key's partition";  // KafkaSourceOptions::home_rule
};

struct SinkSpec {
  bool pretty = false;                            // stdout: indent JSON values
  std::optional<std::vector<FormatPart>> format;  // stdout: kcat -f (io/record_format.hpp)
};

int RunTool(const RunPlan& plan, Transform& transform, SourceSpec source = {}, SinkSpec sink = {});

// The largest record `topics` take (their max.message.bytes; 0 when the brokers do not say, as
// kbroker's do not). Topics a run creates take as much as its input, and its producers send as
// much: a record its input holds is never refused downstream for its size.
Result<int64_t> LargestRecordOf(const RunPlan& plan, const std::vector<std::string>& topics);
// The settings a topic created for records of `largest` bytes needs (none at the broker's default).
Properties SizedTopicConfigs(int64_t largest);

}  // namespace kt
