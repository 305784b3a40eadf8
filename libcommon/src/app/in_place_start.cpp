#include "kt/app/in_place_start.hpp"

#include <algorithm>
#include <functional>
#include <vector>

#include "kt/app/fail.hpp"
#include "kt/app/run_tool.hpp"
#include "kt/codec/value_parser.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/core/murmur2.hpp"
#include "kt/core/time.hpp"
#include "kt/kafka/client.hpp"
#include "kt/kafka/groups.hpp"

namespace kt {

namespace {

constexpr int kPeekTimeoutMs = 2000;  // FirstRecordsHome's answer: "cannot tell" after this
constexpr int kPeekPartitions = 4;    // FirstRecordsHome looks at this many partitions at most

// Sets each partition of `parts` without a committed offset to where --from starts it.
bool StartOffsets(rd_kafka_t* rk, const StartSpec& from, rd_kafka_topic_partition_list_t* parts) {
  if (rd_kafka_committed(rk, parts, kMetadataTimeoutMs) != RD_KAFKA_RESP_ERR_NO_ERROR) return false;
  rd_kafka_topic_partition_list_t* times = rd_kafka_topic_partition_list_new(parts->cnt);
  for (int i = 0; i < parts->cnt; ++i) {
    rd_kafka_topic_partition_t& p = parts->elems[i];
    if (p.offset >= 0) continue;
    // Looked up here, as KafkaSource does: the consumer's own lookup of a logical offset
    // delays the first fetch.
    rd_kafka_topic_partition_list_add(times, p.topic, p.partition)->offset =
        from.kind == StartSpec::Kind::kTime ? from.time_ms : RD_KAFKA_OFFSET_BEGINNING;
  }
  bool ok = times->cnt == 0 || OffsetsForTimes(rk, times) == RD_KAFKA_RESP_ERR_NO_ERROR;
  for (int i = 0; ok && i < times->cnt; ++i) {
    const rd_kafka_topic_partition_t& t = times->elems[i];
    if (t.err) ok = false;
    rd_kafka_topic_partition_list_find(parts, t.topic, t.partition)->offset =
        t.offset < 0 ? RD_KAFKA_OFFSET_END : t.offset;
  }
  rd_kafka_topic_partition_list_destroy(times);
  return ok;
}

}  // namespace

void FirstRecordsHome(const RunPlan& run, const expr::Expr& by, int partitions, int per_partition,
                      const std::function<void(bool)>& answer) {
  if (by.ReadsHeaders() || !run.value_codec.IsJson() || run.value_codec.DecodesBinary()) return answer(false);
  KafkaClient client(run.kafka, run.tool, run.verbose);
  // The group's id only to read its committed offsets: this consumer never joins it. A few
  // records of each partition are wanted, at once: no fetch is long-polled, and librdkafka's
  // default queue (queued.min.messages 100000) takes the first batch of every partition looked
  // at; a smaller one stopped fetching the partitions the first fetch had not served, and
  // librdkafka 2.0 looked again only a second later.
  Properties forced = {{"group.id", run.group},
                       {"enable.auto.commit", "false"},
                       {"enable.auto.offset.store", "false"},
                       {"enable.partition.eof", "true"},
                       {"auto.offset.reset", "earliest"},
                       {"fetch.wait.max.ms", "2"}};
  if (!client.Create(RD_KAFKA_CONSUMER, "consumer looking at the first records", {}, forced).ok())
    return answer(false);
  rd_kafka_t* rk = client.get();
  int known = 0;  // the topic's metadata before the assignment: its first fetch goes out at once
  if (!FetchMetadata(rk, run.kafka, run.input, &known).ok() || known != partitions) return answer(false);
  // A few partitions, spread over the topic: an input not partitioned by --by shows it in any of
  // them, and each one's first fetch is a whole record batch (a megabyte from kgen, say).
  int looked = std::min(partitions, kPeekPartitions);
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(looked);
  for (int i = 0; i < looked; ++i)
    rd_kafka_topic_partition_list_add(parts, run.input.c_str(),
                                      static_cast<int32_t>(i * partitions / looked));
  bool started =
      StartOffsets(rk, run.from, parts) && rd_kafka_assign(rk, parts) == RD_KAFKA_RESP_ERR_NO_ERROR;
  rd_kafka_topic_partition_list_destroy(parts);
  if (!started) return answer(false);
  std::vector<int> seen(static_cast<size_t>(partitions), 0);
  int open = looked;  // partitions that may still show a record
  bool home = true;
  ValueParser parser;
  expr::EvalContext ctx;
  std::string key;
  for (int64_t deadline = NowMs() + kPeekTimeoutMs; home && open > 0 && NowMs() < deadline;) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 50);
    if (!m) continue;
    int& n = seen[static_cast<size_t>(std::clamp<int32_t>(m->partition, 0, partitions - 1))];
    if (m->err && m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      home = false;  // cannot tell
    } else if (n < per_partition) {
      if (!m->err) {
        Record rec;
        rec.topic = run.input;
        rec.partition = m->partition;
        rec.offset = m->offset;
        rec.timestamp = rd_kafka_message_timestamp(m, nullptr);
        if (m->key) rec.key = std::string_view(static_cast<const char*>(m->key), m->key_len);
        if (m->payload) rec.value = std::string_view(static_cast<const char*>(m->payload), m->len);
        // A bad record or one without a group key says nothing here (the run handles it either way).
        if (rec.value && parser.ParseJson(*rec.value).ok()) {
          ctx.Reset(&rec, parser.doc());
          if (by.Eval(ctx).KeyText(&key) && Murmur2Partition(key, partitions) != m->partition) home = false;
        }
      }
      if (m->err || ++n == per_partition) {
        n = per_partition;
        --open;
      }
    }
    rd_kafka_message_destroy(m);
  }
  answer(home && open == 0);  // before the consumer is closed, which takes a while
}

bool MayStartInPlace(const RunPlan& run, const StatefulPlan& plan, bool first_home) {
  if (!first_home) return false;
  auto input_group = DescribeGroup(run.kafka, run.tool, run.group);
  if (!input_group.ok() || input_group->members > 0) return false;
  const std::string& repartition = plan.rekeys[0].run.output;
  if (std::ranges::count(plan.created_together, repartition)) return true;
  auto stage_group = DescribeGroup(run.kafka, run.tool, plan.stage.group);
  if (!stage_group.ok() || stage_group->members > 0) return false;
  std::vector<int32_t> parts;
  for (int32_t p = 0; p < plan.partitions; ++p) parts.push_back(p);
  auto marks = Watermarks(run.kafka, run.tool, repartition, parts);
  auto committed = CommittedOffsets(run.kafka, run.tool, plan.stage.group);
  if (!marks.ok() || !committed.ok() || marks->size() != parts.size()) return false;
  for (int32_t p : parts) {
    const PartitionOffsets& m = (*marks)[static_cast<size_t>(p)];
    int64_t next = m.low;  // no commit: the stage after reads from the beginning
    for (const TopicPartitionOffset& c : *committed)
      if (c.topic == repartition && c.partition == p) next = c.packed_done > 0 ? -1 : c.offset;
    if (next < m.high) return false;
  }
  return true;
}

std::optional<int> StartInPlace(const RunPlan& run, const StatefulIntent& intent, const StatefulPlan& plan,
                                const PartitionLookup& lookup, const StatefulFactory& make) {
  StatefulIntent in_place = intent;
  in_place.store.no_repartition = true;
  auto ip = PlanStateful(run, in_place, lookup);
  if (!ip.ok()) return FailWith(run.tool, ip.status());
  ip->topic_configs = plan.topic_configs;
  ip->created_together = plan.created_together;
  ip->store.stop_at_stranger = true;
  auto by = ParseSideKeys(*ip);
  if (!by.ok()) return FailWith(run.tool, by.status());
  auto state = OpenState(*ip);
  if (!state.ok()) return FailWith(run.tool, state.status());
  const PartitionedState& st = **state;
  std::unique_ptr<Transform> transform = make(std::move(*state), std::move(*by));
  if (run.verbose)
    LogInfo(run.tool, "reading " + run.input + " in place: its first records are partitioned by --by");
  int rc = RunTool(ip->stage, *transform);
  if (rc != kExitOk || st.stopped_before().empty()) return rc;
  if (!run.quiet)
    LogInfo(run.tool, st.stopped_before() + ": " + run.input +
                          " is not partitioned by --by; repartitioning from there");
  return std::nullopt;  // the transform and its state go: the repartitioned run opens them again
}

Result<SideKeys> ParseSideKeys(const StatefulPlan& plan) {
  SideKeys by(plan.by.size());
  for (size_t i = 0; i < by.size(); ++i) {
    if (plan.by[i].empty()) continue;
    auto e = expr::Expr::Parse(plan.by[i]);
    if (!e.ok()) return Status::InvalidArgument("--by: " + e.status().message());
    by[i] = std::move(*e);
  }
  return by;
}

}  // namespace kt
