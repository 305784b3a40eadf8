// Sinks: a Kafka producer or NDJSON on stdout.
#pragma once

#include <string_view>

#include "kt/core/record.hpp"
#include "kt/core/status.hpp"

namespace kt {

// Where a record was written: its topic, partition and offset (-1 when the sink has none).
struct Delivered {
  std::string_view topic;
  int32_t partition = -1;
  int64_t offset = -1;
};

// Receives the fate of every sent record, from inside Sink::Poll/Flush/Send (same thread).
class DeliveryListener {
 public:
  virtual ~DeliveryListener() = default;
  virtual void OnDelivered(void* token, const Status& status, const Delivered& where) = 0;
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual Status Open(DeliveryListener* listener) = 0;
  // Queues `rec`; `token` comes back through DeliveryListener::OnDelivered exactly once when
  // Send returns ok. A non-ok return (e.g. a value the codec cannot encode) means no callback.
  // When `rec.wire` is set key/value are sent as bytes, bypassing codecs (dead letters).
  virtual Status Send(const OutRecord& rec, void* token) = 0;
  // Serves delivery reports; stdout writes its buffer.
  virtual void Poll() = 0;
  // Waits until every queued record is acknowledged or failed.
  virtual Status Flush(int timeout_ms) = 0;
  // stdout's reader went away (EPIPE): a normal end.
  virtual bool Closed() const { return false; }
  // The largest record the sink takes (key, value and headers), or -1 when unbounded.
  virtual int64_t MaxRecordBytes() const { return -1; }
};

}  // namespace kt
