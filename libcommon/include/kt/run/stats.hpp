// Counters every tool reports: a progress line on a TTY, a one-line summary at the end.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kt {

struct Stats {
  int64_t in = 0;             // input records read (good and bad)
  int64_t out = 0;            // outputs sent
  int64_t skipped = 0;        // bad records skipped (--on-error skip)
  int64_t dead_lettered = 0;  // bad records sent to --dlq
  // Records the broker did not take (outputs within `out`, state); not those a recovery sent again.
  int64_t delivery_errors = 0;
  int64_t bytes_in = 0;  // value bytes read
  int64_t start_ms = 0;

  // "kmap: 1000 in, 998 out, 1 skipped, 1 dead-lettered, 0.52 s, 1923 rec/s, 0.3 MB/s"; after
  // "out", "(N deliveries failed)" when some did.
  std::string Summary(const std::string& tool, int64_t now_ms) const;
  // {"tool":"kmap","in":1000,"out":998,"skipped":1,"dead_lettered":1,"delivery_errors":0,"bytes_in":...,
  //  "duration_ms":520,"records_per_s":1923,<extra counters>,"lag":N|null,
  //  ["missing_fields":["nubmer"],]"exit":0}
  // `lag`: input records left behind at exit (Kafka inputs), `extra`: the tool's own counters,
  // `missing_fields`: fields its expressions name that no record had (FieldWatch).
  std::string Json(const std::string& tool, int64_t now_ms,
                   const std::vector<std::pair<std::string, int64_t>>& extra, std::optional<int64_t> lag,
                   int exit_code, const std::vector<std::string>& missing_fields = {}) const;
};

}  // namespace kt
