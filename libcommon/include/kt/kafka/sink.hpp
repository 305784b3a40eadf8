// KafkaSink: an idempotent producer (acks=all, murmur2 partitioning like the Java client).
// Each Send's token comes back through the DeliveryListener when the broker acknowledged the
// record or librdkafka gave up on it.
#pragma once

#include <librdkafka/rdkafka.h>

#include <string>
#include <unordered_map>

#include "kt/codec/codec.hpp"
#include "kt/io/sink.hpp"
#include "kt/kafka/client.hpp"

namespace kt {

struct KafkaSinkOptions {
  std::string tool;
  std::string topic;  // default topic for records without one
  Codec key_codec;
  Codec value_codec;
  bool verbose = false;
  // Exactly-once: a transactional producer with this transactional.id (see KafkaTransactions).
  std::string transactional_id;
  int transaction_timeout_ms = 10000;
  // Open creates `topic` at once when it is missing and the broker would auto-create it
  // (CreateAsAutoCreated): no second lost to the producer's auto-creation retries.
  bool create_missing = false;
  // Settings of a topic it creates (max.message.bytes as the input's).
  Properties topic_configs;
  // The largest record to send (the input's max.message.bytes): message.max.bytes at least
  // that, unless -X sets it.
  int64_t max_record_bytes = 0;
  // The tool's own topic (a repartition topic): written lz4-compressed unless -X says otherwise;
  // the broker stores and serves the batches as they are (bench/README, issue 30).
  bool internal_topic = false;
};

// A delivery report's error as a Status: Unavailable for what a broker outage causes (the
// record was not written; written again after a rewind), Fenced for a fenced producer, Aborted
// for a record purged with its transaction, KafkaError otherwise.
Status DeliveryError(rd_kafka_resp_err_t err, const std::string& what);

class KafkaSink : public Sink {
 public:
  KafkaSink(KafkaConfig cfg, KafkaSinkOptions options);
  ~KafkaSink() override;
  KafkaSink(const KafkaSink&) = delete;
  KafkaSink& operator=(const KafkaSink&) = delete;

  Status Open(DeliveryListener* listener) override;
  Status Send(const OutRecord& rec, DeliveryToken* token) override;
  void Poll() override;
  Status Flush(int timeout_ms) override;
  void Purge() override;
  int64_t MaxRecordBytes() const override { return max_bytes_; }
  bool MayKeepInputValues() const override { return opt_.value_codec.DecodesBinary(); }

  // A new producer in place of this one (fenced): what the old one still held comes back
  // through the listener as aborted (purged), then the new one is opened with the same config
  // and transactional.id.
  Status Renew();

  rd_kafka_t* handle() { return rk_; }
  const std::string& tool() const { return opt_.tool; }

 private:
  static void DeliveryCb(rd_kafka_t* rk, const rd_kafka_message_t* m, void* opaque);
  rd_kafka_topic_t* TopicFor(std::string_view name);

  KafkaSinkOptions opt_;
  KafkaClient client_;
  rd_kafka_t* rk_ = nullptr;  // client_'s handle
  DeliveryListener* listener_ = nullptr;
  std::unordered_map<std::string, rd_kafka_topic_t*> topics_;
  std::string last_name_;  // the topic of the last TopicFor, looked up without a key string
  rd_kafka_topic_t* last_topic_ = nullptr;
  std::string json_, key_scratch_, value_scratch_;
  int64_t max_bytes_ = 1000000;     // message.max.bytes
  bool warned_epoch_zero_ = false;  // RD_KAFKA_V_TIMESTAMP(0) means now: said once per run
};

}  // namespace kt
