#include "kt/kafka/admin.hpp"

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "admin_request.hpp"
#include "kt/core/deadline.hpp"
#include "kt/core/log.hpp"
#include "kt/kafka/client.hpp"
#include "kt/kafka/kbroker_control.hpp"

namespace kt {

namespace {

// librdkafka 2.0's mock cluster (kbroker) reports a controller id that is none of its brokers
// and has no CreateTopics or DescribeConfigs: an admin request would wait for that controller
// until it times out.
bool HasController(rd_kafka_t* rk) {
  int32_t controller = AskAgainAfterStop([&] { return rd_kafka_controllerid(rk, kMetadataTimeoutMs); },
                                         [](int32_t id) { return id < 0; });
  const rd_kafka_metadata_t* md = nullptr;
  if (controller < 0 ||
      AskAgainAfterStop([&] { return rd_kafka_metadata(rk, 0, nullptr, &md, kMetadataTimeoutMs); },
                        TimedOut) != RD_KAFKA_RESP_ERR_NO_ERROR)
    return false;
  bool found = false;
  for (int i = 0; i < md->broker_cnt; ++i) found = found || md->brokers[i].id == controller;
  rd_kafka_metadata_destroy(md);
  return found;
}

std::string CountMismatch(const std::string& topic, int existing, int wanted) {
  return "topic '" + topic + "' exists with " + std::to_string(existing) + " partitions, not " +
         std::to_string(wanted);
}

// kbroker: through its control channel (kafka/kbroker_control.hpp), without the topic's configs,
// which the mock cluster does not keep.
Status CreateOnKbroker(rd_kafka_t* rk, const TopicSpec& spec, bool* created) {
  Status s = KbrokerCreateTopic(KafkaClient::Of(rk)->config().brokers, spec.name, spec.partitions);
  if (s.IsNotFound())
    return Status::KafkaError("cannot create topic '" + spec.name +
                              "': " + KbrokerCannot("create topics without its control file"));
  if (!s.ok() && s.message().find("already exists") != std::string::npos) return Status::Ok();
  if (s.ok()) *created = true;
  return s;
}

// `spec` as a topic of a CreateTopics request, or nullptr with `err` saying why.
rd_kafka_NewTopic_t* NewTopicOf(const TopicSpec& spec, char* err, size_t err_size) {
  rd_kafka_NewTopic_t* nt =
      rd_kafka_NewTopic_new(spec.name.c_str(), spec.partitions, spec.replication_factor, err, err_size);
  if (nt)
    for (auto& [k, v] : spec.configs) rd_kafka_NewTopic_set_config(nt, k.c_str(), v.c_str());
  return nt;
}

Status Create(rd_kafka_t* rk, const TopicSpec& spec, bool* created) {
  if (IsMockCluster(rk)) return CreateOnKbroker(rk, spec, created);
  char err[512];
  rd_kafka_NewTopic_t* nt = NewTopicOf(spec, err, sizeof err);
  if (!nt) return Status::InvalidArgument("topic " + spec.name + ": " + err);
  Event ev = AdminRequest(
      rk, RD_KAFKA_ADMIN_OP_CREATETOPICS,
      [&](rd_kafka_AdminOptions_t* o, rd_kafka_queue_t* q) { rd_kafka_CreateTopics(rk, &nt, 1, o, q); });
  rd_kafka_NewTopic_destroy(nt);
  if (!ev) return Status::KafkaError("timed out creating topic '" + spec.name + "'");
  if (rd_kafka_event_error(ev.get()))
    return Status::KafkaError("cannot create topic '" + spec.name +
                              "': " + rd_kafka_event_error_string(ev.get()));
  size_t n = 0;
  const rd_kafka_topic_result_t** tr =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev.get()), &n);
  rd_kafka_resp_err_t e = n ? rd_kafka_topic_result_error(tr[0]) : RD_KAFKA_RESP_ERR_NO_ERROR;
  if (e == RD_KAFKA_RESP_ERR_NO_ERROR) {
    *created = true;
    (void)AwaitTopicMetadata(rk, spec.name, spec.partitions);  // not there in time: used all the same
  } else if (e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {  // someone else made it meanwhile: checked after
    return Status::KafkaError("cannot create topic '" + spec.name +
                              "': " + rd_kafka_topic_result_error_string(tr[0]));
  }
  return Status::Ok();
}

// Checks the `required` configs of an existing topic.
Status CheckConfigs(rd_kafka_t* rk, const TopicSpec& spec) {
  rd_kafka_ConfigResource_t* res = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, spec.name.c_str());
  Event ev = AdminRequest(
      rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS,
      [&](rd_kafka_AdminOptions_t* o, rd_kafka_queue_t* q) { rd_kafka_DescribeConfigs(rk, &res, 1, o, q); });
  rd_kafka_ConfigResource_destroy(res);
  if (!ev || rd_kafka_event_error(ev.get()))
    return Status::KafkaError("cannot read the configuration of topic '" + spec.name +
                              "': " + (ev ? rd_kafka_event_error_string(ev.get()) : "timed out"));
  size_t n = 0;
  const rd_kafka_ConfigResource_t** rs =
      rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev.get()), &n);
  if (n == 0 || rd_kafka_ConfigResource_error(rs[0]))
    return Status::KafkaError("cannot read the configuration of topic '" + spec.name + "'");
  size_t cnt = 0;
  const rd_kafka_ConfigEntry_t** entries = rd_kafka_ConfigResource_configs(rs[0], &cnt);
  for (auto& [k, want] : spec.required) {
    std::string have;
    for (size_t i = 0; i < cnt; ++i)
      if (k == rd_kafka_ConfigEntry_name(entries[i]) && rd_kafka_ConfigEntry_value(entries[i]))
        have = rd_kafka_ConfigEntry_value(entries[i]);
    if (have != want)
      return Status::InvalidArgument("topic '" + spec.name + "' has " + k + "=" +
                                     (have.empty() ? "(unset)" : have) + ", not " + k + "=" + want);
  }
  return Status::Ok();
}

// The value of broker config `name` on broker `id` ("" when it cannot be read).
std::string BrokerConfig(rd_kafka_t* rk, int32_t id, const std::string& name) {
  rd_kafka_ConfigResource_t* res =
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_BROKER, std::to_string(id).c_str());
  Event ev = AdminRequest(
      rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS,
      [&](rd_kafka_AdminOptions_t* o, rd_kafka_queue_t* q) { rd_kafka_DescribeConfigs(rk, &res, 1, o, q); });
  rd_kafka_ConfigResource_destroy(res);
  if (!ev || rd_kafka_event_error(ev.get())) return "";
  size_t n = 0, cnt = 0;
  const rd_kafka_ConfigResource_t** rs =
      rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev.get()), &n);
  if (n == 0 || rd_kafka_ConfigResource_error(rs[0])) return "";
  const rd_kafka_ConfigEntry_t** entries = rd_kafka_ConfigResource_configs(rs[0], &cnt);
  for (size_t i = 0; i < cnt; ++i)
    if (name == rd_kafka_ConfigEntry_name(entries[i]) && rd_kafka_ConfigEntry_value(entries[i]))
      return rd_kafka_ConfigEntry_value(entries[i]);
  return "";
}

}  // namespace

bool AwaitTopicMetadata(rd_kafka_t* rk, const std::string& topic, int partitions) {
  const KafkaConfig& cfg = KafkaClient::Of(rk)->config();
  for (Deadline deadline(kMetadataTimeoutMs);; std::this_thread::sleep_for(std::chrono::milliseconds(50))) {
    int existing = 0;
    if (!FetchMetadata(rk, cfg, topic, &existing).ok()) return false;
    if (partitions == 0 ? existing == 0 : partitions < 0 ? existing > 0 : existing >= partitions) return true;
    if (deadline.Passed()) return false;
  }
}

Status CreateAsAutoCreated(const KafkaConfig& cfg, const std::string& topic, const std::string& tool,
                           bool* created, const Properties& configs) {
  *created = false;
  auto shared = SharedAdmin(cfg, tool);
  if (!shared.ok()) return shared.status();
  KafkaClient& rk = **shared;
  int existing = 0;
  if (Status s = FetchMetadata(rk.get(), cfg, topic, &existing); !s.ok()) return s;
  if (existing > 0 || !HasController(rk.get())) return Status::Ok();
  if (BrokerConfig(rk.get(), rd_kafka_controllerid(rk.get(), kMetadataTimeoutMs),
                   "auto.create.topics.enable") != "true")
    return Status::Ok();  // the producer reports the missing topic, as it would have
  return Create(rk.get(), TopicSpec{.name = topic, .configs = configs}, created);
}

Status CreateTopic(const KafkaConfig& cfg, const TopicSpec& spec, const std::string& tool) {
  auto shared = SharedAdmin(cfg, tool);
  if (!shared.ok()) return shared.status();
  KafkaClient& rk = **shared;
  bool created = false;
  if (Status s = Create(rk.get(), spec, &created); !s.ok()) return s;
  if (!created) return Status::KafkaError("topic '" + spec.name + "' exists already");
  return Status::Ok();
}

Result<int> PartitionCount(const KafkaConfig& cfg, const std::string& topic, const std::string& tool) {
  auto shared = SharedAdmin(cfg, tool);
  if (!shared.ok()) return shared.status();
  KafkaClient& admin = **shared;
  int n = 0;
  Status s = FetchMetadata(admin.get(), cfg, topic, &n);
  if (!s.ok()) return s;
  return n;
}

std::vector<std::string> CreateMissingTogether(const KafkaConfig& cfg, const std::vector<TopicSpec>& specs,
                                               const std::string& tool) {
  std::vector<std::string> created;
  auto shared = SharedAdmin(cfg, tool);
  if (!shared.ok()) return created;
  rd_kafka_t* rk = (*shared)->get();
  std::vector<const TopicSpec*> missing;
  for (const TopicSpec& spec : specs) {
    int existing = 0;
    if (!FetchMetadata(rk, cfg, spec.name, &existing).ok()) return created;
    if (existing == 0) missing.push_back(&spec);
  }
  if (missing.size() < 2 || IsMockCluster(rk) || !HasController(rk)) return created;
  std::vector<rd_kafka_NewTopic_t*> topics;
  for (const TopicSpec* spec : missing) {
    char err[512];
    rd_kafka_NewTopic_t* nt = NewTopicOf(*spec, err, sizeof err);
    if (!nt) break;
    topics.push_back(nt);
  }
  if (topics.size() == missing.size()) {
    Event ev = AdminRequest(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS,
                            [&](rd_kafka_AdminOptions_t* o, rd_kafka_queue_t* q) {
                              rd_kafka_CreateTopics(rk, topics.data(), topics.size(), o, q);
                            });
    if (ev && !rd_kafka_event_error(ev.get())) {
      size_t n = 0;
      const rd_kafka_topic_result_t** tr =
          rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev.get()), &n);
      for (size_t i = 0; i < n; ++i)
        if (rd_kafka_topic_result_error(tr[i]) == RD_KAFKA_RESP_ERR_NO_ERROR)
          created.emplace_back(rd_kafka_topic_result_name(tr[i]));
    }
  }
  for (rd_kafka_NewTopic_t* nt : topics) rd_kafka_NewTopic_destroy(nt);
  return created;
}

Status EnsureTopic(const KafkaConfig& cfg, const TopicSpec& spec, const std::string& tool, bool* created) {
  *created = false;
  auto shared = SharedAdmin(cfg, tool);
  if (!shared.ok()) return shared.status();
  KafkaClient& rk = **shared;
  int existing = 0;
  if (Status s = FetchMetadata(rk.get(), cfg, spec.name, &existing); !s.ok()) return s;
  bool admin = HasController(rk.get());
  bool racing = false;  // another process created it between our look and our create
  if (existing == 0) {
    if (!admin && !IsMockCluster(rk.get())) {
      LogWarning(tool, "cannot create topic '" + spec.name +
                           "': the broker answers no CreateTopics (kbroker?); it "
                           "is created on first use with the broker's defaults" +
                           (spec.configs.empty() ? std::string() : " (without its settings)"));
      return Status::Ok();
    }
    if (Status s = Create(rk.get(), spec, created); !s.ok()) return s;
    if (*created) return Status::Ok();
    if (Status s = FetchMetadata(rk.get(), cfg, spec.name, &existing); !s.ok()) return s;
    racing = true;
  }
  // A topic another process is creating right now (a copy of this tool started at the same
  // moment) may show no or not all of its partitions for a moment: its metadata settles first.
  // A topic that was there at our first look is as it is: no waiting.
  if (racing && spec.partitions > 0 && existing < spec.partitions) {
    (void)AwaitTopicMetadata(rk.get(), spec.name, spec.partitions);
    if (Status s = FetchMetadata(rk.get(), cfg, spec.name, &existing); !s.ok()) return s;
  }
  if (spec.partitions > 0 && existing != spec.partitions)
    return Status::InvalidArgument(CountMismatch(spec.name, existing, spec.partitions));
  if (spec.required.empty()) return Status::Ok();
  if (!admin) {
    LogWarning(tool, "cannot check the settings of topic '" + spec.name +
                         "': the broker answers no DescribeConfigs "
                         "(kbroker?)");
    return Status::Ok();
  }
  return CheckConfigs(rk.get(), spec);
}

}  // namespace kt
