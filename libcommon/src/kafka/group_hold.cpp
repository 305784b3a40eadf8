#include "kt/kafka/group_hold.hpp"

#include <algorithm>

namespace kt {

GroupHold::GroupHold(KafkaConfig cfg, std::string tool, std::string group, std::string topic, int partitions,
                     std::string instance_id, bool verbose)
    : client_(std::move(cfg), std::move(tool), verbose),
      group_(std::move(group)),
      topic_(std::move(topic)),
      partitions_(partitions),
      instance_id_(std::move(instance_id)) {}

GroupHold::~GroupHold() { Close(); }

void GroupHold::Close() {
  if (!client_.get() || closed_) return;
  closed_ = true;
  FinishFirstJoin(client_.get(), &synced_);
  // As KafkaSource::Close: a static member stays in the group (KIP-345).
  if (instance_id_.empty()) LeaveGroup(client_.get());
  client_.CloseConsumer(synced_);
}

Status GroupHold::Open() {
  // The protocol of the stage's own consumers (KafkaSource, one topic): members of one group
  // must share it. Nothing is fetched (every partition is paused once assigned) or committed.
  Properties defaults = {{"partition.assignment.strategy", "cooperative-sticky"}};
  Properties forced = {
      {"group.id", group_}, {"enable.auto.commit", "false"}, {"enable.auto.offset.store", "false"}};
  if (!instance_id_.empty()) forced.emplace_back("group.instance.id", instance_id_);
  Status s = client_.Create(RD_KAFKA_CONSUMER, "group hold", defaults, forced, this,
                            [](rd_kafka_conf_t* conf) { rd_kafka_conf_set_rebalance_cb(conf, RebalanceCb); });
  if (!s.ok()) return s;
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, topic_.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_resp_err_t e = rd_kafka_subscribe(client_.get(), topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (e) return Status::KafkaError("group " + group_ + ": subscribe failed: " + rd_kafka_err2str(e));
  return Status::Ok();
}

void GroupHold::Serve(const std::function<void(bool lost)>& giving_up) {
  if (!client_.get()) return;
  giving_up_ = &giving_up;
  while (rd_kafka_message_t* m = rd_kafka_consumer_poll(client_.get(), 0)) rd_kafka_message_destroy(m);
  giving_up_ = nullptr;
}

void GroupHold::RebalanceCb(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
                            void* opaque) {
  static_cast<GroupHold*>(KafkaClient::Owner(opaque))->OnRebalance(err, parts);
}

void GroupHold::OnRebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts) {
  rd_kafka_t* rk = client_.get();
  synced_ = true;
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    bool first = held_ == 0 && !changed_;
    TakeAssigned(rk, parts);
    if (parts->cnt == 0) return;  // a cooperative round that moved nothing here
    rd_kafka_pause_partitions(rk, parts);
    held_ += parts->cnt;
    // A sole member is given the whole topic at once; less, or more later, is another member.
    if (!first || held_ != partitions_) Change(false);
    return;
  }
  // Revoked: before the partitions go (the caller writes what it applied); lost: after.
  if (parts->cnt > 0) Change(rd_kafka_assignment_lost(rk));
  held_ = std::max(0, held_ - parts->cnt);
  GiveBack(rk, parts);
}

void GroupHold::Change(bool lost) {
  if (changed_) return;
  changed_ = true;
  if (giving_up_) (*giving_up_)(lost);
}

}  // namespace kt
