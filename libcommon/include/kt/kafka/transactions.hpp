// Exactly-once on Kafka (KIP-98, KIP-447: Kafka Streams' exactly_once_v2): one transactional
// producer per Runner; each commit sends the input offsets with the consumer's group metadata
// into the transaction and commits it. A member that lost its partitions (a zombie) is fenced
// by the group generation in those offsets; a restarted process with the same transactional.id
// aborts whatever its predecessor left open (ClaimTransactionalId keeps ids stable per host).
#pragma once

#include <string>

#include "kt/io/transactions.hpp"
#include "kt/kafka/sink.hpp"
#include "kt/kafka/source.hpp"

namespace kt {

class KafkaTransactions : public Transactions {
 public:
  // `source` may be null (a file or stdin: no offsets). Neither is owned; both are opened by
  // the Runner before Begin.
  KafkaTransactions(KafkaSink* sink, KafkaSource* source, int timeout_ms)
      : sink_(sink), source_(source), timeout_ms_(timeout_ms) {}

  Status Begin() override;
  Status Commit(const std::vector<TopicPartitionOffset>& offsets) override;
  Status Abort() override;
  Status Renew() override;

 private:
  KafkaSink* sink_;
  KafkaSource* source_;
  int timeout_ms_;
  bool initialized_ = false;
};

// A transactional.id for `base` (the consumer group, or tool and output topic for a file
// input) that is unique among the processes running now and the same as a crashed
// predecessor's on this host: "<base>-<host>-<slot>", the slot being the lowest whose lock
// file under `lock_dir` no running process holds (the lock is held until the process exits).
// A restart then aborts the transaction its predecessor left open at once instead of leaving
// downstream read_committed consumers waiting for transaction.timeout.ms.
Result<std::string> ClaimTransactionalId(const std::string& base, const std::string& lock_dir);

// Where the locks of ClaimTransactionalId live for `base`: a directory of this host, the same
// for every user and every state directory ($TMPDIR, else /tmp: ktools-txn/<base>), so that no
// two processes of one host ever hold one transactional.id.
std::string TransactionLockDir(const std::string& base);

}  // namespace kt
