// --http's state queries (app/http_service.hpp, GET /state): each answered by the copy that
// holds the key's partition, found through the consumer group. Handlers run on the server's
// threads; the stores are only read by their stage's thread (Monitor::Ask).
#pragma once

#include <httplib.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "kt/app/run_plan.hpp"
#include "kt/kafka/groups.hpp"

namespace kt {

class StateRoute {
 public:
  StateRoute(RunPlan plan, std::string self) : plan_(std::move(plan)), self_(std::move(self)) {}
  // GET /state/KEY: here, or proxied to the copy that holds its partition (`local`: here only).
  void Key(const std::string& key, bool local, httplib::Response& res);
  // GET /state?prefix=P: this copy's keys starting with P, and (unless `local`) every other copy's.
  void Prefix(const std::string& prefix, bool local, httplib::Response& res);

 private:
  // The group's members that advertise an HTTP address, with their assignments (cached 1 s).
  Result<std::vector<GroupMember>> Members(const std::string& group);
  Result<int> Partitions(const std::string& topic);

  RunPlan plan_;
  std::string self_;
  std::mutex mu_;
  std::map<std::string, int> partitions_;  // topic -> count
  std::vector<GroupMember> members_;
  int64_t members_at_ms_ = 0;
  std::string members_group_;
};

}  // namespace kt
