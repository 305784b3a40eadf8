// The state of a stateful tool: one StateStore per assigned input partition, each a cache of
// the matching changelog partition.
//
//   Assign(p)   opens p's store. With a changelog p then restores: Restore replays the
//               changelog from the store's checkpoint to the end, a slice at a time, while the
//               Runner keeps p's input paused and goes on polling (a large changelog never
//               holds up the group); p is ready once it caught up. A checkpoint that the
//               changelog no longer holds (beyond its end: deleted and recreated, or truncated;
//               before its start) wipes the store and rebuilds it from the whole changelog.
//   Persist()   after the changelog records of the staged writes are acknowledged (or their
//               transaction committed): makes the staged writes durable with each partition's
//               last changelog offset as its checkpoint, in one atomic write per store.
//   Revoke(p)   after a commit: closes p's store (its writes are durable).
//   Drop(p)     without a commit (lost partition, aborted transaction): forgets p's staged
//               writes and closes the store; the next Assign restores from the changelog.
//   Standbys   (--standbys N, SetStandbys) partitions this copy does not hold but keeps warm:
//               their stores are open and follow the changelog (Tend, between records; the
//               same consumer as restores), committed with their checkpoint about every second.
//               Assign(p) of a standby takes its store as it is: p restores only the tail.
// Without a changelog (stdin input, an ad-hoc run) stores are in memory; with `single_task` one
// store, partition -1, serves every partition (keys that meet across partitions).
#pragma once

#include <future>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "kt/io/source.hpp"
#include "kt/kafka/standby_planner.hpp"
#include "kt/state/changelog.hpp"
#include "kt/state/store.hpp"

namespace kt {

class PartitionedState {
 public:
  // `changelog` may be null (in-memory state only). `tool` names warnings. `single_task`: one
  // store for all partitions (only without a changelog).
  PartitionedState(StoreOptions options, std::unique_ptr<Changelog> changelog, std::string tool = "",
                   bool single_task = false);

  // Opens p's store; returns true when p must restore before it is used.
  Result<bool> Assign(int32_t p);
  // Starts opening the stores that Assign of `partitions` will open, all at once on threads of
  // their own, and returns: a new RocksDB store is mostly file creation and fsyncs (about 6 ms),
  // and sixteen opened one after another held the first record back by 0.1 s; begun while the
  // source looks up where the partitions start, they open meanwhile (sixteen new stores took
  // 0.1-0.13 s beside a busy re-keying stage, as long as a new repartition topic's leaders take
  // to be ready). Assign of a partition waits for its store; a store that failed to open is
  // opened again by Assign, which reports the error. Partitions already open or opening are
  // left alone.
  void StartOpening(const std::vector<int32_t>& partitions);
  bool Restoring() const { return !restoring_.empty(); }
  bool IsRestoring(int32_t p) const { return restoring_.count(p) > 0; }
  // Replays changelog records into restoring stores for about `budget_ms` and appends to
  // `ready` the partitions that caught up (their stores committed with the checkpoint).
  Status Restore(int budget_ms, std::vector<int32_t>* ready);
  Status Persist(const std::vector<TopicPartitionOffset>& changelog_acked);
  Status Revoke(int32_t p);
  void Drop(int32_t p);

  // REQUIRES: p assigned.
  StateStore* store(int32_t p) { return stores_.at(Task(p)).get(); }
  bool has(int32_t p) const { return stores_.count(Task(p)) > 0; }
  // The partitions whose stores are open (-1 alone in a one-store run), and their sizes.
  std::vector<int32_t> partitions() const;
  // partition, keys, bytes, standby
  void Sizes(std::vector<std::tuple<int32_t, int64_t, int64_t, bool>>* out) const;
  // Whether one store serves every partition (its partition is -1).
  bool single_task() const { return single_task_; }
  Changelog* changelog() { return changelog_.get(); }
  const Changelog* changelog() const { return changelog_.get(); }
  // Changelog records replayed so far, over all assignments.
  int64_t restored() const { return restored_; }

  // --no-repartition: every key's state belongs in its murmur2 partition of `partitions` (the
  // partition a repartition topic would have put it in); 0 (the default): wherever it comes.
  // A record whose key belongs elsewhere is a bad record; with `route` (a batch run reading its
  // input directly, app/in_place.hpp) it goes to that partition's state instead, as the
  // repartition topic would have taken it there.
  void RequireHomeKeys(int32_t partitions, bool route = false) {
    home_partitions_ = partitions;
    route_ = route;
  }
  int32_t home_partitions() const { return home_partitions_; }
  bool routes() const { return route_; }

  // --standbys: which partitions to keep warm comes from `planner` (asked at each Tend).
  void SetStandbyPlanner(std::unique_ptr<StandbyPlanner> planner) {
    planner_ = std::move(planner);
    if (changelog_) changelog_->FollowForStandbys();
  }
  // Keeps the standbys warm for about `budget_ms` (nothing while a partition restores: Restore
  // reads for both). `wait`: for records to arrive (the input is idle); else only what the
  // consumer has fetched already is applied.
  Status Tend(int budget_ms, bool wait);
  // Standby partitions and the changelog records applied to them so far.
  std::vector<int32_t> standbys() const;
  int64_t standby_applied() const { return standby_applied_; }

 private:
  struct Standby {
    std::unique_ptr<StateStore> store;
    int64_t applied = -1;  // last changelog offset in the store (staged or committed)
    bool staged = false;   // writes since the store's last commit
  };
  // Opens p's store as a standby and starts following the changelog from its checkpoint.
  Status StartStandby(int32_t p);
  // Commits (what it applied, as its checkpoint) and closes a standby.
  Status StopStandby(int32_t p);
  // Reads the changelog for both restores and standbys.
  Status PollChangelog(int budget_ms, bool bounded, bool wait, std::vector<int32_t>* done,
                       std::vector<int32_t>* lost);
  Status CommitStandbys();

  struct RestoreProgress {
    int64_t end = -1;      // the changelog's end when restoration started; -1: not started
    int64_t applied = -1;  // last offset applied
  };
  Status Begin(int32_t p, RestoreProgress* r, std::vector<int32_t>* ready);
  Status Finish(int32_t p, int64_t checkpoint, std::vector<int32_t>* ready);
  Status Rebuild(int32_t p, const std::string& why);
  // p's store: the one StartOpening opened (waited for), or opened now.
  Result<std::unique_ptr<StateStore>> OpenStore(int32_t p);

  int32_t Task(int32_t p) const { return single_task_ ? -1 : p; }

  StoreFactory factory_;
  std::unique_ptr<Changelog> changelog_;
  std::string tool_;
  std::map<int32_t, std::unique_ptr<StateStore>> stores_;
  // StartOpening's, until Assign or StartStandby. A future of std::async waits for its thread
  // when destroyed: no store outlives the factory it came from.
  std::map<int32_t, std::future<Result<std::unique_ptr<StateStore>>>> opening_;
  std::map<int32_t, RestoreProgress> restoring_;
  int64_t restored_ = 0;
  int32_t home_partitions_ = 0;
  bool route_ = false;
  bool single_task_;
  std::unique_ptr<StandbyPlanner> planner_;
  std::map<int32_t, Standby> standbys_;
  int64_t standby_applied_ = 0;
  int64_t standby_committed_ms_ = 0;
};

}  // namespace kt
