#include "kt/kafka/topics.hpp"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <cctype>

#include "admin_request.hpp"
#include "kt/kafka/client.hpp"
#include "kt/kafka/kbroker_control.hpp"

namespace kt {

namespace {

// The error of the one topic a CreateTopics/DeleteTopics/CreatePartitions result holds.
Status TopicResultStatus(const rd_kafka_topic_result_t** tr, size_t n, const std::string& what) {
  if (n == 0) return Status::KafkaError(what + ": no answer");
  if (rd_kafka_topic_result_error(tr[0]))
    return Status::KafkaError(what + ": " + rd_kafka_topic_result_error_string(tr[0]));
  return Status::Ok();
}

// The one resource a DescribeConfigs/AlterConfigs result holds, or its error.
Result<const rd_kafka_ConfigResource_t*> OneResource(const rd_kafka_ConfigResource_t** rs, size_t n,
                                                     const std::string& what) {
  if (n == 0) return Status::KafkaError(what + ": no answer");
  if (rd_kafka_ConfigResource_error(rs[0]))
    return Status::KafkaError(what + ": " + rd_kafka_ConfigResource_error_string(rs[0]));
  return rs[0];
}

std::string SourceName(rd_kafka_ConfigSource_t s) {
  std::string name = rd_kafka_ConfigSource_name(s);  // e.g. DYNAMIC_TOPIC_CONFIG
  if (name.size() > 7 && name.compare(name.size() - 7, 7, "_CONFIG") == 0) name.resize(name.size() - 7);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  return name;
}

// The metadata of every topic and broker, through `client`; the caller destroys it. Never one
// topic by name: that request would auto-create it on some brokers.
Result<const rd_kafka_metadata_t*> AllMetadata(KafkaClient& client) {
  // Names the brokers and where they came from when they cannot be reached.
  if (Status s = FetchMetadata(client.get(), client.config(), "", nullptr); !s.ok()) return s;
  const rd_kafka_metadata_t* md = nullptr;
  if (rd_kafka_resp_err_t e = rd_kafka_metadata(client.get(), 1, nullptr, &md, kMetadataTimeoutMs))
    return Status::KafkaError(std::string("reading metadata: ") + rd_kafka_err2str(e));
  return md;
}

}  // namespace

Result<std::vector<TopicMetadata>> DescribeTopics(const KafkaConfig& cfg, const std::string& tool,
                                                  const std::string& topic) {
  auto shared = SharedAdmin(cfg, tool);
  if (!shared.ok()) return shared.status();
  KafkaClient& client = **shared;
  auto all = AllMetadata(client);
  if (!all.ok()) return all.status();
  const rd_kafka_metadata_t* md = *all;
  std::vector<TopicMetadata> out;
  for (int i = 0; i < md->topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& t = md->topics[i];
    if (t.err || (!topic.empty() && topic != t.topic)) continue;
    TopicMetadata tm{t.topic, {}};
    for (int j = 0; j < t.partition_cnt; ++j) {
      const rd_kafka_metadata_partition_t& p = t.partitions[j];
      PartitionMetadata pm{p.id,
                           p.leader,
                           {p.replicas, p.replicas + p.replica_cnt},
                           {p.isrs, p.isrs + p.isr_cnt},
                           p.err ? rd_kafka_err2str(p.err) : ""};
      tm.partitions.push_back(std::move(pm));
    }
    std::sort(tm.partitions.begin(), tm.partitions.end(), [](auto& a, auto& b) { return a.id < b.id; });
    out.push_back(std::move(tm));
  }
  rd_kafka_metadata_destroy(md);
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.name < b.name; });
  if (!topic.empty() && out.empty()) return Status::NotFound("topic '" + topic + "' does not exist");
  return out;
}

Result<ClusterInfo> DescribeCluster(const KafkaConfig& cfg, const std::string& tool) {
  auto shared = SharedAdmin(cfg, tool);
  if (!shared.ok()) return shared.status();
  KafkaClient& client = **shared;
  auto all = AllMetadata(client);
  if (!all.ok()) return all.status();
  const rd_kafka_metadata_t* md = *all;
  ClusterInfo info;
  for (int i = 0; i < md->broker_cnt; ++i)
    info.brokers.push_back({md->brokers[i].id, md->brokers[i].host, md->brokers[i].port});
  for (int i = 0; i < md->topic_cnt; ++i)
    if (!md->topics[i].err) ++info.topics, info.partitions += md->topics[i].partition_cnt;
  rd_kafka_metadata_destroy(md);
  std::sort(info.brokers.begin(), info.brokers.end(), [](auto& a, auto& b) { return a.id < b.id; });
  if (char* id = rd_kafka_clusterid(client.get(), kMetadataTimeoutMs)) {
    info.id = id;
    rd_kafka_mem_free(client.get(), id);
  }
  info.controller = rd_kafka_controllerid(client.get(), kMetadataTimeoutMs);
  return info;
}

Result<std::vector<ConfigValue>> TopicConfigs(const KafkaConfig& cfg, const std::string& tool,
                                              const std::string& topic) {
  // Unreachable (or a refused login) is Unavailable, told apart from a broker that answers no
  // DescribeConfigs (kbroker), whose callers go on with defaults.
  auto shared = SharedAdmin(cfg, tool);
  if (!shared.ok()) return Status::Unavailable(shared.status().message());
  KafkaClient& client = **shared;
  if (IsMockCluster(client.get())) return Status::NotFound(KbrokerCannot("show topic configs"));
  rd_kafka_ConfigResource_t* res = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
  Event ev = AdminRequest(client.get(), RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS,
                          [&](rd_kafka_AdminOptions_t* o, rd_kafka_queue_t* q) {
                            rd_kafka_DescribeConfigs(client.get(), &res, 1, o, q);
                          });
  rd_kafka_ConfigResource_destroy(res);
  std::string what = "reading the configuration of topic '" + topic + "'";
  if (Status s = EventStatus(ev, what); !s.ok()) return s;
  size_t n = 0, cnt = 0;
  const rd_kafka_ConfigResource_t** rs =
      rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev.get()), &n);
  auto res_ok = OneResource(rs, n, what);
  if (!res_ok.ok()) return res_ok.status();
  const rd_kafka_ConfigEntry_t** entries = rd_kafka_ConfigResource_configs(*res_ok, &cnt);
  std::vector<ConfigValue> out;
  for (size_t i = 0; i < cnt; ++i) {
    const char* v = rd_kafka_ConfigEntry_value(entries[i]);
    out.push_back({rd_kafka_ConfigEntry_name(entries[i]), v ? v : "",
                   SourceName(rd_kafka_ConfigEntry_source(entries[i])),
                   rd_kafka_ConfigEntry_is_default(entries[i]) == 1,
                   rd_kafka_ConfigEntry_is_sensitive(entries[i]) == 1});
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.name < b.name; });
  return out;
}

Status DeleteTopic(const KafkaConfig& cfg, const std::string& tool, const std::string& topic) {
  auto shared = SharedAdmin(cfg, tool);
  if (!shared.ok()) return shared.status();
  KafkaClient& client = **shared;
  if (IsMockCluster(client.get()))
    return Status::KafkaError("cannot delete topic '" + topic + "': " + KbrokerCannot("delete topics") +
                              "; its topics go when it stops");
  rd_kafka_DeleteTopic_t* dt = rd_kafka_DeleteTopic_new(topic.c_str());
  Event ev = AdminRequest(client.get(), RD_KAFKA_ADMIN_OP_DELETETOPICS,
                          [&](rd_kafka_AdminOptions_t* o, rd_kafka_queue_t* q) {
                            rd_kafka_DeleteTopics(client.get(), &dt, 1, o, q);
                          });
  rd_kafka_DeleteTopic_destroy(dt);
  std::string what = "cannot delete topic '" + topic + "'";
  if (Status s = EventStatus(ev, what); !s.ok()) return s;
  size_t n = 0;
  const rd_kafka_topic_result_t** tr =
      rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(ev.get()), &n);
  if (Status s = TopicResultStatus(tr, n, what); !s.ok()) return s;
  // So that `ktopic delete -y t && ktopic create t` finds the name free.
  (void)AwaitTopicMetadata(client.get(), topic, 0);  // still listed after 10 s: deleted all the same
  return Status::Ok();
}

Status AlterTopicConfigs(const KafkaConfig& cfg, const std::string& tool, const std::string& topic,
                         const Properties& set, const std::vector<std::string>& unset) {
  auto current = TopicConfigs(cfg, tool, topic);
  if (current.status().IsNotFound()) return Status::KafkaError(KbrokerCannot("change topic configs"));
  if (!current.ok()) return current.status();
  Properties next;  // the topic's own settings, changed
  for (auto& c : *current)
    if (c.source == "dynamic_topic" && std::find(unset.begin(), unset.end(), c.name) == unset.end()) {
      if (c.sensitive)
        return Status::InvalidArgument(
            "topic '" + topic + "' has a secret setting (" + c.name +
            ") that cannot be read back to keep it: change it with kafka-configs.sh");
      next.emplace_back(c.name, c.value);
    }
  for (auto& [k, v] : set) {
    auto it = std::find_if(next.begin(), next.end(), [&](auto& e) { return e.first == k; });
    if (it != next.end())
      it->second = v;
    else
      next.emplace_back(k, v);
  }
  // Unreachable (or a refused login) is Unavailable, told apart from a broker that answers no
  // DescribeConfigs (kbroker), whose callers go on with defaults.
  auto shared = SharedAdmin(cfg, tool);
  if (!shared.ok()) return Status::Unavailable(shared.status().message());
  KafkaClient& client = **shared;
  if (IsMockCluster(client.get())) return Status::NotFound(KbrokerCannot("show topic configs"));
  rd_kafka_ConfigResource_t* res = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
  for (auto& [k, v] : next) rd_kafka_ConfigResource_set_config(res, k.c_str(), v.c_str());
  Event ev = AdminRequest(client.get(), RD_KAFKA_ADMIN_OP_ALTERCONFIGS,
                          [&](rd_kafka_AdminOptions_t* o, rd_kafka_queue_t* q) {
                            rd_kafka_AlterConfigs(client.get(), &res, 1, o, q);
                          });
  rd_kafka_ConfigResource_destroy(res);
  std::string what = "cannot change the configuration of topic '" + topic + "'";
  if (Status s = EventStatus(ev, what); !s.ok()) return s;
  size_t n = 0;
  const rd_kafka_ConfigResource_t** rs =
      rd_kafka_AlterConfigs_result_resources(rd_kafka_event_AlterConfigs_result(ev.get()), &n);
  return OneResource(rs, n, what).status();
}

Status AddPartitions(const KafkaConfig& cfg, const std::string& tool, const std::string& topic,
                     int partitions) {
  auto shared = SharedAdmin(cfg, tool);
  if (!shared.ok()) return shared.status();
  KafkaClient& client = **shared;
  char err[512];
  rd_kafka_NewPartitions_t* np = rd_kafka_NewPartitions_new(topic.c_str(), partitions, err, sizeof err);
  if (!np) return Status::InvalidArgument("topic " + topic + ": " + err);
  Event ev = AdminRequest(client.get(), RD_KAFKA_ADMIN_OP_CREATEPARTITIONS,
                          [&](rd_kafka_AdminOptions_t* o, rd_kafka_queue_t* q) {
                            rd_kafka_CreatePartitions(client.get(), &np, 1, o, q);
                          });
  rd_kafka_NewPartitions_destroy(np);
  std::string what = "cannot grow topic '" + topic + "' to " + std::to_string(partitions) + " partitions";
  if (Status s = EventStatus(ev, what); !s.ok()) return s;
  size_t n = 0;
  const rd_kafka_topic_result_t** tr =
      rd_kafka_CreatePartitions_result_topics(rd_kafka_event_CreatePartitions_result(ev.get()), &n);
  return TopicResultStatus(tr, n, what);
}

}  // namespace kt
