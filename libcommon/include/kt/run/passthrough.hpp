// A Transform that passes every record on unchanged (kconsume, kgen). With `parse_values` the
// Runner parses each value (so a bad one follows --on-error) and the parsed document is what
// is emitted (the stdout sink can then pretty-print it without parsing again).
#pragma once

#include "kt/run/transform.hpp"

namespace kt {

class PassThrough : public Transform {
 public:
  explicit PassThrough(bool parse_values) : parse_values_(parse_values) {}
  bool WantsValue() const override { return parse_values_; }
  Status Process(Input& in, Emitter& out) override {
    OutRecord o = OutRecord::From(in.record);
    if (in.value && parse_values_) {
      o.value_kind = OutRecord::ValueKind::kJson;
      o.value_json = in.value;
    }
    out.Emit(o);
    return Status::Ok();
  }

 private:
  bool parse_values_;
};

}  // namespace kt
