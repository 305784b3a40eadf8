// The fields a run's expressions name, checked against the records it reads. A field that no
// record had is almost always a typo ('nubmer' for 'number'): every comparison with it was
// null, so a filter passed nothing or a --by dropped every record, silently. At the end of the
// run the Runner reports each such field with the closest field the records did have.
//
// Cost: a field is looked up in each record's top-level object only until a record has it, and
// the fields seen are collected from the first kSampleRecords objects; a run whose fields all
// appear early pays nothing after that.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "kt/core/json.hpp"

namespace kt {

class FieldWatch {
 public:
  FieldWatch() = default;
  explicit FieldWatch(const std::vector<std::string>& fields) : unseen_(fields) {}

  // Whether Observe has anything to do.
  bool Watching() const { return !unseen_.empty(); }
  // One record's parsed value (anything but an object is not counted).
  void Observe(const rapidjson::Value& value);

  // The fields no record had, when at least one record was an object.
  std::vector<std::string> Missing() const { return objects_ > 0 ? unseen_ : std::vector<std::string>{}; }
  // "field 'nubmer' was in none of the 2000 records (did you mean 'number'?)", one per field.
  std::vector<std::string> Messages() const;

 private:
  static constexpr int64_t kSampleRecords = 1000;
  static constexpr size_t kMaxSeen = 512;
  std::vector<std::string> unseen_;
  std::set<std::string> seen_;  // top-level fields of the sampled records
  int64_t objects_ = 0;
};

}  // namespace kt
