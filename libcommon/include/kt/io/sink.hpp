// Sinks: a Kafka producer or NDJSON on stdout.
#pragma once

#include <cstdint>
#include <string_view>

#include "kt/core/record.hpp"
#include "kt/core/status.hpp"

namespace kt {

// The Runner's handle on one record it sent: given to Sink::Send with the record, handed back
// with the record's delivery report. Sinks carry it and never look inside; its kind tells the
// Runner what the acknowledgement settles. Owned by the Runner, alive until its report.
struct DeliveryToken {
  enum class Kind : uint8_t {
    kRecord,    // an output or dead letter of one input record (its OffsetTracker entry)
    kInternal,  // an internal record (changelog): its offset becomes its store's checkpoint
    kHeld,      // one output on behalf of records held back (Emitter::EmitHeld)
  };
  explicit DeliveryToken(Kind k) : kind(k) {}
  Kind kind;
};

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
  virtual void OnDelivered(DeliveryToken* token, const Status& status, const Delivered& where) = 0;
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual Status Open(DeliveryListener* listener) = 0;
  // Queues `rec`; `token` comes back through DeliveryListener::OnDelivered exactly once when
  // Send returns ok. A non-ok return (e.g. a value the codec cannot encode) means no callback.
  // When `rec.wire` is set key/value are sent as bytes, bypassing codecs (dead letters).
  virtual Status Send(const OutRecord& rec, DeliveryToken* token) = 0;
  // Serves delivery reports; stdout writes its buffer.
  virtual void Poll() = 0;
  // Waits until every queued record is acknowledged or failed.
  virtual Status Flush(int timeout_ms) = 0;
  // Gives up every record not yet acknowledged: each comes back through the listener at once,
  // failed (Aborted). Their fate at the broker is unknown (a record in flight may be written).
  virtual void Purge() {}
  // stdout's reader went away (EPIPE): a normal end.
  virtual bool Closed() const { return false; }
  // The largest record the sink takes (key, value and headers), or -1 when unbounded.
  virtual int64_t MaxRecordBytes() const { return -1; }
  // May send an input's value on as its bytes (OutRecord::ValueIsInputs), and makes its text
  // only when it does not (OutRecord::Text): worth a Source leaving that text unmade.
  virtual bool MayKeepInputValues() const { return false; }
  // Writes to Kafka (its Flush waits for the broker), not to stdout: for a stop's notice.
  virtual bool WritesToKafka() const { return false; }
};

}  // namespace kt
