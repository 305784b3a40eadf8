#include "kt/app/key_turns.hpp"

#include <string_view>

#include "kt/core/murmur2.hpp"

namespace kt {

std::function<bool(const rd_kafka_message_t&)> KeyTurns(const RunPlan& plan, bool keeps_keys,
                                                        std::shared_ptr<const int> output_partitions) {
  // -n: the first N records are the merge's. Key codecs that change the bytes: the producer
  // hashes other bytes than the message's.
  if (!keeps_keys || !plan.kafka_input() || !plan.kafka_output() || plan.output.empty() ||
      plan.outputs.size() > 1 || !plan.more_inputs.empty() || !plan.exit_at_end || plan.count >= 0 ||
      plan.partition_tasks || !plan.key_codec.IsIdentity() || !plan.out_key_codec.IsIdentity())
    return nullptr;
  return [n = std::move(output_partitions)](const rd_kafka_message_t& m) {
    // An empty key is hashed by Java's producer but may reach librdkafka's partitioner as none.
    return *n > 0 && m.key && m.key_len > 0 &&
           Murmur2Partition(std::string_view(static_cast<const char*>(m.key), m.key_len), *n) == m.partition;
  };
}

}  // namespace kt
