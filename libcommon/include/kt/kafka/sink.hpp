// KafkaSink: an idempotent producer (acks=all, murmur2 partitioning like the Java client).
// Each Send's token comes back through the DeliveryListener when the broker acknowledged the
// record or librdkafka gave up on it.
#pragma once

#include <librdkafka/rdkafka.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "kt/codec/codec.hpp"
#include "kt/core/record_pack.hpp"
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
  // The caller created or found `topic` a moment ago (a tool's output topic): Open waits for its
  // leaders even when the broker's metadata does not list it yet. A broker answers CreateTopics
  // once the controller has committed the topic, and lists it once it has loaded it: a few
  // milliseconds later, more on a busy machine. Records sent meanwhile were refused
  // (NOT_LEADER_FOR_PARTITION) and retried 100 ms later.
  bool topic_exists = false;
  // Settings of a topic it creates (max.message.bytes as the input's).
  Properties topic_configs;
  // The largest record to send (the input's max.message.bytes): message.max.bytes at least
  // that, unless -X sets it.
  int64_t max_record_bytes = 0;
  // The tool's own topic (a repartition topic): written lz4-compressed unless -X says otherwise
  // (the broker stores and serves the batches as they are), and, when it exists at Open, with
  // the records bound for one partition packed into one message (core/record_pack.hpp) of at
  // most kPackBytes, sent once full, kPackLingerMs after its first record, or at a Flush
  // (bench/README, issue 30).
  bool internal_topic = false;
};

// A delivery report's error as a Status: Unavailable for what a broker outage causes (the
// record was not written; written again after a rewind), Fenced for a fenced producer, Aborted
// for a record purged with its transaction, KafkaError otherwise.
Status DeliveryError(rd_kafka_resp_err_t err, const std::string& what);

class KafkaSink : public Sink {
 public:
  static constexpr size_t kPackBytes = 64 * 1024;
  static constexpr int64_t kPackLingerMs = 5;

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
  bool WritesToKafka() const override { return true; }

  // A new producer in place of this one (fenced): what the old one still held comes back
  // through the listener as aborted (purged), then the new one is opened with the same config
  // and transactional.id.
  Status Renew();

  rd_kafka_t* handle() { return rk_; }
  const std::string& tool() const { return opt_.tool; }

 private:
  static void DeliveryCb(rd_kafka_t* rk, const rd_kafka_message_t* m, void* opaque);
  rd_kafka_topic_t* TopicFor(std::string_view name);
  // Produces one message; false with *error set when librdkafka refused it.
  bool Produce(rd_kafka_topic_t* rkt, int32_t partition, std::optional<std::string_view> key,
               std::optional<std::string_view> value, int64_t timestamp, rd_kafka_headers_t* hdrs,
               void* opaque, Status* error);
  // Packs (KafkaSinkOptions::internal_topic): AddToPack adds a record to its partition's pack,
  // sent when it is full; SendPack sends one, SendPacks every one older than `age_ms`.
  // A pack librdkafka refuses fails every record in it, through the listener but for
  // `sending` (the record whose Send it is: that Send returns the error).
  struct Pack {
    PackWriter writer;
    std::vector<DeliveryToken*> tokens;
    int64_t timestamp = 0;  // the message's: its newest record's (retention by time keeps all of them)
    int64_t since_ms = 0;   // when its first record came
  };
  struct SentPack {  // a pack's delivery opaque (tagged: DeliveryCb tells it from a token)
    std::vector<DeliveryToken*> tokens;
  };
  Status AddToPack(int32_t partition, std::optional<std::string_view> key,
                   std::optional<std::string_view> value, int64_t timestamp, const Headers* headers,
                   DeliveryToken* token);
  Status SendPack(int32_t partition, DeliveryToken* sending);
  Status SendPacks(int64_t age_ms);
  // Every record in a pack not yet sent comes back as purged.
  void DropPacks();
  // Waits for leaders_, if it runs: before the first record, a new producer, or the producer's end.
  void AwaitLeaders() {
    if (leaders_.joinable()) [[unlikely]]
      leaders_.join();
  }

  KafkaSinkOptions opt_;
  // Packs sent and not yet reported (DeliveryCb frees them): declared before client_, so that
  // they outlive the producer and whatever reports it makes as it goes.
  std::map<SentPack*, std::unique_ptr<SentPack>> in_flight_;
  KafkaClient client_;
  rd_kafka_t* rk_ = nullptr;  // client_'s handle
  DeliveryListener* listener_ = nullptr;
  std::unordered_map<std::string, rd_kafka_topic_t*> topics_;
  std::string last_name_;  // the topic of the last TopicFor, looked up without a key string
  rd_kafka_topic_t* last_topic_ = nullptr;
  std::string json_, key_scratch_, value_scratch_, partition_key_scratch_;
  std::vector<Pack> packs_;        // by partition of opt_.topic; empty: not packing
  int32_t output_partitions_ = 0;  // of opt_.topic when Open listed it; 0: not known
  size_t pack_bytes_ = kPackBytes;
  int64_t max_bytes_ = 1000000;     // message.max.bytes
  bool warned_epoch_zero_ = false;  // RD_KAFKA_V_TIMESTAMP(0) means now: said once per run
  // AwaitTopicLeaders of the output topic, started by Open: the source starts meanwhile (a new
  // 16-partition topic's leaders take ~50 ms to answer). Uses rk_ only; joined by AwaitLeaders.
  std::thread leaders_;
};

}  // namespace kt
