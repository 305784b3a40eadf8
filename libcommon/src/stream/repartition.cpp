#include "kt/stream/repartition.hpp"

#include <chrono>
#include <memory>
#include <thread>

#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/core/signals.hpp"
#include "kt/kafka/admin.hpp"
#include "kt/run/tool.hpp"
#include "kt/stream/rekey.hpp"

namespace kt {

CommonOptions SecondStageOptions(const CommonOptions& common, const std::string& repartition, const std::string& group) {
  CommonOptions s2 = common;
  s2.input = repartition;
  s2.group = group;
  s2.from = "beginning";
  s2.count = -1;
  s2.schema_file.clear();  // the schema applies to the input, in stage 1
  s2.exit_at_end = common.exit_at_end || common.count >= 0;
  return s2;
}

int RunRepartitioned(const std::string& tool, const CommonOptions& common, const KafkaConfig& cfg, int partitions,
                     std::vector<RekeyStage> stages, const SecondStage& stage2,
                     bool stage2_after_stage1) {
  for (const RekeyStage& st : stages) {
    bool created = false;
    TopicSpec topic{.name = st.topic, .partitions = partitions, .replication_factor = common.replication_factor};
    if (Status s = EnsureTopic(cfg, topic, tool, &created); !s.ok()) {
      LogError(tool, "repartition " + s.message());
      return ExitCodeFor(Status::KafkaError(s.message()));
    }
  }
  std::atomic<bool> stage1_done{false};
  int rc2 = kExitOk;
  std::thread second([&] {
    // Where CreateTopics is unavailable (kbroker) a repartition topic appears with its stage's
    // first record; with nothing re-keyed there is nothing for stage 2 to do.
    auto exists = [&](const std::string& name) {
      auto n = PartitionCount(cfg, name, tool);
      return n.ok() && *n > 0;
    };
    if (stage2_after_stage1) {
      stage1_done.wait(false);  // every stage 1 ends, on a stop too; then it is notified
      if (StopRequested()) return;
    }
    for (const RekeyStage& st : stages) {
      while (!exists(st.topic)) {
        if (stage1_done || StopRequested()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    rc2 = stage2(&stage1_done);
  });
  std::vector<int> rc1(stages.size(), kExitOk);
  std::vector<std::thread> firsts;
  for (size_t i = 0; i < stages.size(); ++i) {
    firsts.emplace_back([&, i] {
      CommonOptions s1 = common;  // each thread owns its stage's options and expression
      s1.input = stages[i].input;
      s1.output = stages[i].topic;
      s1.group = stages[i].group;
      RekeyTransform rekey(std::move(stages[i].by), /*seed=*/0, /*keep_origin=*/true);
      rc1[i] = RunTool(tool + "-repartition", s1, rekey);
      if (rc1[i] != kExitOk) RequestStop();  // the other stages drain what they have and stop
    });
  }
  for (std::thread& t : firsts) t.join();
  stage1_done = true;
  stage1_done.notify_all();
  second.join();
  for (int rc : rc1)
    if (rc != kExitOk) return rc;
  return rc2;
}

}  // namespace kt
