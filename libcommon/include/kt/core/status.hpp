// Status and Result<T>: errors as values (leveldb style). No exceptions cross libcommon's API.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace kt {

// [[nodiscard]]: an error nobody looks at is an error lost; (void) says "on purpose".
class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk,
    kInvalidArgument,
    kDataError,
    kIoError,
    kKafkaError,
    kNotFound,
    kDropped,
    kAborted,
    kUnavailable,
    kFenced,
    kEnd
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return {Code::kInvalidArgument, std::move(msg)}; }
  // A bad record: handled by the --on-error policy, exit 3 under `fail`.
  static Status DataError(std::string msg) { return {Code::kDataError, std::move(msg)}; }
  // A good record the Transform deliberately drops (late for its windows): the Transform counts
  // it; the Runner dead-letters it under --on-error dlq and otherwise carries on.
  static Status Dropped(std::string msg) { return {Code::kDropped, std::move(msg)}; }
  static Status IoError(std::string msg) { return {Code::kIoError, std::move(msg)}; }
  static Status KafkaError(std::string msg) { return {Code::kKafkaError, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  // A transaction was rolled back: nothing it wrote is visible; the work is to be done again.
  static Status Aborted(std::string msg) { return {Code::kAborted, std::move(msg)}; }
  // Kafka cannot be reached or did not answer in time (a broker outage): the work since the last
  // commit is to be done again once it answers, within the run's --task-timeout.
  static Status Unavailable(std::string msg) { return {Code::kUnavailable, std::move(msg)}; }
  // This process's producer was fenced: another producer took its transactional.id, or its
  // transaction timed out while the process was stalled. What it did since its last commit is
  // void; a new producer may go on.
  static Status Fenced(std::string msg) { return {Code::kFenced, std::move(msg)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return msg_; }
  bool IsDataError() const { return code_ == Code::kDataError; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsDropped() const { return code_ == Code::kDropped; }
  bool IsAborted() const { return code_ == Code::kAborted; }
  bool IsUnavailable() const { return code_ == Code::kUnavailable; }
  bool IsFenced() const { return code_ == Code::kFenced; }
  // A failure the run recovers from by doing the work since its last commit again.
  bool IsRecoverable() const { return IsAborted() || IsUnavailable() || IsFenced(); }

  // Prefixes context ("topic t partition 0 offset 17") to the message.
  Status WithContext(const std::string& where) const {
    if (ok()) return *this;
    return {code_, where + ": " + msg_};
  }

 private:
  Status(Code c, std::string m) : code_(c), msg_(std::move(m)) {}
  Code code_ = Code::kOk;
  std::string msg_;
};

// Either a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: REQUIRES: !status.ok()

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  // REQUIRES: ok()
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace kt
