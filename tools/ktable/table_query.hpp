// `ktable get` and `ktable dump`: a table's current contents, read from its changelog topic (no
// running ktable needed) or, with --local, from the local state stores.
#pragma once

#include <optional>
#include <string>

#include "kt/kafka/config.hpp"
#include "kt/core/status.hpp"

namespace kt {

struct TableQuery {
  std::string group;
  std::string table = "table";
  bool local = false;
  std::string state_dir;        // --local: the root, as in StateDir
  std::optional<std::string> key;  // get: only this key
  bool verbose = false;            // librdkafka's log on stderr (-v)
};

// Writes one {"key": k, <aggregates>} line per key (sorted by key) to stdout. With a key that is
// not in the table: NotFound.
Status RunTableQuery(const TableQuery& q, const KafkaConfig& cfg);

}  // namespace kt
