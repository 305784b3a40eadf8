#include "kt/app/state_route.hpp"

#include <algorithm>

#include "kt/app/http_service.hpp"
#include "kt/app/running_copy.hpp"
#include "kt/core/json.hpp"
#include "kt/core/murmur2.hpp"
#include "kt/core/time.hpp"
#include "kt/kafka/admin.hpp"
#include "kt/run/monitor.hpp"

namespace kt {

namespace {

constexpr int kAskTimeoutMs = 5000;
constexpr int64_t kMembersFreshMs = 1000;

void Error(httplib::Response& res, int status, const std::string& msg) {
  res.status = status;
  res.set_content("{\"error\":" + QuoteJson(msg) + "}\n", "application/json");
}

void Lines(httplib::Response& res, const std::string& lines) {
  res.status = 200;
  res.set_content(lines, "application/x-ndjson");
}

// The stage that keeps state, or an error response.
bool StateStage(httplib::Response& res, int* id, StageSnapshot* snap) {
  Monitor& m = Monitor::Instance();
  *id = m.StateStage();
  if (*id < 0) {
    bool running = false;
    for (const StageSnapshot& s : m.Snapshots()) running = running || s.running;
    if (running)
      Error(res, 404, "this tool keeps no state to query");
    else
      Error(res, 503, "the stage that keeps the state is not running (yet)");
    return false;
  }
  *snap = m.Snapshot(*id);
  return true;
}

void Answer(httplib::Response& res, const StateAnswer& a) {
  if (a.status.ok()) return Lines(res, a.lines);
  Error(res, a.status.IsNotFound() ? 404 : a.status.IsUnavailable() ? 503 : 500, a.status.message());
}

}  // namespace

Result<int> StateRoute::Partitions(const std::string& topic) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = partitions_.find(topic); it != partitions_.end()) return it->second;
  auto n = PartitionCount(plan_.kafka, topic, plan_.tool);
  if (!n.ok()) return n.status();
  if (*n <= 0) return Status::NotFound("topic '" + topic + "' does not exist");
  partitions_[topic] = *n;
  return *n;
}

Result<std::vector<GroupMember>> StateRoute::Members(const std::string& group) {
  std::lock_guard<std::mutex> lock(mu_);
  if (group == members_group_ && NowMs() - members_at_ms_ < kMembersFreshMs) return members_;
  auto d = DescribeGroup(plan_.kafka, plan_.tool, group);
  if (!d.ok()) return d.status();
  if (!d->known) return Status::Unavailable("the broker cannot describe group " + group + " (kbroker)");
  members_ = d->member_list;
  members_group_ = group;
  members_at_ms_ = NowMs();
  return members_;
}

void StateRoute::Key(const std::string& key, bool local, httplib::Response& res) {
  int id = -1;
  StageSnapshot snap;
  if (!StateStage(res, &id, &snap)) return;
  bool here = true;
  int32_t partition = -1;
  if (!snap.group.empty() && !snap.input.empty()) {
    auto n = Partitions(snap.input);
    if (!n.ok()) return Error(res, 503, n.status().message());
    partition = Murmur2Partition(key, *n);
    here = std::find(snap.assigned.begin(), snap.assigned.end(), TopicPartition{snap.input, partition}) !=
           snap.assigned.end();
  }
  if (here) return Answer(res, Monitor::Instance().Ask(id, {key, false}, kAskTimeoutMs));
  std::string where = "partition " + std::to_string(partition) + " of " + snap.input;
  if (local) return Error(res, 421, "this copy does not hold " + where);
  auto members = Members(snap.group);
  if (!members.ok()) return Error(res, 503, members.status().message());
  for (const GroupMember& m : *members) {
    for (auto& [topic, p] : m.assignment) {
      if (topic != snap.input || p != partition) continue;
      std::string addr = AdvertisedAddress(m.client_id);
      if (addr.empty())
        return Error(res, 503,
                     where + " is held by member " + m.member_id + " (client id '" + m.client_id +
                         "'), which serves no --http");
      httplib::Client cli("http://" + addr);
      cli.set_connection_timeout(2, 0);
      cli.set_read_timeout(kAskTimeoutMs / 1000 + 1, 0);
      auto r = cli.Get((StatePath(key) + "?local=1").c_str());
      if (!r) return Error(res, 502, where + " is held by " + addr + ", which did not answer");
      res.status = r->status;
      res.set_header("X-Ktools-Owner", addr);
      res.set_content(r->body, r->get_header_value("Content-Type").c_str());
      return;
    }
  }
  Error(res, 503, "no member of group " + snap.group + " holds " + where + " now (rebalancing?)");
}

void StateRoute::Prefix(const std::string& prefix, bool local, httplib::Response& res) {
  int id = -1;
  StageSnapshot snap;
  if (!StateStage(res, &id, &snap)) return;
  StateAnswer mine = Monitor::Instance().Ask(id, {prefix, true}, kAskTimeoutMs);
  if (!mine.status.ok() && !mine.status.IsNotFound()) return Answer(res, mine);
  std::vector<std::string> lines;
  auto add = [&](const std::string& text) {
    size_t at = 0;
    while (at < text.size()) {
      size_t nl = text.find('\n', at);
      if (nl == std::string::npos) nl = text.size();
      if (nl > at) lines.push_back(text.substr(at, nl - at));
      at = nl + 1;
    }
  };
  if (mine.status.ok()) add(mine.lines);
  std::string missing;
  if (!local && !snap.group.empty()) {
    auto members = Members(snap.group);
    if (!members.ok()) return Error(res, 503, members.status().message());
    for (const GroupMember& m : *members) {
      std::string addr = AdvertisedAddress(m.client_id);
      if (addr == self_ || m.assignment.empty()) continue;
      if (addr.empty()) {
        missing += (missing.empty() ? "" : ", ") + m.client_id;
        continue;
      }
      httplib::Client cli("http://" + addr);
      cli.set_connection_timeout(2, 0);
      cli.set_read_timeout(kAskTimeoutMs / 1000 + 1, 0);
      auto r = cli.Get(("/state?local=1&prefix=" + StatePath(prefix).substr(7)).c_str());
      if (r && r->status == 200)
        add(r->body);
      else if (!r || r->status != 404)
        missing += (missing.empty() ? "" : ", ") + addr;
    }
  }
  if (!missing.empty()) res.set_header("X-Ktools-Missing", missing);
  std::sort(lines.begin(), lines.end());
  if (lines.empty())
    return Error(
        res, missing.empty() ? 404 : 503,
        "no key starts with '" + prefix + "'" + (missing.empty() ? "" : " (not answered: " + missing + ")"));
  std::string body;
  for (const std::string& l : lines) body += l + "\n";
  Lines(res, body);
}

}  // namespace kt
