// A static member's check that its consumer group leaves no partition without an owner, and the
// repair when it does.
//
// Why it can: under the cooperative protocol a rebalance that moves partitions takes two rounds.
// The first revokes them from their owner, which then joins again; the second gives them to
// their new owner. When the owner is killed between the rounds and comes back as a static member
// (group.instance.id) within session.timeout.ms, the broker gives every static member that joins
// the assignment it stored, the first round's, without a rebalance (KIP-345). The revoked
// partitions then have no owner, and the group stays so until a member joins, leaves, changes
// its subscription or misses its session: `-e` runs wait forever, continuous ones never read
// them. A member could end it by joining again with what it now owns, but librdkafka 2.0 has no
// call for that (subscribing again to the same topics does not join).
//
// So each static member starts a GroupRepair once it is first assigned. It describes the group
// on its own thread; when the group is Stable and the same partitions are assigned to no member
// at three looks a second apart (a second round under way is over sooner: its owner joins again
// as soon as it has given them up), a dynamic member of its own (GroupHold) joins the group, and
// leaves once it has joined. Every member joins again for it, and the rebalance gives out every
// partition. The group is looked at only once per start: a later gap has a later restart, which
// looks again.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "kt/io/source.hpp"
#include "kt/kafka/config.hpp"
#include "kt/kafka/groups.hpp"

namespace kt {

// The partitions of `topics` (topics[i] has counts[i]) that no member of `group` is assigned.
std::vector<TopicPartition> OwnerlessPartitions(const GroupDescription& group,
                                                const std::vector<std::string>& topics,
                                                const std::vector<int>& counts);
// "t partition 1, 3; u partition 0" for partitions sorted by topic, as OwnerlessPartitions gives.
std::string ListPartitions(const std::vector<TopicPartition>& tps);

class GroupRepair {
 public:
  static constexpr int kLookMs = 1000;  // between the three looks

  // Starts the check of `group`, a group of consumers of `topics` under the cooperative protocol.
  GroupRepair(KafkaConfig cfg, std::string tool, std::string group, std::vector<std::string> topics,
              std::vector<int> counts);
  // Destruction stops the check and waits for it (std::jthread); a repair member that has begun
  // to join first finishes its join (GroupHold::Close), which takes as long as the group's
  // rebalance.
  GroupRepair(const GroupRepair&) = delete;
  GroupRepair& operator=(const GroupRepair&) = delete;

 private:
  void Run(const std::stop_token& stop);
  // Waits `ms` or until `stop` is requested; true when it is.
  bool Stopped(const std::stop_token& stop, int ms);

  KafkaConfig cfg_;
  std::string tool_, group_;
  std::vector<std::string> topics_;
  std::vector<int> counts_;
  std::mutex mu_;
  std::condition_variable_any cv_;
  std::jthread thread_;  // last: starts once the rest is set, stops and joins first
};

}  // namespace kt
