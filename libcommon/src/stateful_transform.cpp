#include "kt/stateful_transform.hpp"

#include "kt/kafka_admin.hpp"

namespace kt {

void StatefulTransform::OnAssigned(const std::vector<int32_t>& partitions) {
  for (int32_t p : partitions) {
    Status s = state_->Assign(p);
    if (!s.ok() && state_error_.ok()) state_error_ = s;
  }
}

void StatefulTransform::OnRevoked(const std::vector<int32_t>& partitions) {
  for (int32_t p : partitions) state_->Revoke(p);
}

Result<StateStore*> StatefulTransform::StoreFor(const Record& rec) {
  if (!state_error_.ok()) return state_error_;
  return state_->store(rec.line > 0 ? -1 : rec.partition);
}

void StatefulTransform::WriteChangelog(const Record& rec, std::string_view key, std::string_view value,
                                       Emitter& out) {
  if (!state_->changelog()) return;
  OutRecord c;
  c.internal = c.wire = true;
  c.topic = state_->changelog()->topic();
  c.partition = rec.partition;
  c.key = key;
  c.value_kind = OutRecord::ValueKind::kText;
  c.value_text = value;
  c.timestamp = rec.timestamp;
  out.Emit(c);
}

std::string StatefulTransform::RestoredSummary() const {
  return "restored " + std::to_string(state_->restored()) + " changelog records";
}

void AddStateOptions(CLI::App& app, StateCliOptions& o) {
  app.add_option("--store", o.store, "State store: rocksdb or memory")->check(CLI::IsMember({"rocksdb", "memory"}))
      ->capture_default_str();
  app.add_option("--state-dir", o.state_dir, "Where RocksDB keeps state (default $XDG_STATE_HOME/ktools/<group>)");
}

Result<std::unique_ptr<PartitionedState>> OpenToolState(CommonOptions& common, const std::string& tool,
                                                        const std::string& name, const StateCliOptions& o,
                                                        ToolSpec* spec, int partitions) {
  StoreOptions so;
  auto kind = ParseStoreKind(o.store);
  if (!kind.ok()) return kind.status();
  so.kind = *kind;
  if (common.input == "-") return std::make_unique<PartitionedState>(so, nullptr);
  auto cfg = ResolveKafkaConfig(common);
  if (!cfg.ok()) return cfg.status();
  if (common.group.empty()) common.group = "ktools-" + tool + "-" + common.input;
  Result<int> n = partitions;
  if (partitions <= 0) n = PartitionCount(*cfg, common.input, tool);
  if (!n.ok()) return n.status();
  if (*n == 0) return Status::KafkaError("topic '" + common.input + "' does not exist on " + cfg->brokers);
  auto changelog = std::make_unique<Changelog>(*cfg, common.group + "-" + name + "-changelog", tool);
  if (Status s = changelog->Ensure(*n); !s.ok()) return s;
  so.dir = (o.state_dir.empty() ? DefaultStateDir(common.group) : o.state_dir) + "/" + name;
  spec->needs_kafka = true;
  return std::make_unique<PartitionedState>(so, std::move(changelog));
}

}  // namespace kt
