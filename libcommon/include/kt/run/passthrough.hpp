// A Transform that passes every record on unchanged (kconsume, kgen). Values are not parsed:
// the Runner still validates JSON values (a bad one follows --on-error), and the sink writes
// the text as it came (the stdout sink parses only to indent for --pretty, or to join a value
// written over several lines into one NDJSON line).
#pragma once

#include "kt/run/transform.hpp"

namespace kt {

class PassThrough : public Transform {
 public:
  bool WantsValue() const override { return false; }
  Status Process(Input& in, Emitter& out) override {
    out.Emit(OutRecord::From(in.record));
    return Status::Ok();
  }
};

}  // namespace kt
