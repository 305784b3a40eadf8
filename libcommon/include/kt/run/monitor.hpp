// What running stages show the process's monitor (--http, app/http_service.hpp). Each Runner
// registers as a stage, publishes a StageSnapshot of its counters and gauges from its own thread
// (at most every kPublishEveryMs, and at its end), and answers the state queries the monitor
// queues for it between records (Runner::Tick): a Transform's state is only ever touched by its
// Runner's thread, so queries need no lock on the stores. The HTTP thread reads snapshots and
// queues queries; everything here is guarded by one mutex.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "kt/core/status.hpp"
#include "kt/io/source.hpp"
#include "kt/run/stats.hpp"

namespace kt {

// Per input partition.
struct PartitionCounters {
  int64_t in = 0;             // records read
  int64_t skipped = 0;        // bad records skipped
  int64_t dead_lettered = 0;  // bad records (or dropped ones) sent to --dlq
  int64_t lag = -1;           // records behind its end offset; -1 unknown
};

// One stateful partition's store.
struct StoreSize {
  int32_t partition = -1;
  int64_t keys = 0;      // RocksDB: its estimate
  int64_t bytes = 0;     // on disk and in memtables (RocksDB), or keys and values (memory)
  bool standby = false;  // kept warm for another copy (--standbys)
};

struct StageSnapshot {
  std::string stage;   // the Runner's name: "kmap", "ktable", "ktable-repartition"
  std::string output;  // -o topic, "-" stdout, "" routed per record
  std::string group;   // its consumer group; "" none
  std::string input;   // its (first) input topic; "" stdin
  int64_t published_ms = 0;
  Stats stats;
  std::map<TopicPartition, PartitionCounters> partitions;
  std::vector<std::pair<std::string, int64_t>> counters;  // the Transform's (Transform::Counters)
  int64_t commits = 0, commit_failures = 0;
  double commit_seconds = 0;             // time spent in commits that went through
  int64_t rebalances = 0;                // assignments and revocations seen
  std::vector<TopicPartition> assigned;  // input partitions held now
  int restoring = 0;                     // tasks whose state is restoring
  bool assigned_once = false;  // the group gave this copy its first assignment (or there is no group)
  bool recovering = false;     // redoing its work after a broker outage or a fenced producer
  bool running = true;         // false once the Runner ended
  bool has_state = false;      // answers state queries
  std::vector<StoreSize> stores;
};

// A state query: one key, or every key that starts with `key` (prefix).
struct StateQuery {
  std::string key;
  bool prefix = false;
};
// NDJSON lines, as `ktable get` / `kwindow get` print them. NotFound: no such key here;
// Unavailable: restoring or not answered in time.
struct StateAnswer {
  Status status;
  std::string lines;
};

class Monitor {
 public:
  static constexpr int64_t kPublishEveryMs = 200;

  // The process's monitor.
  static Monitor& Instance();

  // --http: Runners publish and answer only once it is enabled (before they are created).
  void Enable();
  bool enabled() const;

  // A Runner registers when it starts and ends with Finished (its last snapshot stays). A stage
  // that starts again under the same name (a run handing its input over to the repartition topic
  // starts a new Runner as "ktable") takes the ended one's place: one series per stage, its
  // counters going on from the ended one's.
  int Register(const std::string& stage);
  void Publish(int id, StageSnapshot snap);
  std::vector<StageSnapshot> Snapshots() const;
  StageSnapshot Snapshot(int id) const;

  // HTTP thread: queues `q` for stage `id` and waits up to `timeout_ms` for its answer.
  StateAnswer Ask(int id, const StateQuery& q, int timeout_ms);
  // Runner thread: whether queries wait, and answers them all with `fn`.
  bool HasQueries(int id) const;
  void Answer(int id, const std::function<StateAnswer(const StateQuery&)>& fn);
  // The stage that answers state queries (-1 when none runs).
  int StateStage() const;

 private:
  struct Pending {
    StateQuery query;
    StateAnswer answer;
    bool done = false;
  };
  struct Stage {
    StageSnapshot snap;
    StageSnapshot ended;  // the counters of the stages of this name that ended before it
    std::deque<std::shared_ptr<Pending>> queries;
    StageSnapshot Shown() const;  // snap with ended's counters added
  };
  mutable std::mutex mu_;
  std::condition_variable answered_;
  std::map<int, Stage> stages_;
  int next_id_ = 0;
  bool enabled_ = false;
};

}  // namespace kt
