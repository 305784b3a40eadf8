// A store's changelog topic: <group>-<store>-changelog, compacted, with exactly as many
// partitions as the input (partition p of the changelog belongs to input partition p).
// Values are complete states (not deltas), so replaying any suffix in order is idempotent.
//
// Reading is incremental, for restoring while the tool keeps polling its input: Start(p) adds
// a partition to one assign-only consumer (never in a group, read_committed), Poll reads for a
// bounded time and reports records and each partition's end, Stop(p) takes it off again.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kt/core/record.hpp"
#include "kt/core/status.hpp"
#include "kt/kafka/admin.hpp"
#include "kt/kafka/client.hpp"
#include "kt/kafka/config.hpp"
#include "kt/state/store.hpp"

namespace kt {

class Changelog {
 public:
  Changelog(KafkaConfig cfg, std::string topic, std::string tool, bool verbose = false);
  ~Changelog();
  Changelog(const Changelog&) = delete;
  Changelog& operator=(const Changelog&) = delete;

  const std::string& topic() const { return topic_; }
  const KafkaConfig& config() const { return client_.config(); }
  // Creates the topic (compacted; `replication_factor` -1: the broker's default) with
  // `partitions` partitions, or checks that an existing one has that many (co-partitioning
  // with the input, Faust's PartitionsMismatch) and is compacted.
  // `configs`: further settings for a new topic (max.message.bytes).
  Status Ensure(int partitions, int replication_factor, const Properties& configs = {});
  // The changelog topic `topic` as Ensure creates it: for creating it together with other topics
  // (CreateMissingTogether), after which Ensure is not needed.
  static TopicSpec Spec(const std::string& topic, int partitions, int replication_factor,
                        const Properties& configs = {});

  // The offsets of partition p's first record and of the one after its last (its high
  // watermark; under read_committed, the last stable offset). {0, 0} when it does not exist.
  Result<std::pair<int64_t, int64_t>> Watermarks(int32_t p);

  // The offset after partition p's last record, committed or not (its high watermark, under
  // read_uncommitted). A restore reads up to it: a transaction still open there (another copy's,
  // one that stalled) holds the restore back until it commits or aborts, so that no committed
  // transaction before it (which may hold the input offsets this copy starts from) is missed.
  Result<int64_t> LogEnd(int32_t p);

  // Looks up what Watermarks and LogEnd give for every partition in `ps` at once: three
  // ListOffsets requests instead of four per partition (sixteen new partitions waited 32
  // round trips, one after another, before their first record). The next Watermarks and
  // LogEnd of each partition take its answer (16 partitions: 4 ms instead of 11-31 ms);
  // ForgetLookAhead drops the ones not taken. A partition the batch could not answer is looked
  // up alone, as before.
  void LookAhead(const std::vector<int32_t>& ps);
  void ForgetLookAhead() {
    marks_ahead_.clear();
    ends_ahead_.clear();
  }

  // Standbys will follow the changelog at its end for the whole run (PartitionedState's
  // standby planner): a fetch at a partition's end then waits for records (fetch.wait.max.ms
  // 500 ms) rather than asking a hundred times a second. Without them the consumer only
  // restores, and asks again every 10 ms: the end of a partition whose checkpoint lies just
  // before its last transaction marker (every restart of a stage with local state: the marker
  // is never delivered) is seen in milliseconds, not after two long polls (~1 s a restart).
  // Before the first Start.
  void FollowForStandbys() { follows_ = true; }

  // Starts reading partition p at `from`.
  Status Start(int32_t p, int64_t from);
  // Stops reading partition p.
  void Stop(int32_t p);
  struct Events {
    // A record (value nullopt: a tombstone; else the state's store encoding, its bookkeeping
    // headers included: state/state_value.hpp) and its timestamp.
    std::function<Status(int32_t p, int64_t offset, int64_t timestamp, std::string_view key,
                         std::optional<std::string_view> value)>
        record;
    // p has no records before `next`: it is at its end for now.
    std::function<void(int32_t p, int64_t next)> end;
    // p's position is not in the log any more (truncated, deleted, recreated).
    std::function<void(int32_t p)> out_of_range;
    // Optional: true once the caller has what it waits for; Poll then returns at once instead
    // of waiting out its budget for records that will not come.
    std::function<bool()> finished;
  };
  // Reads what has arrived, for at most about `budget_ms`, reporting it through `events`.
  // Stops at the first non-ok Status an event returns.
  Status Poll(int budget_ms, const Events& events);

  // Reads partitions `ps` from their start to their end, all at once, each into the store
  // `store_of(p)` gives, and commits those (ktable get/dump). Returns the records applied.
  // A one-shot read: the broker is asked to answer a fetch at a partition's end at once
  // (fetch.wait.max.ms), so a partition's end is seen in milliseconds.
  Result<int64_t> ReadAll(const std::vector<int32_t>& ps,
                          const std::function<StateStore*(int32_t)>& store_of);

 private:
  Status Connect();
  Result<rd_kafka_t*> Lookup(KafkaClient& client, const char* what, const char* isolation);
  Result<rd_kafka_t*> WatermarksClient();
  std::string topic_, tool_;
  std::map<int32_t, std::pair<int64_t, int64_t>> marks_ahead_;  // LookAhead's, until taken
  std::map<int32_t, int64_t> ends_ahead_;
  bool one_shot_ = false;      // ReadAll: fetches at the end are answered at once
  bool follows_ = false;       // FollowForStandbys
  KafkaClient client_;         // an assign-only consumer, never in a group
  KafkaClient end_client_;     // read_uncommitted: LogEnd
  KafkaClient lookup_client_;  // read_committed: Watermarks once Start was called (never fetches)
  bool has_read_ = false;      // Start was called
  rd_kafka_t* rk_ = nullptr;   // client_'s handle, once connected
  // The consumer queue and the batch Poll reads into, made once: Poll runs before every lookup
  // of a global table (GlobalTable::CatchUp), so it must cost next to nothing when idle.
  rd_kafka_queue_t* queue_ = nullptr;
  std::vector<rd_kafka_message_t*> batch_;
  Headers headers_;
  std::string stored_;
};

}  // namespace kt
