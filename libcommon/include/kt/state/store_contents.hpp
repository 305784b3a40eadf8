// A state store's contents as of now, for the read-back subcommands (ktable get/dump, kwindow
// get/dump): replayed from its changelog topic <group>-<store>-changelog (no running tool
// needed), or read from the local stores under <state dir>/<group>/<store> (--local).
#pragma once

#include <functional>
#include <map>
#include <string>

#include "kt/core/status.hpp"
#include "kt/kafka/config.hpp"

namespace kt {

struct StoreLocation {
  std::string group;
  std::string store;
  bool local = false;
  std::string state_dir;  // --local: the root, as in StateDir ("" the default)
  bool verbose = false;   // librdkafka's log on stderr (-v)
};

// Every key and value of the store (all partitions), internal keys included; values without
// their bookkeeping (state/state_value.hpp). NotFound when the
// changelog topic or the local directory does not exist.
//
// A lookup of one key (`key`, with `found` saying whether `out` holds what was asked) reads the
// changelog partition the key hashes to (murmur2, as the tools partition keys) first, and the
// others only when that one does not have it (an input partitioned some other way).
struct KeyLookup {
  std::string key;
  std::function<bool(const std::map<std::string, std::string>&)> found;
};
Status ReadStoreContents(const StoreLocation& where, const KafkaConfig& cfg, const std::string& tool,
                         std::map<std::string, std::string>* out, const KeyLookup* lookup = nullptr);

}  // namespace kt
