// kbatch's own flags and the BatchOptions they resolve to.
#pragma once

#include <string>

#include "batch_transform.hpp"
#include "kt/run/cli_fwd.hpp"

namespace kt::kbatch {

struct BatchFlags {
  int64_t max = 0;
  std::string within, as = "array", by;
  int64_t max_bytes = 0;
  bool max_bytes_given = false;
  uint64_t seed = 0;
};

void AddBatchFlags(CLI::App& app, BatchFlags& f);

// `value_format` is the value codec: JSON values go into the batch as they are, others as
// strings. Usage errors (InvalidArgument) name the flag.
Result<BatchOptions> ResolveBatchFlags(const BatchFlags& f, const std::string& value_format);

}  // namespace kt::kbatch
