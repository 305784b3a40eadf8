#include "kt/kafka/standby_planner.hpp"

#include <algorithm>
#include <chrono>

namespace kt {

StandbyPlanner::StandbyPlanner(KafkaConfig cfg, std::string tool, std::string group, std::string topic,
                               std::string self, int standbys)
    : cfg_(std::move(cfg)),
      tool_(std::move(tool)),
      group_(std::move(group)),
      topic_(std::move(topic)),
      self_(std::move(self)),
      standbys_(standbys),
      thread_([this](std::stop_token stop) { Loop(stop); }) {}

std::optional<std::set<int32_t>> StandbyPlanner::Wanted() const {
  std::lock_guard<std::mutex> lock(mu_);
  return wanted_;
}

std::set<int32_t> StandbyPlanner::Choose(const std::vector<GroupMember>& members, const std::string& topic,
                                         const std::string& self, int standbys) {
  std::vector<const GroupMember*> sorted;
  for (const GroupMember& m : members) sorted.push_back(&m);
  std::sort(sorted.begin(), sorted.end(),
            [](const GroupMember* a, const GroupMember* b) { return a->client_id < b->client_id; });
  int me = -1;
  for (size_t i = 0; i < sorted.size(); ++i)
    if (sorted[i]->client_id.find(self) != std::string::npos) me = static_cast<int>(i);
  std::set<int32_t> wanted;
  int n = static_cast<int>(sorted.size());
  if (me < 0 || n < 2) return wanted;
  for (int owner = 0; owner < n; ++owner) {
    if (owner == me) continue;
    int distance = (me - owner + n) % n;  // 1: the next member after the owner
    if (distance > standbys) continue;
    for (auto& [t, p] : sorted[owner]->assignment)
      if (t == topic) wanted.insert(p);
  }
  return wanted;
}

void StandbyPlanner::Loop(const std::stop_token& stop) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop.stop_requested()) {
    lock.unlock();
    auto d = DescribeGroup(cfg_, tool_, group_);
    std::optional<std::set<int32_t>> wanted;
    if (d.ok() && d->known) wanted = Choose(d->member_list, topic_, self_, standbys_);
    lock.lock();
    if (wanted) wanted_ = std::move(wanted);
    // Woken only by a stop request (the jthread's destructor): nothing else is awaited.
    stop_cv_.wait_for(lock, stop, std::chrono::milliseconds(kEveryMs), [] { return false; });
  }
}

}  // namespace kt
