// kmap's Transform: reshapes JSON object values. Steps run in this order for every record:
// --keep (only these top-level fields remain), --drop, --rename old=new. Field order is kept.
// Tombstones pass through unchanged; a non-object value with a step to apply is a bad record.
#pragma once

#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "kt/transform.hpp"

namespace kt {

struct MapOptions {
  std::vector<std::string> keep;
  std::vector<std::string> drop;
  std::vector<std::string> rename;  // "old=new"
};

class MapTransform : public Transform {
 public:
  static Result<MapTransform> Create(const MapOptions& options);

  bool WantsValue() const override { return !passthrough_; }
  Status Process(Input& in, Emitter& out) override;

 private:
  bool passthrough_ = true;
  std::unordered_set<std::string> keep_;
  bool has_keep_ = false;
  std::unordered_set<std::string> drop_;
  std::vector<std::pair<std::string, std::string>> rename_;
};

}  // namespace kt
