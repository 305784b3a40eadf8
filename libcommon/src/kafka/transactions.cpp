#include "kt/kafka/transactions.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "kt/core/deadline.hpp"

namespace kt {

namespace {

// Turns a librdkafka transaction error into a Status: Aborted when the transaction must be
// (or was) rolled back, KafkaError when the producer cannot go on. Destroys `e`.
Status FromTxnError(rd_kafka_error_t* e, const std::string& what) {
  std::string msg = what + ": " + rd_kafka_error_string(e);
  bool abort = rd_kafka_error_txn_requires_abort(e);
  bool fatal = rd_kafka_error_is_fatal(e);
  bool retriable = rd_kafka_error_is_retriable(e);
  rd_kafka_resp_err_t code = rd_kafka_error_code(e);
  rd_kafka_error_destroy(e);
  if (fatal) {
    if (code == RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED ||
        code == RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED)
      return Status::KafkaError(msg);
    return Status::Fenced(msg);
  }
  if (abort) return Status::Aborted("transaction aborted (" + msg + ")");
  if (retriable || code == RD_KAFKA_RESP_ERR__TIMED_OUT || code == RD_KAFKA_RESP_ERR__TRANSPORT ||
      code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
    return Status::Unavailable(msg);
  return Status::KafkaError(msg);
}

// Calls `op` until it succeeds, fails for good, or `timeout_ms` passed: retriable errors
// (a coordinator moving, a timeout) are retried, as librdkafka asks.
template <typename Op>
Status Retry(const std::string& what, int timeout_ms, Op op) {
  Deadline deadline(timeout_ms);  // a stop of the process starts it over
  while (true) {
    rd_kafka_error_t* e = op();
    if (!e) return Status::Ok();
    if (!rd_kafka_error_is_retriable(e) || deadline.Passed()) return FromTxnError(e, what);
    rd_kafka_error_destroy(e);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace

Status KafkaTransactions::Begin() {
  rd_kafka_t* rk = sink_->handle();
  if (!initialized_) {
    Status s = Retry("initializing transactions", timeout_ms_,
                     [&] { return rd_kafka_init_transactions(rk, timeout_ms_); });
    if (!s.ok()) return s.IsAborted() ? Status::Unavailable(s.message()) : s;
    initialized_ = true;
  }
  if (rd_kafka_error_t* e = rd_kafka_begin_transaction(rk)) return FromTxnError(e, "beginning a transaction");
  return Status::Ok();
}

Status KafkaTransactions::Commit(const std::vector<TopicPartitionOffset>& offsets) {
  rd_kafka_t* rk = sink_->handle();
  if (!offsets.empty() && source_) {
    rd_kafka_topic_partition_list_t* l = CommitList(offsets);
    rd_kafka_consumer_group_metadata_t* md = rd_kafka_consumer_group_metadata(source_->handle());
    Status s = Retry("sending offsets to the transaction", timeout_ms_,
                     [&] { return rd_kafka_send_offsets_to_transaction(rk, l, md, timeout_ms_); });
    rd_kafka_consumer_group_metadata_destroy(md);
    rd_kafka_topic_partition_list_destroy(l);
    if (!s.ok()) return s;
  }
  return Retry("committing the transaction", timeout_ms_,
               [&] { return rd_kafka_commit_transaction(rk, timeout_ms_); });
}

Status KafkaTransactions::Abort() {
  if (!initialized_) return Status::Ok();  // nothing was begun
  rd_kafka_t* rk = sink_->handle();
  Status s = Retry("aborting the transaction", timeout_ms_, [&] {
    rd_kafka_error_t* e = rd_kafka_abort_transaction(rk, timeout_ms_);
    // No transaction open (librdkafka's state Ready): nothing to abort.
    if (e && rd_kafka_error_code(e) == RD_KAFKA_RESP_ERR__STATE) {
      rd_kafka_error_destroy(e);
      return static_cast<rd_kafka_error_t*>(nullptr);
    }
    return e;
  });
  return s.IsAborted() ? Status::Unavailable(s.message()) : s;
}

Status KafkaTransactions::Renew() {
  initialized_ = false;
  return sink_->Renew();
}

std::string TransactionLockDir(const std::string& base) {
  const char* tmp = std::getenv("TMPDIR");
  std::string root = std::string(tmp && *tmp ? tmp : "/tmp") + "/ktools-txn";
  std::string name = base;
  for (char& c : name)
    if (c == '/') c = '_';
  return root + "/" + name;
}

Result<std::string> ClaimTransactionalId(const std::string& base, const std::string& lock_dir) {
  std::error_code ec;
  std::filesystem::path dir(lock_dir);
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create " + lock_dir + " for transaction locks: " + ec.message());
  // Every user of this host takes its locks here: the directories are writable by all.
  for (const std::filesystem::path& d : {dir.parent_path(), dir})
    std::filesystem::permissions(d, std::filesystem::perms::all | std::filesystem::perms::sticky_bit, ec);
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  for (int slot = 0; slot < 1024; ++slot) {
    std::string path = lock_dir + "/txn-" + std::to_string(slot) + ".lock";
    int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) continue;  // another user's lock file we may not open: that slot is not ours
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
      return base + "-" + host + "-" + std::to_string(slot);  // fd stays open
    ::close(fd);
  }
  return Status::IoError("no free transaction slot in " + lock_dir);
}

}  // namespace kt
