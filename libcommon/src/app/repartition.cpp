#include "kt/app/repartition.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "kt/app/run_tool.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/core/signals.hpp"
#include "kt/kafka/admin.hpp"
#include "kt/stream/rekey.hpp"

namespace kt {

TopicSpec RepartitionTopicSpec(const StatefulPlan& plan, const RekeyPlan& rekey) {
  return TopicSpec{.name = rekey.run.output,
                   .partitions = plan.partitions,
                   .replication_factor = plan.stage.replication_factor,
                   .configs = plan.topic_configs};
}

int RunRepartitioned(const StatefulPlan& plan, const StageAfterRekeys& stage) {
  const RunPlan& run = plan.stage;
  for (const RekeyPlan& r : plan.rekeys) {
    if (std::ranges::count(plan.created_together, r.run.output)) continue;
    bool created = false;
    if (Status s = EnsureTopic(run.kafka, RepartitionTopicSpec(plan, r), run.tool, &created); !s.ok()) {
      LogError(run.tool, "repartition " + s.message());
      return ExitCodeFor(Status::KafkaError(s.message()));
    }
  }
  std::atomic<bool> rekeys_done{false};
  int rc2 = kExitOk;
  std::thread second([&] {
    // Where CreateTopics is unavailable (kbroker) a repartition topic appears with its stage's
    // first record; with nothing re-keyed there is nothing for the stage to do.
    auto exists = [&](const std::string& name) {
      auto n = PartitionCount(run.kafka, name, run.tool);
      return n.ok() && *n > 0;
    };
    if (plan.after_rekeys) {
      rekeys_done.wait(false);  // every re-keying stage ends, on a stop too; then it is notified
      if (StopRequested()) return;
    }
    // A topic created a moment ago may not be in the broker's metadata yet: asked again after
    // 5 ms, then less often, up to every 100 ms (kbroker's, created by a first record).
    for (const RekeyPlan& r : plan.rekeys) {
      for (int wait_ms = 5; !exists(r.run.output); wait_ms = std::min(2 * wait_ms, 100)) {
        if (rekeys_done || StopRequested()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
      }
    }
    rc2 = stage(&rekeys_done);
  });
  std::vector<int> rc1(plan.rekeys.size(), kExitOk);
  std::vector<std::thread> firsts;
  for (size_t i = 0; i < plan.rekeys.size(); ++i) {
    firsts.emplace_back([&, i] {
      const RekeyPlan& r = plan.rekeys[i];
      auto by = expr::Expr::Parse(r.by);  // each thread owns its stage's expression
      if (!by.ok()) {
        LogError(r.run.tool, "--by: " + by.status().message());
        rc1[i] = kExitUsage;
      } else {
        RekeyTransform rekey(std::move(*by), /*seed=*/0, /*keep_origin=*/true, r.keep_fields);
        rc1[i] = RunTool(r.run, rekey);
      }
      if (rc1[i] != kExitOk) RequestStop();  // the other stages drain what they have and stop
    });
  }
  for (std::thread& t : firsts) t.join();
  rekeys_done = true;
  rekeys_done.notify_all();
  second.join();
  for (int rc : rc1)
    if (rc != kExitOk) return rc;
  return rc2;
}

}  // namespace kt
