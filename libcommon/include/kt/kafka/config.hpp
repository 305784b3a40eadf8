// Where librdkafka configuration comes from, and in which order.
//
// Brokers:     -b  >  $KT_BROKERS  >  bootstrap.servers in -X or the config file  >  localhost:9092
// Config file: -F  >  $KT_CONFIG   >  ~/.config/ktools/ktools.conf (only if it exists)
// Properties:  the config file first, then every -X k=v in order (later wins).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kt/core/status.hpp"

namespace kt {

using Properties = std::vector<std::pair<std::string, std::string>>;
using EnvLookup = std::function<const char*(const char*)>;

struct KafkaConfigInputs {
  std::string brokers_flag;             // -b; empty when not given
  std::string config_flag;              // -F; empty when not given
  std::string profile_flag;             // --profile NAME; empty when not given
  std::vector<std::string> properties;  // -X k=v, in command-line order ("dump" excluded)
};

struct KafkaConfig {
  std::string brokers;
  std::string brokers_origin;  // "-b", "$KT_BROKERS", "config", "default": for messages
  std::string config_file;     // the file read, or empty
  std::string profile;         // the profile that named it (--profile, $KT_PROFILE), or empty
  Properties properties;       // file then -X; no bootstrap.servers (see `brokers`)
  // schema.registry.* settings (url, basic.auth.user.info, ssl.ca.location), from the same
  // places: ktools' own, never passed to librdkafka.
  Properties registry;

  // The property's value, or `fallback` when not set. Later settings win.
  std::string Get(std::string_view name, std::string fallback = "") const;
};

// Reads `name=value` lines; '#' and '!' start comments; blank lines ignored.
Result<Properties> ParseProperties(std::string_view text, const std::string& origin);

Result<KafkaConfig> ResolveKafkaConfig(const KafkaConfigInputs& in, const EnvLookup& env);

// True for values that must not be printed: names containing "password", "secret", ".key"
// (ssl.key.pem, ssl.keystore.*), "token", "credential" or "user.info" (a registry's basic
// auth), and every sasl.* (OAuth configs
// carry tokens). Never printed: by -X dump, or in an error about the property.
bool IsSecretProperty(std::string_view name);

// The effective configuration as `name=value` lines, sorted, secrets masked as "********".
std::string DumpKafkaConfig(const KafkaConfig& cfg);

}  // namespace kt
