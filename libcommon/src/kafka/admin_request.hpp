// One admin request on a temporary queue, waited for (admin.cpp and groups.cpp), and a wait for
// a topic's metadata (admin.cpp, topics.cpp). Internal to libcommon/src/kafka.
#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>
#include <string>

#include "kt/core/deadline.hpp"
#include "kt/kafka/client.hpp"

namespace kt {

struct EventDeleter {
  void operator()(rd_kafka_event_t* e) const { rd_kafka_event_destroy(e); }
};
using Event = std::unique_ptr<rd_kafka_event_t, EventDeleter>;

// Whether librdkafka sends `op` to a group's coordinator, which it looks up first.
constexpr bool ToCoordinator(rd_kafka_admin_op_t op) {
  return op == RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS || op == RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS ||
         op == RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS || op == RD_KAFKA_ADMIN_OP_DELETEGROUPS ||
         op == RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS;
}

// Runs one admin request on a temporary queue and waits for its result event (null: none in
// kMetadataTimeoutMs and 5 s more).
//
// A request to a group's coordinator gets librdkafka's longest timeout (an hour), and only this
// wait bounds it. librdkafka 2.0 aborts the process (the assertion `eonce->refcnt > 0` in
// rd_kafka_enq_once_del_source_return, its issue #4605) when such a request times out while the
// coordinator is being looked up or connected to, and the lookup then succeeds: it frees the
// request's state and reads it again. That happens after a broker outage of more than the
// timeout, and to a copy stopped (SIGSTOP) in its start, which describes its group. A request
// given up here stays with the client: it is sent once the coordinator answers (its result goes
// to a queue nobody reads), or failed when the client is destroyed.
template <typename Request>
inline Event AdminRequest(rd_kafka_t* rk, rd_kafka_admin_op_t op, Request request) {
  char err[256];
  rd_kafka_queue_t* q = rd_kafka_queue_new(rk);
  rd_kafka_AdminOptions_t* opts = rd_kafka_AdminOptions_new(rk, op);
  rd_kafka_AdminOptions_set_request_timeout(opts, ToCoordinator(op) ? 3600 * 1000 : kMetadataTimeoutMs, err,
                                            sizeof err);
  if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS || op == RD_KAFKA_ADMIN_OP_DELETETOPICS)
    rd_kafka_AdminOptions_set_operation_timeout(opts, kMetadataTimeoutMs, err, sizeof err);
  // Asked again when a stop of the process timed it out (kt/core/deadline.hpp).
  Event ev = AskAgainAfterStop(
      [&] {
        request(opts, q);
        return Event(rd_kafka_queue_poll(q, kMetadataTimeoutMs + 5000));
      },
      [](const Event& answer) {
        return !answer || rd_kafka_event_error(answer.get()) == RD_KAFKA_RESP_ERR__TIMED_OUT;
      });
  rd_kafka_AdminOptions_destroy(opts);
  rd_kafka_queue_destroy(q);
  return ev;
}

// The request-level outcome of an admin event: timed out, or the event's own error.
inline Status EventStatus(const Event& ev, const std::string& what) {
  if (!ev) return Status::KafkaError(what + ": timed out");
  if (rd_kafka_event_error(ev.get()))
    return Status::KafkaError(what + ": " + rd_kafka_event_error_string(ev.get()));
  return Status::Ok();
}

// Waits, up to kMetadataTimeoutMs, until the metadata `rk` reads lists `topic` with at least
// `partitions` partitions (at least one when partitions < 0), or, with 0, lists it no more.
// The controller answers CreateTopics and DeleteTopics once it has decided; the brokers' metadata
// follows a moment later (seconds on a loaded machine), and a tool started next (`ktopic create
// t && ktable -i t`) asks a broker. False when it did not settle in that time (admin.cpp).
// `rk` is a KafkaClient's handle (KafkaClient::Of finds its config): every handle is, as
// KafkaClient is the one place that calls rd_kafka_new, and it always sets the opaque.
bool AwaitTopicMetadata(rd_kafka_t* rk, const std::string& topic, int partitions);

}  // namespace kt
