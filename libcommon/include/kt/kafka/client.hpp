// librdkafka handles built from a KafkaConfig, and checks shared by sources and sinks.
#pragma once

#include <librdkafka/rdkafka.h>

#include <functional>
#include <string>
#include <vector>

#include "kt/core/status.hpp"
#include "kt/kafka/config.hpp"

namespace kt {

constexpr int kMetadataTimeoutMs = 10000;
constexpr int kReachTimeoutMs = 5000;  // how long a first contact waits for an unreachable broker
// How long a group member that is closed while its first join is under way is let finish it:
// librdkafka 2.0 aborts destroying a cooperative-sticky member that has joined and not yet been
// given an assignment (its assignor state is still null; librdkafka#4312, fixed in 2.3). A join
// waits for the group's other members to join again, one that died included until its session
// times out (45 s).
constexpr int kJoinWaitMs = 60000;
// How long closing a consumer may take before it is left behind (KafkaClient::CloseConsumer).
constexpr int kCloseWaitMs = 120000;
// Whether consumer `rk` has had a JoinGroup answer: the group chose its assignor (librdkafka's
// rebalance protocol is no longer NONE). It keeps it when the group later drops the member
// (Unknown member: its member id is cleared, and it joins again), as after a long stop.
bool HasJoined(rd_kafka_t* rk);
// Consumer `rk`, about to close: while it has joined (HasJoined) and `*synced` (set by its
// rebalance callback) is false, its first join is under way; polls until it finishes, at most
// kJoinWaitMs.
void FinishFirstJoin(rd_kafka_t* rk, const bool* synced);
// Consumer `rk` (a dynamic member), about to close: leaves its group and serves its rebalance
// callback until its assignment is empty (at most 5 s). librdkafka 2.0 can hang in, or leave the
// group silently from, a close made while a rebalance hands this member an assignment
// (librdkafka#4527, #4884): the group then waits out its session timeout (45 s). The queue is
// served before the first look: an assignment handed over just before (the assignment still
// empty) waits there for its assign call.
void LeaveGroup(rd_kafka_t* rk);
// Whether consumer `rk` is in a group under the cooperative protocol (false once it is closing).
bool IsCooperative(rd_kafka_t* rk);
// In a rebalance callback of consumer `rk`: takes the partitions assigned, or gives back those
// revoked or lost, incrementally under the cooperative protocol, the whole assignment under the
// eager one (and once the consumer is closing, when librdkafka names no protocol).
void TakeAssigned(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* parts);
void GiveBack(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* parts);

// A conf with, in order: `defaults`, the user's properties (-F file, -X), then `forced`
// (settings the tool's guarantees depend on). bootstrap.servers comes from cfg.brokers.
// librdkafka's own log lines go to stderr as "<client.id>: kafka: ..." only with `verbose`:
// problems that matter reach the user through error callbacks and the tools' own checks, and
// -X properties meant for the consumer would otherwise draw warnings from the producer.
// Errors name the property; the values of secret properties are never shown.
Result<rd_kafka_conf_t*> BuildKafkaConf(const KafkaConfig& cfg, const Properties& defaults,
                                        const Properties& forced, bool verbose = false);

// One librdkafka handle, as every ktools client (sources, sinks, the changelog reader, admin
// requests) makes it: client.id is the tool, the configuration comes from BuildKafkaConf, and
// one error callback keeps the first fatal error (fatal()) and shows others as warnings (all
// brokers down always, the rest with -v). A consumer handle polls its events on the consumer
// queue and leaves its group (CloseConsumer) before the handle is destroyed.
class KafkaClient {
 public:
  KafkaClient(KafkaConfig cfg, std::string tool, bool verbose);
  ~KafkaClient();
  KafkaClient(const KafkaClient&) = delete;
  KafkaClient& operator=(const KafkaClient&) = delete;

  // Creates the handle. `owner` is what callbacks added by `setup` (delivery reports,
  // rebalances) get back from Owner(opaque). `what` names the client in messages
  // ("consumer", "producer", "restore consumer").
  Status Create(rd_kafka_type_t type, const std::string& what, const Properties& defaults,
                const Properties& forced, void* owner = nullptr,
                const std::function<void(rd_kafka_conf_t*)>& setup = {});
  // REQUIRES: `opaque` is a callback's opaque of a handle made by Create.
  static void* Owner(void* opaque);

  rd_kafka_t* get() const { return rk_; }
  const KafkaConfig& config() const { return cfg_; }
  const std::string& tool() const { return tool_; }
  bool verbose() const { return verbose_; }
  // The broker refused this client's credentials (SASL), naming the mechanism and the user, or ok.
  const Status& auth_error() const { return auth_error_; }
  // librdkafka's fatal error of the handle as a Status (asked now, before its event is served):
  // Fenced for a fenced producer, a clear "not authorized" for a missing cluster or
  // transactional id ACL; ok when there is none.
  Status FatalError() const;
  // Serves the handle's error events now (authentication failures come as one).
  void ServeErrors();
  // Serves them without showing any: what happened while an idle handle waited to be used
  // again (a broker restart) is history. Fatal and authentication errors are still kept.
  void DropStaleErrors();
  // The KafkaClient of a handle Create made.
  static KafkaClient* Of(rd_kafka_t* rk) { return static_cast<KafkaClient*>(rd_kafka_opaque(rk)); }
  // The first fatal error librdkafka reported, or ok: Fenced for a fenced producer.
  const Status& fatal() const { return fatal_; }
  // Consumers: leaves the group and stops fetching. Idempotent; the destructor calls it. A close
  // that hangs (kCloseWaitMs) leaves the handle behind: get() is null afterwards.
  // `synced` false: the consumer subscribed and no rebalance callback came. Its JoinGroup answer
  // may have come just before the close (after FinishFirstJoin looked), and librdkafka before
  // 2.3 aborts destroying a cooperative-sticky member that has joined and was not yet assigned
  // (librdkafka#4381). Such a handle is closed and kept, not destroyed, until the process exits.
  void CloseConsumer(bool synced = true);
  // Destroys the handle (a producer's queued and in-flight records come back purged, through
  // its delivery callback) and forgets its fatal error; Create makes a new one.
  void Reset();

 private:
  static void ErrorCb(rd_kafka_t* rk, int err, const char* reason, void* opaque);

  KafkaConfig cfg_;
  std::string tool_;
  bool verbose_;
  std::string what_;
  rd_kafka_t* rk_ = nullptr;
  rd_kafka_type_t type_ = RD_KAFKA_PRODUCER;
  void* owner_ = nullptr;
  bool closed_ = false;
  bool quiet_ = false;  // DropStaleErrors
  Status fatal_;
  Status auth_error_;
};

// The process's admin client for `cfg` and `tool` (a producer handle that never produces):
// made on first use and kept, shared by every admin request of the process (topic and group
// lookups, topic creation), until it exits. A tool's start makes several such requests (a
// stateful tool with a repartition stage about ten); each used to open a client of its own: a
// TCP connection, ApiVersions and metadata, 5-10 ms on loopback, 35-80 ms on a SASL_SSL
// listener (TLS handshake and SCRAM exchange). Every call reaches the broker before it returns
// (FetchMetadata: one round trip on an open connection): an unreachable broker, or one that
// refuses the credentials, is reported as at a first contact, and a client that never
// connected is not kept. Errors from while the client was idle are not shown. Thread-safe:
// admin requests wait on queues of their own (admin_request.hpp).
Result<KafkaClient*> SharedAdmin(const KafkaConfig& cfg, const std::string& tool);

// Waits for broker metadata. With `topic` non-empty also reports whether it exists and its
// partition count (0 when missing). Brokers that do not answer within kReachTimeoutMs give a
// KafkaError naming them and where they came from; credentials the broker refuses give at once
// "authentication failed", naming the mechanism and the user; a topic the user may not
// describe, "not authorized".
// The lookup never auto-creates `topic`: it names the topic alone only on a client whose
// allow.auto.create.topics is false (a consumer, the admin client), and asks for all topics on
// others (a producer's request for one topic would create it on brokers with
// auto.create.topics.enable). `names`, when given, gets the name of every topic the broker lists.
Status FetchMetadata(rd_kafka_t* rk, const KafkaConfig& cfg, const std::string& topic, int* partition_count,
                     std::vector<std::string>* names = nullptr);
// " (user 'alice')" for messages, or "" without SASL.
std::string UserOf(const KafkaConfig& cfg);
// Waits, up to kMetadataTimeoutMs, until `rk` sees `topic` with a leader for every partition
// and each of them answers as leader (a ListOffsets), and returns whether they do. A
// producer's first record to a topic created a moment ago otherwise waits for librdkafka's
// next metadata refresh (0.1-0.5 s of a one-liner), or 100 ms (retry.backoff.ms) after a
// NOT_LEADER_FOR_PARTITION from a leader that has not taken the partition on yet: the broker
// loads a new topic's partitions one after another, and the metadata names their leader
// first (kfilter of 1,000 records into a new 16-partition topic on a broker just started:
// 0.18 -> 0.08 s; the answers are waited for 2 s at most). Creating a topic does not wait for
// this itself: a run's first output to stdout came 40 ms later when the creation of its
// changelogs waited. For a topic known to exist only: a producer's request for one missing
// topic may auto-create it. `partitions`, when given, gets the topic's partition count once the
// metadata lists it (else 0).
bool AwaitTopicLeaders(rd_kafka_t* rk, const std::string& topic, int* partitions = nullptr);

// rd_kafka_offsets_for_times: each partition's offset for the timestamp in its `offset` (-2: the
// log's start, -1: its end), retried for up to `timeout_ms` while a leader does not know
// it leads yet. librdkafka 2.0 does not retry ListOffsets, and a topic created a moment ago
// answers NOT_LEADER_FOR_PARTITION for its first milliseconds (14 of 15 `ktopic create` +
// `kconsume -e` runs did). Returns the last general error; per-partition ones stay in `err`.
rd_kafka_resp_err_t OffsetsForTimes(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* parts,
                                    int timeout_ms = kMetadataTimeoutMs);

// rd_kafka_query_watermark_offsets, retried as OffsetsForTimes is while the partition's leader
// does not know it leads yet (a changelog created a moment ago: a stateful stage's first start
// failed on it when its consumer was quicker than the broker).
rd_kafka_resp_err_t QueryWatermarks(rd_kafka_t* rk, const std::string& topic, int32_t partition, int64_t* low,
                                    int64_t* high);

// This copy of a tool among others: "<host>-<pid>", in every client.id it sets (so that
// DescribeGroups tells copies apart: --http's state routing, --standbys).
std::string CopyToken();

// When a client of this process last had a broker connection up (epoch ms; 0: never). Known
// only where statistics.interval.ms is set (--http sets it): the callback that sees it is
// librdkafka's statistics.
int64_t LastBrokerContactMs();

// Whether a blocking call's answer is that its time ran out: what AskAgainAfterStop
// (kt/core/deadline.hpp) asks again when the process was stopped meanwhile.
inline bool TimedOut(rd_kafka_resp_err_t e) { return e == RD_KAFKA_RESP_ERR__TIMED_OUT; }

// Whether `rk` talks to librdkafka's mock cluster (kbroker; its cluster id starts with
// "mockCluster"). It has no DescribeGroups or ListGroups, and a DescribeGroups that fails costs
// 5 s in librdkafka 2.0 (the admin handle's destroy waits for it).
bool IsMockCluster(rd_kafka_t* rk);

}  // namespace kt
