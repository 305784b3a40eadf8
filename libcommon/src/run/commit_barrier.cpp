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
  if (p_.txn) {
    // 3. In a transaction: outputs (exactly-once), state and offsets become visible together.
    if (Status s = p_.txn->Commit(offsets); !s.ok()) return s;
    p_.tracker->MarkCommitted(offsets);
  } else {
    // 3. At-least-once: input offsets first, then the state. A copy that lost its partitions (a zombie)
    // learns it here, and must not persist: its local state would claim changelog records
    // another copy wrote meanwhile (it persists at its next successful commit instead).
    if (Status s = CommitOffsets(offsets); !s.ok()) return s;
    if (!commit_error_.ok()) return Status::Ok();
  }
  // 4. Local state follows what is durable in the changelog.
  if (t->HasState()) {
    if (Status s = t->PersistState(ChangelogAcked()); !s.ok()) return s;
  }
  internal_acked_.clear();
  return Status::Ok();
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
