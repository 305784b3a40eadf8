// kproduce's Transform: sets the key (a fixed -k KEY, or --key-field F from the value, by the
// key rule of SEMANTICS.md) and adds -H headers; the value passes through byte for byte.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kt/run/transform.hpp"

namespace kt::kproduce {

struct ProduceOptions {
  std::optional<std::string> key;    // -k
  std::string key_field;             // --key-field
  std::vector<std::string> headers;  // -H name=value
  int32_t partition = -1;            // -p
};

class ProduceTransform : public Transform {
 public:
  static Result<ProduceTransform> Create(const ProduceOptions& options, bool parse_values);

  bool WantsValue() const override { return parse_values_; }
  bool ReadsFields() const override { return !opt_.key_field.empty(); }
  Status Process(Input& in, Emitter& out) override;

 private:
  ProduceOptions opt_;
  bool parse_values_ = true;
  std::vector<std::pair<std::string, std::string>> extra_headers_;
  Headers headers_;  // per record: input headers + extra
  std::string key_buf_;
};

}  // namespace kt::kproduce
