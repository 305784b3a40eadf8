#include "kt/kafka/config.hpp"

#include <algorithm>
#include <fstream>
#include <map>

#include "kt/core/paths.hpp"
#include "kt/core/strings.hpp"

namespace kt {

std::string KafkaConfig::Get(std::string_view name, std::string fallback) const {
  for (auto it = properties.rbegin(); it != properties.rend(); ++it)
    if (it->first == name) return it->second;
  return fallback;
}

Result<Properties> ParseProperties(std::string_view text, const std::string& origin) {
  Properties props;
  int line_no = 0;
  for (std::string_view line : SplitLines(text)) {
    ++line_no;
    line = Trim(line);
    if (line.empty() || line[0] == '#' || line[0] == '!') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos || Trim(line.substr(0, eq)).empty())
      return Status::InvalidArgument(origin + ":" + std::to_string(line_no) + ": expected name=value, got '" +
                                     std::string(line) + "'");
    props.emplace_back(std::string(Trim(line.substr(0, eq))), std::string(Trim(line.substr(eq + 1))));
  }
  return props;
}

namespace {

bool FileExists(const std::string& path) { return std::ifstream(path).good(); }

bool IsBrokersProperty(std::string_view n) { return n == "bootstrap.servers" || n == "metadata.broker.list"; }

// A profile's file: ~/.config/ktools/NAME.conf, which must exist.
Result<std::string> ProfileFile(const std::string& name, const char* given_as, const EnvLookup& env) {
  if (name.empty() || name.find('/') != std::string::npos || name[0] == '.')
    return Status::InvalidArgument(std::string(given_as) + " '" + name +
                                   "': a profile is a name (letters, digits, '-', '_', '.'), not a path");
  const char* home = env("HOME");
  if (!home || !*home)
    return Status::InvalidArgument(std::string(given_as) + " '" + name + "': $HOME is not set");
  std::string path = std::string(home) + "/.config/ktools/" + name + ".conf";
  if (!FileExists(path))
    return Status::InvalidArgument(std::string(given_as) + " '" + name + "': no file " + path +
                                   " (a profile is a config file there; -F names any other)");
  return path;
}

}  // namespace

Result<KafkaConfig> ResolveKafkaConfig(const KafkaConfigInputs& in, const EnvLookup& env) {
  KafkaConfig cfg;
  // Config file: a flag beats the environment, a file named beats a profile.
  const char* env_file = env("KT_CONFIG");
  const char* env_profile = env("KT_PROFILE");
  if (!in.config_flag.empty()) {
    cfg.config_file = in.config_flag;
  } else if (!in.profile_flag.empty() || (!(env_file && *env_file) && env_profile && *env_profile)) {
    bool flag = !in.profile_flag.empty();
    cfg.profile = flag ? in.profile_flag : env_profile;
    auto path = ProfileFile(cfg.profile, flag ? "--profile" : "$KT_PROFILE", env);
    if (!path.ok()) return path.status();
    cfg.config_file = *path;
  } else if (env_file && *env_file) {
    cfg.config_file = env_file;
  } else if (const char* home = env("HOME"); home && *home) {
    std::string def = std::string(home) + "/.config/ktools/ktools.conf";
    if (FileExists(def)) cfg.config_file = def;
  }
  Properties all;
  if (!cfg.config_file.empty()) {
    auto text = ReadWholeFile(cfg.config_file, "config file");
    if (!text.ok()) return text.status();
    auto props = ParseProperties(*text, cfg.config_file);
    if (!props.ok()) return props.status();
    all = std::move(*props);
  }
  for (const std::string& kv : in.properties) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      return Status::InvalidArgument("-X expects name=value (or 'dump'), got '" + kv + "'");
    all.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  std::string from_props;
  for (auto& [k, v] : all) {
    if (IsBrokersProperty(k))
      from_props = v;
    else if (k.rfind("schema.registry.", 0) == 0)
      cfg.registry.emplace_back(k, v);
    else
      cfg.properties.emplace_back(k, v);
  }
  if (!in.brokers_flag.empty()) {
    cfg.brokers = in.brokers_flag, cfg.brokers_origin = "-b";
  } else if (const char* e = env("KT_BROKERS"); e && *e) {
    cfg.brokers = e, cfg.brokers_origin = "$KT_BROKERS";
  } else if (!from_props.empty()) {
    cfg.brokers = from_props, cfg.brokers_origin = "config";
  } else {
    cfg.brokers = "localhost:9092", cfg.brokers_origin = "default";
  }
  return cfg;
}

bool IsSecretProperty(std::string_view name) {
  std::string n = ToLower(name);
  for (const char* part : {"password", "secret", ".key", "token", "credential", "user.info"})
    if (n.find(part) != std::string::npos) return true;
  return n.rfind("sasl.", 0) == 0;
}

std::string DumpKafkaConfig(const KafkaConfig& cfg) {
  std::map<std::string, std::string> merged;
  merged["bootstrap.servers"] = cfg.brokers;
  for (auto& [k, v] : cfg.properties) merged[k] = v;
  for (auto& [k, v] : cfg.registry) merged[k] = v;
  std::string out;
  out += "# brokers from " + cfg.brokers_origin;
  if (!cfg.config_file.empty()) out += "; config file " + cfg.config_file;
  if (!cfg.profile.empty()) out += " (profile " + cfg.profile + ")";
  out += "\n";
  for (auto& [k, v] : merged) out += k + "=" + (IsSecretProperty(k) ? "********" : v) + "\n";
  return out;
}

}  // namespace kt
