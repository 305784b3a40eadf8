// Dead letters (--on-error dlq): a bad record's bytes as they were read, with why and where in
// kt.* headers (kt.error, kt.tool, kt.source.topic/partition/offset or kt.source.line), written
// to the dead-letter topic. One too large for that topic is cut to fit (kt.truncated: the
// original value's size), so that one oversized record cannot wedge a pipeline. A value its
// source kept only the first bytes of (Record::wire_value_size) carries kt.truncated too.
#pragma once

#include <string>

#include "kt/core/record.hpp"
#include "kt/core/status.hpp"
#include "kt/io/sink.hpp"

namespace kt {

class DeadLetterWriter {
 public:
  // `sink` (not owned) is the Kafka producer the dead letters go through; `topic` is --dlq.
  DeadLetterWriter(std::string tool, std::string topic, Sink* sink)
      : tool_(std::move(tool)), topic_(std::move(topic)), sink_(sink) {}

  // Sends the dead letter of `rec`, which `error` made bad. When ok, `token` comes back with
  // its delivery report; otherwise nothing was sent.
  Status Send(const Record& rec, const Status& error, DeliveryToken* token);

 private:
  std::string tool_, topic_;
  Sink* sink_;
};

}  // namespace kt
