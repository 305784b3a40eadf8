// librdkafka handles built from a KafkaConfig, and checks shared by sources and sinks.
#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>
#include <string>

#include "kt/kafka/config.hpp"
#include "kt/core/status.hpp"

namespace kt {

constexpr int kMetadataTimeoutMs = 10000;

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaDeleter>;

// A conf with, in order: `defaults`, the user's properties (-F file, -X), then `forced`
// (settings the tool's guarantees depend on). bootstrap.servers comes from cfg.brokers.
// librdkafka's own log lines go to stderr as "<client.id>: kafka: ..." only with `verbose`:
// problems that matter reach the user through error callbacks and the tools' own checks, and
// -X properties meant for the consumer would otherwise draw warnings from the producer.
Result<rd_kafka_conf_t*> BuildKafkaConf(const KafkaConfig& cfg, const Properties& defaults,
                                        const Properties& forced, bool verbose = false);

// Waits for broker metadata. With `topic` non-empty also reports whether it exists and its
// partition count (0 when missing). Unreachable brokers give a KafkaError naming them.
// The lookup asks for all topics, so it never auto-creates `topic` (a producer's request for one
// topic would, on brokers with auto.create.topics.enable).
Status FetchMetadata(rd_kafka_t* rk, const KafkaConfig& cfg, const std::string& topic,
                     int* partition_count);

}  // namespace kt
