// `kwindow get` and `kwindow dump`: a window store's live windows (not yet purged by
// retention), read from its changelog topic (no running kwindow needed) or, with --local, from
// the local stores. Faust's windowed-table reads: the windows of a key that contain a time
// (.current() with --now, .value() at a time with --at), all of a key's windows, or all.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "kt/core/status.hpp"
#include "kt/kafka/config.hpp"
#include "kt/state/store_contents.hpp"

namespace kt::kwindow {

struct WindowQuery {
  StoreLocation where;             // store: the --window name
  std::optional<std::string> key;  // get: only this key
  std::optional<int64_t> at;       // only windows with start <= at < end (a one-record session: at == start)
};

// The windows among `contents` (a window store's keys and states) of `key` (every key when
// nullopt), and at `at`, as kwindow's output shows them, one line each, sorted by key then start.
// NotFound naming `store` when a key was asked for and has none.
Status RenderWindows(const std::map<std::string, std::string>& contents,
                     const std::optional<std::string>& key, const std::optional<int64_t>& at,
                     const std::string& store, std::string* lines);

// Writes {"key", "window": {"start", "end"}, <aggregates>} per window, sorted by key then start,
// as kwindow's output shows them. NotFound for a key without windows (at `at`).
Status RunWindowQuery(const WindowQuery& q, const KafkaConfig& cfg);

}  // namespace kt::kwindow
