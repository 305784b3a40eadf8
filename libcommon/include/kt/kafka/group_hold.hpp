// Holds every partition of a topic in a consumer group without reading any of them: a member
// that keeps other members from owning them, for as long as the group does not change.
//
// A continuous run reading its input in place (app/in_place.hpp) applies records to the tasks
// the stage after a repartition topic would own. It holds that stage's group on the repartition
// topic meanwhile, so that a copy of the tool started in the usual way (through the topic) gets
// none of those tasks before this run has written everything it applied. The hold joins with the
// same protocol as that stage's consumers (cooperative-sticky), pauses what it is assigned (no
// fetch, no commit), and reports the first change: a partition revoked (before it goes: the
// caller writes everything there), lost (after: nothing more may be written), or an assignment
// that is not the whole topic (another member was there first).
//
// GroupRepair (group_repair.hpp) uses a dynamic hold that leaves once it has joined, to make a
// group rebalance.
#pragma once

#include <librdkafka/rdkafka.h>

#include <functional>
#include <string>

#include "kt/core/status.hpp"
#include "kt/kafka/client.hpp"

namespace kt {

class GroupHold {
 public:
  // `instance_id`: static membership (--instance-id or -X group.instance.id), as the stage's own
  // consumers have it (`cfg` may carry it too: then it must be the same), so that a restarted
  // copy's stage takes the hold's place at once; "" dynamic.
  GroupHold(KafkaConfig cfg, std::string tool, std::string group, std::string topic, int partitions,
            std::string instance_id, bool verbose);
  ~GroupHold();
  GroupHold(const GroupHold&) = delete;
  GroupHold& operator=(const GroupHold&) = delete;

  // Joins the group (the assignment comes in a later Serve).
  Status Open();
  // Serves the group's events. `giving_up(lost)` is called once, at the first change: with
  // lost false before a revoked partition goes (librdkafka waits for it: the caller commits
  // there), with lost true when the partitions went already, and with lost false when an
  // assignment left some partitions to another member.
  void Serve(const std::function<void(bool lost)>& giving_up);
  // Every partition is held and the group has not changed since.
  bool complete() const { return held_ == partitions_ && !changed_; }
  bool changed() const { return changed_; }
  // Its first join completed (a rebalance callback came).
  bool joined() const { return synced_; }
  // Leaves the group: the partitions go to the other members. A hold still joining is let finish
  // its join first (see KafkaSource::Close: librdkafka 2.0 aborts otherwise).
  void Close();

 private:
  static void RebalanceCb(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
                          void* opaque);
  void OnRebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts);
  void Change(bool lost);

  KafkaClient client_;
  std::string group_, topic_;
  int partitions_;
  std::string instance_id_;
  int held_ = 0;
  bool changed_ = false;
  bool synced_ = false;  // a rebalance callback came: the join completed once
  bool closed_ = false;
  const std::function<void(bool)>* giving_up_ = nullptr;  // Serve's, while it serves
};

}  // namespace kt
