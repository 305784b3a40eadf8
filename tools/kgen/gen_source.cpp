#include "gen_source.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "kt/core/time.hpp"

namespace kt::kgen {

Status GenSource::Open(RebalanceListener* listener) {
  start_ms_ = NowMs();
  if (listener) listener->OnAssigned({kt::TopicPartition{"", -1}});
  return Status::Ok();
}

Source::Poll GenSource::Next(int timeout_ms, Record* rec, Status* record_status) {
  if (rate_ > 0) {
    int64_t due = start_ms_ + static_cast<int64_t>(static_cast<double>(produced_) * 1000.0 / rate_);
    int64_t wait = due - NowMs();
    if (wait > 0) {
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::min<int64_t>(wait, std::max(timeout_ms, 1))));
      if (NowMs() < due) return Poll::kIdle;
    }
  }
  int64_t t;
  gen_->Next(&value_, &t);
  *rec = Record();
  rec->value = rec->wire_value = value_;
  rec->timestamp = t;
  rec->headers = &headers_;
  rec->offset = produced_++;
  *record_status = Status::Ok();
  return Poll::kRecord;
}

}  // namespace kt::kgen
