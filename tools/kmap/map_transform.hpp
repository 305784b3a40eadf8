// kmap's Transform: a pipeline of steps applied to every record in command-line order:
//   --keep F,..   only these top-level fields remain       --drop F,..   remove fields
//   --rename O=N  rename in place (replaces an existing N)  --set P=EXPR  set field (dotted path)
//   --key EXPR    set the record key (key rules of SEMANTICS.md; null gives a null key)
// Field order is kept. Tombstones pass through (only --key applies). A value that is not a JSON
// object, with a value step to apply, is a bad record.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "kt/expr/expr.hpp"
#include "kt/run/transform.hpp"

namespace kt::kmap {

struct MapStep {
  enum class Kind { kKeep, kDrop, kRename, kSet, kKey };
  Kind kind;
  std::string arg;  // the option's value as given
};

class MapTransform : public Transform {
 public:
  static Result<std::unique_ptr<MapTransform>> Create(const std::vector<MapStep>& steps, uint64_t seed);

  bool WantsValue() const override { return wants_value_; }
  bool ReadsFields() const override {
    return reads_fields_;
  }  // --keep/--drop/--rename/--set, or a --key naming fields
  bool KeepsKeys() const override {
    return std::ranges::none_of(steps_, [](const Step& s) { return s.kind == MapStep::Kind::kKey; });
  }
  Status Process(Input& in, Emitter& out) override;
  // The fields steps read or remove, but not those an earlier step made (--set, --rename's new
  // name).
  RecordNames Names() const override;

 private:
  struct Step {
    MapStep::Kind kind;
    std::unordered_set<std::string> fields;  // keep/drop
    std::string from, to;                    // rename
    std::vector<std::string> path;           // set
    std::unique_ptr<expr::Expr> expr;        // set/key
  };
  Status Apply(const Step& s, Input& in);

  std::vector<Step> steps_;
  bool wants_value_ = false, reads_fields_ = false;
  expr::EvalContext ctx_;
  std::string key_;
  bool key_set_ = false, key_null_ = false;
  explicit MapTransform(uint64_t seed) : ctx_(seed) {}
};

}  // namespace kt::kmap
