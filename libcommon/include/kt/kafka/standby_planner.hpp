// Standby replicas (--standbys N): which partitions of a stateful stage's input this copy keeps
// warm for other copies. librdkafka has no custom assignor, so standbys are chosen beside the
// group protocol, from the group as DescribeGroups shows it: the members sorted by client id
// (each copy's is unique: "<tool>;id=<host>-<pid>..."), the N members after a partition's owner
// (wrapping around, never the owner) keep it warm. Every copy computes the same answer from the
// same description; while descriptions differ (a rebalance under way) a partition may briefly
// have a standby too many or too few, which costs a catch-up, never correctness: a standby only
// ever reads the changelog.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "kt/kafka/config.hpp"
#include "kt/kafka/groups.hpp"

namespace kt {

class StandbyPlanner {
 public:
  static constexpr int kEveryMs = 1000;

  // Describes `group` every kEveryMs on a thread of its own. `self`: what this copy's client id
  // contains ("id=<host>-<pid>"); `topic`: the stage's input.
  StandbyPlanner(KafkaConfig cfg, std::string tool, std::string group, std::string topic, std::string self,
                 int standbys);
  // Destruction stops the thread and waits for a description in flight (std::jthread).
  StandbyPlanner(const StandbyPlanner&) = delete;
  StandbyPlanner& operator=(const StandbyPlanner&) = delete;

  // The partitions to keep warm now; nullopt before the first description.
  std::optional<std::set<int32_t>> Wanted() const;

  // The choice itself.
  static std::set<int32_t> Choose(const std::vector<GroupMember>& members, const std::string& topic,
                                  const std::string& self, int standbys);

 private:
  void Loop(const std::stop_token& stop);
  KafkaConfig cfg_;
  std::string tool_, group_, topic_, self_;
  int standbys_;
  mutable std::mutex mu_;
  std::condition_variable_any stop_cv_;
  std::optional<std::set<int32_t>> wanted_;
  std::jthread thread_;  // last: starts once the rest is set, stops and joins first
};

}  // namespace kt
