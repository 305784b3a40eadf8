#include "kt/state/changelog.hpp"

#include <unistd.h>

#include "kt/kafka/admin.hpp"

namespace kt {

Changelog::Changelog(KafkaConfig cfg, std::string topic, std::string tool, bool verbose)
    : cfg_(cfg), topic_(std::move(topic)), tool_(tool), client_(std::move(cfg), std::move(tool), verbose) {}

Changelog::~Changelog() = default;

Status Changelog::Connect() {
  if (rk_) return Status::Ok();
  Status s = client_.Create(RD_KAFKA_CONSUMER, "restore consumer", {{"client.id", tool_ + "-restore"}},
                            {{"group.id", tool_ + "-restore-" + std::to_string(getpid())},
                             {"enable.auto.commit", "false"},
                             {"enable.partition.eof", "true"},
                             {"auto.offset.reset", "earliest"},
                             {"isolation.level", "read_committed"}});
  if (!s.ok()) return s;
  rk_ = client_.get();
  return Status::Ok();
}

Status Changelog::Ensure(int partitions) {
  bool created = false;
  Status s = EnsureTopic(cfg_, topic_, partitions, 1, tool_, &created,
                         {{"cleanup.policy", "compact"}});
  if (s.IsInvalidArgument())
    return Status::KafkaError("changelog " + s.message() + ", but the input has " + std::to_string(partitions) +
                              ": state and input must be co-partitioned (use another --group, or delete the "
                              "changelog topic to start the state afresh)");
  return s;
}

Result<int64_t> Changelog::EndOffset(int32_t p) {
  if (Status s = Connect(); !s.ok()) return s;
  int64_t lo = 0, hi = 0;
  rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(rk_, topic_.c_str(), p, &lo, &hi, kMetadataTimeoutMs);
  if (e == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || e == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION) return int64_t{0};
  if (e) return Status::KafkaError("changelog " + topic_ + " [" + std::to_string(p) + "]: " + rd_kafka_err2str(e));
  return hi;
}

Result<int64_t> Changelog::Restore(int32_t p, int64_t from, StateStore* store) {
  auto end = EndOffset(p);
  if (!end.ok()) return end.status();
  if (from >= *end) return int64_t{0};
  rd_kafka_topic_partition_list_t* l = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(l, topic_.c_str(), p)->offset = from < 0 ? RD_KAFKA_OFFSET_BEGINNING : from;
  rd_kafka_assign(rk_, l);
  rd_kafka_topic_partition_list_destroy(l);
  int64_t applied = 0, last = from - 1;
  Status result;
  while (last + 1 < *end) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk_, 1000);
    if (!m) continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      rd_kafka_message_destroy(m);
      break;  // compaction or aborted transactions may leave gaps before the end offset
    }
    if (m->err) {
      result = Status::KafkaError("restoring " + topic_ + " [" + std::to_string(p) + "]: " + rd_kafka_message_errstr(m));
      rd_kafka_message_destroy(m);
      break;
    }
    std::string_view key(static_cast<const char*>(m->key), m->key_len);
    if (m->payload) store->Put(key, std::string_view(static_cast<const char*>(m->payload), m->len));
    else store->Delete(key);
    last = m->offset;
    ++applied;
    rd_kafka_message_destroy(m);
  }
  rd_kafka_assign(rk_, nullptr);
  if (!result.ok()) return result;
  if (Status s = store->Commit(*end - 1); !s.ok()) return s;
  return applied;
}

}  // namespace kt
