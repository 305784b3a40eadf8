// A Source of generated records, optionally paced to --rate records per second. Each record's
// Kafka timestamp is its event time.
#pragma once

#include <memory>
#include <string>

#include "generators.hpp"
#include "kt/io/pacer.hpp"
#include "kt/io/source.hpp"

namespace kt::kgen {

class GenSource : public Source {
 public:
  GenSource(std::unique_ptr<Generator> gen, double rate) : gen_(std::move(gen)), pacer_(rate) {}
  Status Open(RebalanceListener* listener) override;
  Poll Next(int timeout_ms, Record* rec, Status* record_status) override;

 private:
  std::unique_ptr<Generator> gen_;
  Pacer pacer_;  // --rate records/s; 0 = unpaced
  int64_t produced_ = 0;
  std::string value_;
  Headers headers_;
};

}  // namespace kt::kgen
