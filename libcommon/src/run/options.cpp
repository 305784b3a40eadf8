#include "kt/run/options.hpp"

#include <librdkafka/rdkafka.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iostream>

#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/core/strings.hpp"

#ifndef KT_VERSION
#define KT_VERSION "0.0.0"
#endif

namespace kt {

void AddCommonOptions(CLI::App& app, CommonOptions& o, unsigned sets) {
  const char* g = "Common options";
  if (sets & kOptInput)
    app.add_option("-i,--input", o.input, "Input topic, or - for NDJSON on stdin")
        ->group(g)
        ->capture_default_str();
  if (sets & kOptOutput)
    app.add_option("-o,--output", o.output, "Output topic, or - for NDJSON on stdout")
        ->group(g)
        ->capture_default_str();
  if (sets & kOptGroup) {
    app.add_option("-G,--group", o.group,
                   "Consumer group (default: none with stdout output; ktools-<tool>-<input>-to-<output> with "
                   "a topic)")
        ->group(g);
    app.add_option("--commit-interval", o.commit_interval,
                   "How often offsets and state are committed, e.g. 1s, 500ms (default 5s; 100ms with "
                   "--exactly-once)")
        ->group(g)
        ->each([&o](const std::string&) { o.commit_interval_given = true; });
    app.add_option("--task-timeout", o.task_timeout,
                   "How long to keep recovering from a broker outage or a fenced producer before exiting 1")
        ->group(g)
        ->capture_default_str();
    app.add_option("--instance-id", o.instance_id,
                   "Static group membership (group.instance.id): a copy restarted within the session "
                   "timeout gets its partitions back without a rebalance")
        ->group(g);
  }
  if (sets & kOptFrom) {
    app.add_option("--from", o.from,
                   "Start without committed offsets at: beginning, end, RFC 3339 time, -DURATION, offset:N, "
                   "offset:-N (last N)")
        ->group(g)
        ->capture_default_str();
    app.add_option(
           "--max-idle", o.max_idle,
           "How long a caught-up input partition holds the others back for timestamp order, e.g. 200ms")
        ->group(g)
        ->capture_default_str();
  }
  if (sets & kOptExit)
    app.add_flag("-e,--exit-at-end", o.exit_at_end, "Exit when caught up with every assigned partition")
        ->group(g);
  if (sets & kOptCount)
    app.add_option("-n,--count", o.count, "Stop after N input records")->group(g)->check(AtLeast(0));
  if (sets & kOptEnvelope) {
    CLI::Option* j =
        app.add_flag("-J,--envelope", o.envelope,
                     "Stdio lines are {key,value,timestamp,headers,topic,partition,offset} envelopes")
            ->group(g);
    app.add_option("-K,--key-delimiter", o.key_delimiter,
                   "Stdio lines are KEY<TEXT>VALUE, as kcat -K (a line without TEXT has no key)")
        ->group(g)
        ->excludes(j)
        ->check([](const std::string& d) {
          return d.empty() ? std::string("the key delimiter cannot be empty") : std::string();
        });
    app.add_option_function<std::string>(
           "-Z,--null", [&o](const std::string& text) { o.null_text = text; },
           "Stdio lines: TEXT stands for a null key (-K) or value, both ways, as kcat -Z ('' or NULL)")
        ->group(g)
        ->excludes(j);
  }
  if (sets & kOptFormats) {
    app.add_option("--key-format", o.key_format,
                   "Key codec: raw, json, binary, auto, avro, protobuf, jsonschema, chains like json|binary")
        ->group(g)
        ->capture_default_str();
    app.add_option(
           "--value-format", o.value_format,
           "Value codec: json, raw, binary, auto, avro, protobuf, jsonschema, chains like json|binary")
        ->group(g)
        ->capture_default_str();
    app.add_option(
           "--registry", o.registry,
           "Schema Registry URL for avro, protobuf and jsonschema (else $KT_REGISTRY, schema.registry.url)")
        ->group(g);
    app.add_option(
           "--value-schema", o.value_schema,
           "Schema values are written with: FILE (registered) or id:N (default: the subject's latest)")
        ->group(g);
    app.add_option("--value-reader-schema", o.value_reader_schema,
                   "Avro or Protobuf schema values are read as: FILE, id:N, or latest (the input's "
                   "subject)")
        ->group(g);
    app.add_option("--key-schema", o.key_schema, "Schema keys are written with: FILE or id:N")->group(g);
    app.add_option("--subject-strategy", o.subject_strategy,
                   "Registry subjects: topic (TOPIC-value), record (the record's name), topic-record")
        ->group(g)
        ->check(CLI::IsMember({"topic", "record", "topic-record"}))
        ->capture_default_str();
  }
  if (sets & kOptSchema)
    app.add_option("--schema", o.schema_file, "JSON Schema file input values must satisfy")
        ->group(g)
        ->check(CLI::ExistingFile);
  if (sets & kOptErrors) {
    app.add_option("--on-error", o.on_error, "Bad records: fail (exit 3), skip, or dlq")
        ->group(g)
        ->check(CLI::IsMember({"fail", "skip", "dlq"}));
    app.add_option("--dlq", o.dlq, "Dead-letter topic for bad records (implies --on-error dlq)")->group(g);
  }
  if (sets & kOptKafka) {
    app.add_option("-b,--brokers", o.brokers, "Bootstrap servers (else $KT_BROKERS, config, localhost:9092)")
        ->group(g);
    app.add_option("-X,--property", o.properties, "librdkafka property name=value; -X dump prints the config")
        ->group(g)
        ->take_all()
        ->allow_extra_args(false);
    auto* file = app.add_option("-F,--config", o.config_file,
                                "Properties file (else --profile, $KT_CONFIG, ~/.config/ktools/ktools.conf)")
                     ->group(g);
    app.add_option("--profile", o.profile,
                   "Named config: the file ~/.config/ktools/NAME.conf (else $KT_PROFILE), as rpk's profiles")
        ->group(g)
        ->excludes(file);
  }
  if (sets & kOptVerbosity) {
    app.add_flag("-q,--quiet", o.quiet, "No summary or warnings on stderr")->group(g);
    app.add_flag("-v,--verbose", o.verbose, "More diagnostics on stderr")->group(g);
    app.add_option("--log-format", o.log_format,
                   "Diagnostics on stderr as text, or json (one object per line, for log collectors)")
        ->group(g)
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
  }
  if (sets & kOptStats) {
    app.add_option("--stats", o.stats,
                   "End-of-run summary on stderr: text, or json (one line for cron and monitoring)")
        ->group(g)
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    app.add_option("--http", o.http,
                   "Serve /metrics (Prometheus), /health/live, /health/ready and, on ktable and kwindow, "
                   "/state/KEY at [HOST]:PORT")
        ->group(g);
    app.add_option("--unready-after", o.unready_after,
                   "With --http: not ready once no broker was reached for this long")
        ->group(g)
        ->capture_default_str();
  }
  if (sets & kOptCreate) {
    app.add_option("--partitions", o.partitions,
                   "Partitions of the output topic when the tool creates it (default: the input's)")
        ->group(g)
        ->check(AtLeast(1));
    app.add_option("--replication-factor", o.replication_factor,
                   "Replication factor of topics the tool creates (default: the broker's)")
        ->group(g)
        ->check(AtLeast(1));
  }
  if (sets & kOptEos)
    app.add_flag("--exactly-once", o.exactly_once,
                 "Transactions: outputs, state and input offsets commit atomically (Kafka in, Kafka out)")
        ->group(g);
  app.set_version_flag("--version", VersionText(app.get_name()));
}

Status CheckStoreName(const std::string& name) {
  static constexpr std::string_view kTopicChars =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
  if (!name.empty() && name != "." && name != ".." &&
      name.find_first_not_of(kTopicChars) == std::string::npos)
    return Status::Ok();
  return Status::InvalidArgument("'" + name + "' is not a store name: use letters, digits, '.', '_' and '-'");
}

void AddStateOptions(CLI::App& app, StateCliOptions& o) {
  CLI::Validator store_name([](std::string& v) { return CheckStoreName(v).message(); }, "");
  app.add_option("--name", o.name,
                 "State store name: changelog <group>-<name>-changelog, local state DIR/<group>/<name>")
      ->check(store_name)
      ->capture_default_str();
  app.add_option("--store", o.store, "State store: rocksdb or memory")
      ->check(CLI::IsMember({"rocksdb", "memory"}))
      ->capture_default_str();
  app.add_option("--state-dir", o.state_dir,
                 "Root of local state: DIR/<group>/<store> (default $XDG_STATE_HOME/ktools)");
  app.add_option("--standbys", o.standbys,
                 "Keep the state of N other copies' partitions warm, for a fast takeover")
      ->check(AtLeast(0))
      ->capture_default_str();
}

void AddNoRepartitionOption(CLI::App& app, StateCliOptions& o) {
  app.add_flag("--no-repartition", o.no_repartition,
               "The input is already partitioned by the --by key: group in place, without a repartition "
               "topic (a record in another partition is a bad record)");
}

std::string VersionText(const std::string& tool) {
  std::string v = tool + " (ktools) " KT_VERSION "\n";
  v += std::string("librdkafka ") + rd_kafka_version_str() + "\n";
  v += "features: codecs json,raw,binary,avro,protobuf,jsonschema; schema-registry; json-schema; "
       "consumer-groups; "
       "at-least-once; "
       "exactly-once";
#ifdef KT_HAVE_RE2
  v += "; regex (re2)";
#endif
  return v;
}

CLI::Validator AtLeast(long long min) {
  return CLI::Validator(
      [min](std::string& text) {
        char* end = nullptr;
        double v = std::strtod(text.c_str(), &end);  // the option's own type rejects fractions where it must
        if (text.empty() || end != text.c_str() + text.size()) return "'" + text + "' is not a number";
        if (v < static_cast<double>(min)) return "must be at least " + std::to_string(min) + ", not " + text;
        return std::string();
      },
      ">=" + std::to_string(min));
}

namespace {

// Every option name the app, its subcommands and its option groups know.
void KnownFlags(const CLI::App& app, std::vector<std::string>& known) {
  for (const CLI::Option* opt : app.get_options()) {
    for (auto& n : opt->get_lnames()) known.push_back("--" + n);
    for (auto& n : opt->get_snames()) known.push_back("-" + n);
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    KnownFlags(*sub, known);
}

bool HasFlag(const CLI::App& app, const std::string& flag) {
  std::vector<std::string> known;
  KnownFlags(app, known);
  return std::find(known.begin(), known.end(), flag) != known.end();
}

// What a kcat habit is called here, or "" when the flag is not one of kcat's.
std::string KcatHint(const CLI::App& app, const std::string& flag) {
  if (flag == "-t")
    return HasFlag(app, "-i") ? "the input topic is -i TOPIC (kcat's -t)"
                              : "the topic is an argument: " + app.get_name() + " TOPIC (kcat's -t)";
  if (flag == "-o") return "where to start is --from: beginning, end, offset:N, offset:-N or -1h (kcat's -o)";
  if (flag == "-c") return "a record count is -n N (kcat's -c)";
  if (flag == "-C") return "kconsume reads a topic (kcat -C)";
  if (flag == "-P") return "kproduce writes one (kcat -P)";
  if (flag == "-f")
    return "-J prints each record with its key, timestamp, headers and offset (kcat's -f, -J)";
  return "";
}

// One line per flag in argv that no option of the app knows, with the nearest known one.
std::vector<std::string> UnknownFlags(const CLI::App& app, int argc, const char* const* argv) {
  std::vector<std::string> known, lines;
  KnownFlags(app, known);
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") break;
    if (a.size() < 2 || a[0] != '-' || std::isdigit(static_cast<unsigned char>(a[1]))) continue;  // -1h
    a = a.rfind("--", 0) == 0 ? a.substr(0, a.find('=')) : a.substr(0, 2);
    if (std::find(known.begin(), known.end(), a) != known.end()) continue;
    if (std::string hint = KcatHint(app, a); !hint.empty()) {
      lines.push_back("unknown option '" + a + "': " + hint);
      continue;
    }
    std::string best;
    size_t best_d = 99;
    for (auto& k : known) {
      size_t d = EditDistance(a, k);
      if (d < best_d && k.size() > 2) best_d = d, best = k;  // a one-letter flag is near every other
    }
    if (a.size() > 2 && !best.empty() && best_d <= std::max<size_t>(2, a.size() / 3))
      lines.push_back("unknown option '" + a + "'; did you mean '" + best + "'?");
    else
      lines.push_back("unknown option '" + a + "'");
  }
  return lines;
}

// "[--tumbling,--hopping]" -> the flags of that list given in argv, and the list in words.
std::string ExclusiveGroup(const std::string& list, int argc, const char* const* argv) {
  std::vector<std::string> names, given;
  for (size_t at = 0; at < list.size();) {
    size_t comma = list.find(',', at);
    if (comma == std::string::npos) comma = list.size();
    names.push_back(list.substr(at, comma - at));
    at = comma + 1;
  }
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    a = a.substr(0, a.find('='));
    if (std::find(names.begin(), names.end(), a) != names.end() &&
        std::find(given.begin(), given.end(), a) == given.end())
      given.push_back(a);
  }
  auto join = [](const std::vector<std::string>& v, const std::string& last) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) out += (i == 0 ? "" : i + 1 == v.size() ? last : ", ") + v[i];
    return out;
  };
  if (given.size() >= 2)
    return join(given, " and ") + " cannot be used together: give one of " + join(names, " or ");
  return "give one of " + join(names, " or ");
}

// Whether -q/--quiet was given to the tool or the subcommand that runs.
bool QuietAsked(const CLI::App& app) {
  for (const CLI::Option* opt : app.get_options())
    if (opt->check_lname("quiet") && opt->count() > 0) return true;
  for (const CLI::App* sub : app.get_subcommands())
    if (QuietAsked(*sub)) return true;
  return false;
}

std::string LogFormatAsked(const CLI::App& app) {
  for (const CLI::Option* opt : app.get_options())
    if (opt->check_lname("log-format") && opt->count() > 0) return opt->as<std::string>();
  for (const CLI::App* sub : app.get_subcommands())
    if (std::string f = LogFormatAsked(*sub); !f.empty()) return f;
  return "";
}

}  // namespace

std::vector<std::string> UsageErrorLines(const CLI::App& app, const CLI::ParseError& error, int argc,
                                         const char* const* argv) {
  std::vector<std::string> unknown = UnknownFlags(app, argc, argv);
  // An unknown flag is the cause of "arguments were not expected" and of the errors that follow
  // from it (a flag of an exclusive group read as unknown): name only the flags.
  if (!unknown.empty()) return unknown;
  std::string what = error.what();
  static const std::string kAtMostOne = "Requires at most 1 options be given from [";
  static const std::string kExactlyOne = "Exactly 1 option from [";
  for (const std::string* prefix : {&kAtMostOne, &kExactlyOne}) {
    if (what.rfind(*prefix, 0) == 0) {
      size_t close = what.find(']', prefix->size());
      if (close != std::string::npos)
        return {ExclusiveGroup(what.substr(prefix->size(), close - prefix->size()), argc, argv)};
    }
  }
  // CLI11 writes numeric bounds as doubles: "1.000000" -> "1".
  for (size_t at; (at = what.find(".000000")) != std::string::npos;) what.erase(at, 7);
  return {what};
}

void AddRenamedOption(CLI::App& app, const std::string& old_name, const std::string& new_name,
                      std::string& target) {
  std::string tool = app.get_parent() ? app.get_parent()->get_name() : app.get_name();
  app.add_option(old_name, target)->group("")->each([tool, old_name, new_name](const std::string&) {
    LogWarning(tool, old_name + " is now " + new_name + " (the old name still works, for now)");
  });
}

int ParseCommandLine(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    std::cout << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    std::cout << e.what() << "\n";
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    for (const std::string& line : UsageErrorLines(app, e, argc, argv))
      std::cerr << app.get_name() << ": error: " << line << "\n";
    std::cerr << "Run '" << app.get_name() << " --help' for usage.\n";
    return kExitUsage;
  }
  if (QuietAsked(app)) SetQuiet(true);  // -q silences warnings from here on, wherever they come from
  if (LogFormatAsked(app) == "json") SetLogFormat(LogFormat::kJson);
  // The man-page example check (tests/smoke/man_examples.py): the arguments parsed, stop here.
  if (std::getenv("KT_CHECK_ARGS")) return kExitOk;
  return -1;
}

}  // namespace kt
