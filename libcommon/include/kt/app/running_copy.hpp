// `ktable get` / `kwindow get` ask a running copy first: a copy of the store's group that serves
// --http answers from its stores at once (app/http_service.hpp, GET /state/KEY), where reading
// the changelog takes a partition's whole history. Found through the group (a member's client
// id advertises its address): the store's group G, or G-<store> behind a re-keying stage.
#pragma once

#include <optional>
#include <string>

#include "kt/core/status.hpp"
#include "kt/kafka/config.hpp"

namespace kt {

struct CopyAnswer {
  int status = 0;    // the HTTP status (200 rows, 404 no such key)
  std::string body;  // NDJSON rows, or {"error": ...}
  std::string from;  // the copy's address
};

// GET `path` from a running copy of `group` (or `group`-`store`) that serves --http; nullopt
// when none does (or none answers): the caller reads the changelog instead. Unavailable when the
// brokers cannot be reached: the changelog cannot be read either, and saying so at once keeps
// the command within one connect timeout.
Result<std::optional<CopyAnswer>> AskRunningCopy(const KafkaConfig& cfg, const std::string& tool,
                                                 const std::string& group, const std::string& store,
                                                 const std::string& path);

// Prints a copy's rows to stdout (200), or returns NotFound with `not_found` (404).
Status PrintCopyAnswer(const CopyAnswer& answer, const std::string& not_found);

// "/state/" + KEY, percent-encoded.
std::string StatePath(const std::string& key);

}  // namespace kt
