#include "kt/run/commit_barrier.hpp"

#include "kt/core/log.hpp"

namespace kt {

void CommitBarrier::InternalAcked(const Delivered& where) {
  if (where.offset < 0) return;
  auto [it, inserted] =
      internal_acked_.try_emplace({std::string(where.topic), where.partition}, where.offset);
  if (!inserted && where.offset > it->second) it->second = where.offset;
}

std::vector<TopicPartitionOffset> CommitBarrier::ChangelogAcked() const {
  std::vector<TopicPartitionOffset> out;
  for (auto& [tp, offset] : internal_acked_) out.push_back({tp.first, tp.second, offset});
  return out;
}

Status CommitBarrier::FlushSinks() {
  Status result;
  for (Sink* s : p_.sinks) {
    Status f = s->Flush(p_.flush_timeout_ms);
    if (result.ok()) result = f;
  }
  return result;
}

Status CommitBarrier::Run(Emitter& out) {
  Transform* t = p_.transform;
  // 1. Every output and dead letter sent so far is acknowledged (failures arrive in fatal_).
  if (Status f = FlushSinks(); !f.ok()) return f;
  if (!fatal_.ok()) return fatal_;
  // 2. The state those records produced is written and acknowledged.
  if (t->HasState()) {
    if (Status s = t->WriteState(out); !s.ok()) return s;
    if (!fatal_.ok()) return fatal_;
    if (Status f = FlushSinks(); !f.ok()) return f;
    if (!fatal_.ok()) return fatal_;
  }
  std::vector<TopicPartitionOffset> offsets = p_.tracker->Committable();
  // 3. Exactly-once: outputs, state and offsets become visible together.
  if (p_.txn) {
    if (Status s = p_.txn->Commit(offsets); !s.ok()) return s;
    p_.tracker->MarkCommitted(offsets);
  }
  // 4. Local state follows what is durable in the changelog.
  if (t->HasState()) {
    if (Status s = t->PersistState(ChangelogAcked()); !s.ok()) return s;
  }
  internal_acked_.clear();
  if (p_.txn) return Status::Ok();
  // 5. Input offsets.
  return CommitOffsets(offsets);
}

Status CommitBarrier::CommitOffsets(const std::vector<TopicPartitionOffset>& offsets) {
  if (offsets.empty() || !p_.source->Commits()) return Status::Ok();
  Status s = p_.source->Commit(offsets);
  if (s.ok()) {
    p_.tracker->MarkCommitted(offsets);
    commit_error_ = Status::Ok();
  } else {
    if (!p_.quiet) LogWarning(p_.tool, "commit failed (retried at the next commit): " + s.message());
    commit_error_ = s;
  }
  return Status::Ok();
}

}  // namespace kt
