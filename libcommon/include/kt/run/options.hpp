// The command line every tool shares (ARCHITECTURE.md, CLI conventions), added to a CLI11 app
// as the "Common options" group; plus parsing with exit codes and "did you mean" suggestions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kt/core/status.hpp"
#include "kt/run/cli_fwd.hpp"

namespace kt {

struct CommonOptions {
  // Kafka
  std::string brokers;
  std::string config_file;
  std::string profile;                  // --profile NAME: the config file ~/.config/ktools/NAME.conf
  std::vector<std::string> properties;  // -X
  // I/O
  std::string input = "-";
  std::string output = "-";
  std::string group;
  std::string from = "beginning";
  std::string max_idle = "0";       // --max-idle: how long an empty input partition holds the others back
  std::string commit_interval;      // not given: 5s, or 100ms with --exactly-once
  std::string task_timeout = "5m";  // --task-timeout: how long a run recovers before it gives up
  bool commit_interval_given = false;
  bool exit_at_end = false;
  int64_t count = -1;
  bool envelope = false;
  std::string key_delimiter;             // -K: stdio lines are KEY<delimiter>VALUE (kcat -K)
  std::optional<std::string> null_text;  // -Z: the text that stands for a null key or value on stdio lines
  std::string key_format = "raw";
  std::string value_format = "json";
  std::string schema_file;
  // The avro, protobuf and jsonschema formats (codec/registry_wire.hpp): the registry, the schemas written,
  // their subjects
  std::string registry;             // --registry URL; else $KT_REGISTRY, else schema.registry.url
  std::string key_schema;           // --key-schema FILE|id:N
  std::string value_schema;         // --value-schema FILE|id:N
  std::string value_reader_schema;  // --value-reader-schema FILE|id:N|latest
  std::string subject_strategy = "topic";
  std::string on_error;  // empty: fail, or dlq when --dlq is given
  std::string dlq;
  bool quiet = false;
  bool verbose = false;
  std::string log_format = "text";    // --log-format: diagnostics as text or JSON lines (core/log.hpp)
  std::string stats = "text";         // --stats: the end-of-run summary as a text line or one JSON line
  std::string http;                   // --http [HOST]:PORT: metrics, health and state queries
  std::string unready_after = "30s";  // --unready-after: no broker for this long is not ready
  std::string instance_id;            // --instance-id: group.instance.id (static membership)
  // Topics the tool creates (outputs, changelogs, repartition topics)
  int partitions = 0;           // of its outputs; 0: the input's (stdin input: the broker's default)
  int replication_factor = -1;  // -1: the broker's default.replication.factor
  // Delivery
  bool exactly_once = false;
};

// Which groups of common options a tool takes.
enum OptionSet : unsigned {
  kOptInput = 1u << 0,     // -i
  kOptOutput = 1u << 1,    // -o
  kOptGroup = 1u << 2,     // -G
  kOptFrom = 1u << 3,      // --from
  kOptExit = 1u << 4,      // -e
  kOptCount = 1u << 5,     // -n
  kOptEnvelope = 1u << 6,  // -J -K
  kOptFormats = 1u << 7,   // --key-format --value-format
  kOptSchema = 1u << 8,    // --schema
  kOptErrors = 1u << 9,    // --on-error --dlq
  kOptKafka = 1u << 10,    // -b -X -F
  kOptVerbosity = 1u << 11,
  kOptCreate = 1u << 12,  // --partitions --replication-factor (tools that create topics)
  kOptEos = 1u << 13,     // --exactly-once (tools that read Kafka and write Kafka)
  kOptStats = 1u << 14,   // --stats (tools run by the Runner)
  kOptAll = 0x7fffu,      // a stream tool: everything
};

void AddCommonOptions(CLI::App& app, CommonOptions& o, unsigned sets);

// The state options every stateful tool takes: --name (the store's name; its default is the
// tool's, set before AddStateOptions), --store, --state-dir.
struct StateCliOptions {
  std::string name;
  std::string store = "rocksdb";
  std::string state_dir;
  int standbys = 0;  // --standbys: other copies' partitions kept warm (state/partitioned_state.hpp)
  bool no_repartition = false;  // --no-repartition (AddNoRepartitionOption)
};
void AddStateOptions(CLI::App& app, StateCliOptions& o);
// --no-repartition, for the tools that group one input by --by (ktable, kwindow, kscore).
void AddNoRepartitionOption(CLI::App& app, StateCliOptions& o);
// A store name is part of a topic name and of a directory name: Kafka's topic characters only
// (letters, digits, '.', '_', '-'), and neither "." nor "..".
Status CheckStoreName(const std::string& name);

// An option's former name, still accepted: hidden from --help (and so from the man-page check
// and completion), it sets `target` like `new_name` does, with a warning naming the new one.
void AddRenamedOption(CLI::App& app, const std::string& old_name, const std::string& new_name,
                      std::string& target);

// A check that an integer option is at least `min`, in words ("must be at least 1, not 0"):
// CLI11's PositiveNumber prints the range up to the largest double, 300 digits.
CLI::Validator AtLeast(long long min);

// "kmap (ktools) 0.1.0" plus library versions and compiled-in features.
std::string VersionText(const std::string& tool);

// Parses argv. Returns -1 to go on, or the exit code to return now: 0 after --help/--version,
// 2 on a usage error: one line per error, in words (options that exclude each other named, a
// mistyped flag with the nearest one, a kcat flag with the ktools way to say it).
int ParseCommandLine(CLI::App& app, int argc, char** argv);
// The words ParseCommandLine prints for a parse error (without the tool's name), for tests.
std::vector<std::string> UsageErrorLines(const CLI::App& app, const CLI::ParseError& error, int argc,
                                         const char* const* argv);

}  // namespace kt
