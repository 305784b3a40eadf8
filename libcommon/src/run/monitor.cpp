#include "kt/run/monitor.hpp"

#include <algorithm>
#include <chrono>

namespace kt {

Monitor& Monitor::Instance() {
  static Monitor monitor;
  return monitor;
}

void Monitor::Enable() {
  std::lock_guard<std::mutex> lock(mu_);
  enabled_ = true;
}

bool Monitor::enabled() const {
  std::lock_guard<std::mutex> lock(mu_);
  return enabled_;
}

int Monitor::Register(const std::string& stage) {
  std::lock_guard<std::mutex> lock(mu_);
  int id = next_id_++;
  Stage& s = stages_[id];
  s.snap.stage = stage;
  for (auto it = stages_.begin(); it != stages_.end(); ++it)
    if (it->first != id && it->second.snap.stage == stage && !it->second.snap.running) {
      s.ended = it->second.Shown();
      stages_.erase(it);
      break;
    }
  return id;
}

StageSnapshot Monitor::Stage::Shown() const {
  if (ended.stage.empty()) return snap;
  StageSnapshot shown = snap;
  shown.stats.in += ended.stats.in;
  shown.stats.out += ended.stats.out;
  shown.stats.skipped += ended.stats.skipped;
  shown.stats.dead_lettered += ended.stats.dead_lettered;
  shown.stats.delivery_errors += ended.stats.delivery_errors;
  shown.stats.bytes_in += ended.stats.bytes_in;
  shown.stats.start_ms = ended.stats.start_ms;
  for (auto& [tp, c] : ended.partitions) {
    auto [it, added] = shown.partitions.emplace(tp, c);
    if (added) continue;  // a partition only the ended stage read: its counts as they ended
    it->second.in += c.in;
    it->second.skipped += c.skipped;
    it->second.dead_lettered += c.dead_lettered;
  }
  for (auto& [name, n] : ended.counters) {
    auto it =
        std::find_if(shown.counters.begin(), shown.counters.end(), [&](auto& c) { return c.first == name; });
    if (it == shown.counters.end())
      shown.counters.emplace_back(name, n);
    else
      it->second += n;
  }
  shown.commits += ended.commits;
  shown.commit_failures += ended.commit_failures;
  shown.commit_seconds += ended.commit_seconds;
  shown.rebalances += ended.rebalances;
  return shown;
}

void Monitor::Publish(int id, StageSnapshot snap) {
  std::lock_guard<std::mutex> lock(mu_);
  Stage& s = stages_[id];
  s.snap = std::move(snap);
  if (!s.snap.running) {  // nobody answers any more
    for (auto& p : s.queries) {
      p->answer = {Status::Unavailable("the stage has ended"), ""};
      p->done = true;
    }
    s.queries.clear();
    answered_.notify_all();
  }
}

std::vector<StageSnapshot> Monitor::Snapshots() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<StageSnapshot> out;
  for (auto& [id, s] : stages_) out.push_back(s.Shown());
  return out;
}

StageSnapshot Monitor::Snapshot(int id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = stages_.find(id);
  return it == stages_.end() ? StageSnapshot{} : it->second.Shown();
}

int Monitor::StateStage() const {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [id, s] : stages_)
    if (s.snap.has_state && s.snap.running) return id;
  return -1;
}

StateAnswer Monitor::Ask(int id, const StateQuery& q, int timeout_ms) {
  auto p = std::make_shared<Pending>();
  p->query = q;
  std::unique_lock<std::mutex> lock(mu_);
  auto it = stages_.find(id);
  if (it == stages_.end() || !it->second.snap.running)
    return {Status::Unavailable("no stage keeps state"), ""};
  it->second.queries.push_back(p);
  if (!answered_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return p->done; }))
    return {Status::Unavailable("the stage did not answer within " + std::to_string(timeout_ms) + " ms"), ""};
  return p->answer;
}

bool Monitor::HasQueries(int id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = stages_.find(id);
  return it != stages_.end() && !it->second.queries.empty();
}

void Monitor::Answer(int id, const std::function<StateAnswer(const StateQuery&)>& fn) {
  std::deque<std::shared_ptr<Pending>> queries;
  {
    std::lock_guard<std::mutex> lock(mu_);
    queries.swap(stages_[id].queries);
  }
  for (auto& p : queries) {  // the stores are read without the lock: they are this thread's
    StateAnswer a = fn(p->query);
    std::lock_guard<std::mutex> lock(mu_);
    p->answer = std::move(a);
    p->done = true;
  }
  answered_.notify_all();
}

}  // namespace kt
