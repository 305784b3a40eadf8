// ktopic stats: what a topic holds, measured by reading all of it once: records, tombstones,
// key and value bytes, distinct keys (a set of 64-bit key hashes: about 40 bytes a key), the
// timestamp range, the shape of the values (JSON objects and their top-level fields with types,
// other JSON, not JSON) and a sample of the first records of the lowest partitions.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "topic_read.hpp"

namespace kt::ktopic {

class TopicStats {
 public:
  TopicStats(std::string topic, int partitions, size_t sample)
      : topic_(std::move(topic)), partitions_(partitions), sample_(sample) {}
  void Add(const TopicRecord& r);
  // One JSON object (compact).
  std::string ToJson() const;

 private:
  struct Field {
    int64_t count = 0;
    std::set<std::string> types;
  };
  std::string topic_;
  int partitions_;
  size_t sample_;
  int64_t records_ = 0, tombstones_ = 0, key_bytes_ = 0, value_bytes_ = 0, null_keys_ = 0;
  int64_t min_ts_ = std::numeric_limits<int64_t>::max(), max_ts_ = std::numeric_limits<int64_t>::min();
  std::unordered_set<uint64_t> keys_;
  int64_t objects_ = 0, other_json_ = 0, not_json_ = 0;
  std::map<std::string, Field> fields_;
  std::map<int32_t, std::vector<std::string>> samples_;  // per partition, the first `sample_`, as JSON
};

}  // namespace kt::ktopic
