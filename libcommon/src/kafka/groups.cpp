#include "kt/kafka/groups.hpp"

#include <algorithm>

#include "admin_request.hpp"
#include "kt/kafka/client.hpp"
#include "kt/kafka/kbroker_control.hpp"
#include "kt/kafka/topics.hpp"

namespace kt {

namespace {

// A group result's own error, then its partitions' first error.
Status GroupResultStatus(const rd_kafka_group_result_t* g, const std::string& what) {
  if (const rd_kafka_error_t* e = rd_kafka_group_result_error(g))
    return Status::KafkaError(what + ": " + rd_kafka_error_string(e));
  const rd_kafka_topic_partition_list_t* parts = rd_kafka_group_result_partitions(g);
  for (int i = 0; parts && i < parts->cnt; ++i)
    if (parts->elems[i].err)
      return Status::KafkaError(what + ": " + parts->elems[i].topic + " [" +
                                std::to_string(parts->elems[i].partition) +
                                "]: " + rd_kafka_err2str(parts->elems[i].err));
  return Status::Ok();
}

}  // namespace

Result<std::vector<GroupListing>> ListGroups(const KafkaConfig& cfg, const std::string& tool) {
  auto shared = SharedAdmin(cfg, tool);
  if (!shared.ok()) return shared.status();
  KafkaClient& client = **shared;
  // Not asked: librdkafka 2.0 leaks the request the mock refuses.
  if (IsMockCluster(client.get()))
    return Status::KafkaError("listing groups: kbroker, librdkafka's mock cluster, cannot list groups");
  Event ev = AdminRequest(client.get(), RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS,
                          [&](rd_kafka_AdminOptions_t* o, rd_kafka_queue_t* q) {
                            rd_kafka_ListConsumerGroups(client.get(), o, q);
                          });
  if (Status s = EventStatus(ev, "listing groups"); !s.ok()) return s;
  const rd_kafka_ListConsumerGroups_result_t* r = rd_kafka_event_ListConsumerGroups_result(ev.get());
  size_t n = 0;
  const rd_kafka_ConsumerGroupListing_t** list = rd_kafka_ListConsumerGroups_result_valid(r, &n);
  size_t failed = 0;  // brokers that did not answer
  const rd_kafka_error_t** errors = rd_kafka_ListConsumerGroups_result_errors(r, &failed);
  if (failed > 0 && n == 0)
    return Status::KafkaError(std::string("listing groups: ") + rd_kafka_error_string(errors[0]));
  std::vector<GroupListing> out;
  for (size_t i = 0; i < n; ++i)
    out.push_back({rd_kafka_ConsumerGroupListing_group_id(list[i]),
                   rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupListing_state(list[i])),
                   rd_kafka_ConsumerGroupListing_is_simple_consumer_group(list[i]) == 1});
  return out;
}

Result<GroupDescription> DescribeGroup(const KafkaConfig& cfg, const std::string& tool,
                                       const std::string& group) {
  auto shared = SharedAdmin(cfg, tool);
  if (!shared.ok()) return Status::Unavailable(shared.status().message());
  KafkaClient& client = **shared;
  if (IsMockCluster(client.get()))  // kbroker: committed offsets only (CommittedOffsets)
    return GroupDescription{group, "Unknown", 0, {}, false};
  const char* groups[] = {group.c_str()};
  Event ev = AdminRequest(client.get(), RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS,
                          [&](rd_kafka_AdminOptions_t* o, rd_kafka_queue_t* q) {
                            rd_kafka_DescribeConsumerGroups(client.get(), groups, 1, o, q);
                          });
  if (Status s = EventStatus(ev, "describing group " + group); !s.ok()) return s;
  size_t n = 0;
  const rd_kafka_ConsumerGroupDescription_t** d = rd_kafka_DescribeConsumerGroups_result_groups(
      rd_kafka_event_DescribeConsumerGroups_result(ev.get()), &n);
  if (n == 0) return Status::KafkaError("describing group " + group + ": no answer");
  if (const rd_kafka_error_t* e = rd_kafka_ConsumerGroupDescription_error(d[0]))
    return Status::KafkaError("describing group " + group + ": " + rd_kafka_error_string(e));
  GroupDescription out{group,
                       rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupDescription_state(d[0])),
                       static_cast<int>(rd_kafka_ConsumerGroupDescription_member_count(d[0])),
                       {}};
  auto text = [](const char* s) { return std::string(s ? s : ""); };
  for (int i = 0; i < out.members; ++i) {
    const rd_kafka_MemberDescription_t* m = rd_kafka_ConsumerGroupDescription_member(d[0], i);
    GroupMember gm{text(rd_kafka_MemberDescription_consumer_id(m)),
                   text(rd_kafka_MemberDescription_client_id(m)),
                   text(rd_kafka_MemberDescription_group_instance_id(m)),
                   text(rd_kafka_MemberDescription_host(m)),
                   {}};
    if (const rd_kafka_MemberAssignment_t* a = rd_kafka_MemberDescription_assignment(m))
      if (const rd_kafka_topic_partition_list_t* l = rd_kafka_MemberAssignment_partitions(a))
        for (int j = 0; j < l->cnt; ++j) gm.assignment.emplace_back(l->elems[j].topic, l->elems[j].partition);
    std::sort(gm.assignment.begin(), gm.assignment.end());
    out.member_list.push_back(std::move(gm));
  }
  return out;
}

Result<std::vector<TopicPartitionOffset>> CommittedOffsets(const KafkaConfig& cfg, const std::string& tool,
                                                           const std::string& group) {
  auto shared = SharedAdmin(cfg, tool);
  if (!shared.ok()) return shared.status();
  KafkaClient& client = **shared;
  // kbroker answers no request for "all of the group's offsets": it is asked for every
  // partition of every topic, and the group's are those with an offset.
  rd_kafka_topic_partition_list_t* all = nullptr;
  if (IsMockCluster(client.get())) {
    auto topics = DescribeTopics(cfg, tool);
    if (!topics.ok()) return topics.status();
    all = rd_kafka_topic_partition_list_new(1);
    for (const TopicMetadata& t : *topics)
      for (const auto& p : t.partitions) rd_kafka_topic_partition_list_add(all, t.name.c_str(), p.id);
  }
  rd_kafka_ListConsumerGroupOffsets_t* req = rd_kafka_ListConsumerGroupOffsets_new(group.c_str(), all);
  if (all) rd_kafka_topic_partition_list_destroy(all);
  Event ev = AdminRequest(client.get(), RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS,
                          [&](rd_kafka_AdminOptions_t* o, rd_kafka_queue_t* q) {
                            rd_kafka_ListConsumerGroupOffsets(client.get(), &req, 1, o, q);
                          });
  rd_kafka_ListConsumerGroupOffsets_destroy(req);
  std::string what = "reading the offsets of group " + group;
  if (Status s = EventStatus(ev, what); !s.ok()) return s;
  size_t n = 0;
  const rd_kafka_group_result_t** gr = rd_kafka_ListConsumerGroupOffsets_result_groups(
      rd_kafka_event_ListConsumerGroupOffsets_result(ev.get()), &n);
  std::vector<TopicPartitionOffset> out;
  if (n == 0) return out;
  if (Status s = GroupResultStatus(gr[0], what); !s.ok()) return s;
  const rd_kafka_topic_partition_list_t* parts = rd_kafka_group_result_partitions(gr[0]);
  for (int i = 0; parts && i < parts->cnt; ++i)
    if (parts->elems[i].offset >= 0)
      out.push_back({parts->elems[i].topic, parts->elems[i].partition, parts->elems[i].offset});
  return out;
}

Status AlterOffsets(const KafkaConfig& cfg, const std::string& tool, const std::string& group,
                    const std::vector<TopicPartitionOffset>& offsets) {
  auto shared = SharedAdmin(cfg, tool);
  if (!shared.ok()) return shared.status();
  KafkaClient& client = **shared;
  rd_kafka_topic_partition_list_t* l = rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size()));
  for (auto& o : offsets)
    rd_kafka_topic_partition_list_add(l, o.topic.c_str(), o.partition)->offset = o.offset;
  rd_kafka_AlterConsumerGroupOffsets_t* req = rd_kafka_AlterConsumerGroupOffsets_new(group.c_str(), l);
  rd_kafka_topic_partition_list_destroy(l);
  Event ev = AdminRequest(client.get(), RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS,
                          [&](rd_kafka_AdminOptions_t* o, rd_kafka_queue_t* q) {
                            rd_kafka_AlterConsumerGroupOffsets(client.get(), &req, 1, o, q);
                          });
  rd_kafka_AlterConsumerGroupOffsets_destroy(req);
  std::string what = "moving the offsets of group " + group;
  if (Status s = EventStatus(ev, what); !s.ok()) return s;
  size_t n = 0;
  const rd_kafka_group_result_t** gr = rd_kafka_AlterConsumerGroupOffsets_result_groups(
      rd_kafka_event_AlterConsumerGroupOffsets_result(ev.get()), &n);
  return n ? GroupResultStatus(gr[0], what) : Status::KafkaError(what + ": no answer");
}

Status DeleteGroup(const KafkaConfig& cfg, const std::string& tool, const std::string& group) {
  auto shared = SharedAdmin(cfg, tool);
  if (!shared.ok()) return shared.status();
  KafkaClient& client = **shared;
  if (IsMockCluster(client.get()))
    return Status::KafkaError("deleting group " + group + ": " + KbrokerCannot("delete groups"));
  rd_kafka_DeleteGroup_t* req = rd_kafka_DeleteGroup_new(group.c_str());
  Event ev = AdminRequest(client.get(), RD_KAFKA_ADMIN_OP_DELETEGROUPS,
                          [&](rd_kafka_AdminOptions_t* o, rd_kafka_queue_t* q) {
                            rd_kafka_DeleteGroups(client.get(), &req, 1, o, q);
                          });
  rd_kafka_DeleteGroup_destroy(req);
  std::string what = "deleting group " + group;
  if (Status s = EventStatus(ev, what); !s.ok()) return s;
  size_t n = 0;
  const rd_kafka_group_result_t** gr =
      rd_kafka_DeleteGroups_result_groups(rd_kafka_event_DeleteGroups_result(ev.get()), &n);
  return n ? GroupResultStatus(gr[0], what) : Status::KafkaError(what + ": no answer");
}

Result<std::vector<std::vector<PartitionOffsets>>> Watermarks(const KafkaConfig& cfg, const std::string& tool,
                                                              const TopicPartitions& topics) {
  auto shared = SharedAdmin(cfg, tool);
  if (!shared.ok()) return shared.status();
  KafkaClient& client = **shared;
  std::vector<std::vector<PartitionOffsets>> out;
  for (auto& [t, parts] : topics) out.emplace_back(parts.size());
  // ListOffsets by "time": -2 asks for each partition's first offset, -1 for its end.
  for (int64_t which : {int64_t{-2}, int64_t{-1}}) {
    rd_kafka_topic_partition_list_t* l = rd_kafka_topic_partition_list_new(16);
    for (auto& [t, parts] : topics)
      for (int32_t p : parts) rd_kafka_topic_partition_list_add(l, t.c_str(), p)->offset = which;
    rd_kafka_resp_err_t e = l->cnt ? OffsetsForTimes(client.get(), l) : RD_KAFKA_RESP_ERR_NO_ERROR;
    Status s;
    if (e) s = Status::KafkaError(std::string("reading watermarks: ") + rd_kafka_err2str(e));
    int k = 0;
    for (size_t i = 0; s.ok() && i < topics.size(); ++i)
      for (size_t j = 0; s.ok() && j < topics[i].second.size(); ++j, ++k) {
        const rd_kafka_topic_partition_t& tp = l->elems[k];
        if (tp.err) {
          s = Status::KafkaError(std::string(tp.topic) + " [" + std::to_string(tp.partition) +
                                 "]: " + rd_kafka_err2str(tp.err));
          break;
        }
        (which == -2 ? out[i][j].low : out[i][j].high) = tp.offset;
      }
    rd_kafka_topic_partition_list_destroy(l);
    if (!s.ok()) return s;
  }
  return out;
}

Result<std::vector<PartitionOffsets>> Watermarks(const KafkaConfig& cfg, const std::string& tool,
                                                 const std::string& topic,
                                                 const std::vector<int32_t>& partitions) {
  auto all = Watermarks(cfg, tool, TopicPartitions{{topic, partitions}});
  if (!all.ok()) return all.status();
  return std::move(all->front());
}

Result<std::vector<int64_t>> OffsetsForTime(const KafkaConfig& cfg, const std::string& tool,
                                            const std::string& topic, const std::vector<int32_t>& partitions,
                                            int64_t time_ms) {
  auto shared = SharedAdmin(cfg, tool);
  if (!shared.ok()) return shared.status();
  KafkaClient& client = **shared;
  rd_kafka_topic_partition_list_t* l = rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size()));
  for (int32_t p : partitions) rd_kafka_topic_partition_list_add(l, topic.c_str(), p)->offset = time_ms;
  rd_kafka_resp_err_t e = OffsetsForTimes(client.get(), l);
  std::vector<int64_t> out;
  Status s;
  if (e) s = Status::KafkaError(topic + ": offsets for time: " + rd_kafka_err2str(e));
  for (int i = 0; s.ok() && i < l->cnt; ++i) {
    if (l->elems[i].err) {
      s = Status::KafkaError(topic + " [" + std::to_string(l->elems[i].partition) +
                             "]: " + rd_kafka_err2str(l->elems[i].err));
      break;
    }
    out.push_back(l->elems[i].offset);  // -1: no record at or after the time
  }
  rd_kafka_topic_partition_list_destroy(l);
  if (!s.ok()) return s;
  return out;
}

}  // namespace kt
