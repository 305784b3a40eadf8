// `ktable get` and `ktable dump`: a table's current contents, read from its changelog topic (no
// running ktable needed) or, with --local, from the local state stores.
#pragma once

#include <optional>
#include <string>

#include "kt/core/status.hpp"
#include "kt/kafka/config.hpp"
#include "kt/state/store_contents.hpp"

namespace kt::ktable {

struct TableQuery {
  StoreLocation where{.store = "table"};
  std::optional<std::string> key;  // get: only this key
};

// One table row as ktable's output and `ktable get` show it: {"key": k, <aggregates of state>}.
std::string RenderTableRow(const std::string& key, const std::string& state);

// Writes one {"key": k, <aggregates>} line per key (sorted by key) to stdout. With a key that is
// not in the table: NotFound.
Status RunTableQuery(const TableQuery& q, const KafkaConfig& cfg);

}  // namespace kt::ktable
