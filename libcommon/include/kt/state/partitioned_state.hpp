// The state of a stateful tool: one StateStore per assigned input partition, each a cache of
// the matching changelog partition.
//
//   Assign(p)   opens p's store and replays the changelog from the store's checkpoint to the end
//               (everything, for a new or memory store), before p's input is processed.
//   Commit()    persists pending writes (keeping the checkpoint): bounds memory; correctness
//               never depends on it, the changelog does.
//   Revoke(p)   once every changelog write is acknowledged (the Runner flushes first): stores
//               the changelog end offset as checkpoint with the data, and closes the store.
// Without a changelog (stdin input) there is one memory store for partition -1.
#pragma once

#include <map>
#include <memory>

#include "kt/state/changelog.hpp"
#include "kt/state/store.hpp"

namespace kt {

class PartitionedState {
 public:
  // `changelog` may be null (stdin input: in-memory state only).
  PartitionedState(StoreOptions options, std::unique_ptr<Changelog> changelog);

  Status Assign(int32_t p);
  Status Revoke(int32_t p);
  void Commit();
  // REQUIRES: p assigned.
  StateStore* store(int32_t p) { return stores_.at(p).get(); }
  Changelog* changelog() { return changelog_.get(); }
  // Changelog records replayed so far, over all assignments.
  int64_t restored() const { return restored_; }

 private:
  StoreFactory factory_;
  std::unique_ptr<Changelog> changelog_;
  std::map<int32_t, std::unique_ptr<StateStore>> stores_;
  int64_t restored_ = 0;
};

}  // namespace kt
