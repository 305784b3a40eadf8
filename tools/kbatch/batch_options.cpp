#include "batch_options.hpp"

#include <CLI/CLI.hpp>

#include "kt/codec/codec.hpp"
#include "kt/core/time.hpp"

namespace kt::kbatch {

void AddBatchFlags(CLI::App& app, BatchFlags& f) {
  app.add_option("--max", f.max, "Records per batch (N > 0)")->required();
  app.add_option("--within", f.within,
                 "Write a batch this long after its first record (wall time), even if not full");
  app.add_option("--max-bytes", f.max_bytes, "Write a batch once its values reach this many bytes")
      ->each([&f](const std::string&) { f.max_bytes_given = true; });
  app.add_option("--as", f.as,
                 "array: a JSON array of the values (default); lines: their NDJSON lines in one value")
      ->check(CLI::IsMember({"array", "lines"}));
  app.add_option("--by", f.by, "One batch per key of this expression (the output's key), e.g. user");
  app.add_option("--seed", f.seed, "Seed for random() in --by")->capture_default_str();
}

Result<BatchOptions> ResolveBatchFlags(const BatchFlags& f, const std::string& value_format) {
  BatchOptions opt;
  if (f.max <= 0)
    return Status::InvalidArgument("--max must be a positive number of records, not " +
                                   std::to_string(f.max));
  opt.max = f.max;
  if (f.max_bytes_given) {
    if (f.max_bytes <= 0)
      return Status::InvalidArgument("--max-bytes must be positive, not " + std::to_string(f.max_bytes));
    opt.max_bytes = f.max_bytes;
  }
  if (!f.within.empty()) {
    auto d = ParseDuration(f.within);
    if (!d.ok()) return Status::InvalidArgument("--within: " + d.status().message());
    if (*d <= 0) return Status::InvalidArgument("--within must be positive");
    opt.within_ms = *d;
  }
  if (!f.by.empty()) {
    auto e = expr::Expr::Parse(f.by);
    if (!e.ok()) return Status::InvalidArgument("--by: " + e.status().message());
    opt.by = std::move(*e);
  }
  opt.lines = f.as == "lines";
  auto codec = Codec::Parse(value_format);
  opt.json_values = codec.ok() && codec->IsJson();  // json, json|binary, avro, jsonschema
  opt.seed = f.seed;
  return opt;
}

}  // namespace kt::kbatch
