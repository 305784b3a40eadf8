#include "gen_source.hpp"

namespace kt::kgen {

Status GenSource::Open(RebalanceListener* listener) {
  if (listener) listener->OnAssigned({kt::TopicPartition{"", -1}});
  return Status::Ok();
}

Source::Poll GenSource::Next(int timeout_ms, Record* rec, Status* record_status) {
  if (!pacer_.WaitTurn(timeout_ms)) return Poll::kIdle;
  pacer_.Produced();
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
