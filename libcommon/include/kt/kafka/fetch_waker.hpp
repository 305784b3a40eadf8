// Restarts librdkafka's fetching of a partition whose queue the application has drained.
//
// librdkafka 2.0 stops fetching a partition while its queue holds queued.min.messages and, once the
// application has drained it, notices only on its broker thread's next ~1 s timer: a consumer
// faster than that timer would stall for most of every second. (2.2 and later wait
// fetch.queue.backoff.ms instead, which no wake-up cuts short: KafkaClient::Create sets it. The
// wake-ups still matter there: without them, ktable -e over 1M keyed click events took 2.4
// against 1.4 s on librdkafka 2.15.0, bench/README.) Any request queued on the leader's broker
// thread wakes it and makes it decide to fetch again; a query of the latest offset (ListOffsets,
// one small round trip) is such a request and changes no fetch state. The queries run on a thread
// of their own, so the records already queued keep flowing meanwhile, and the query's time limit
// never stalls the tool.
#pragma once

#include <librdkafka/rdkafka.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>

namespace kt {

class FetchWaker {
 public:
  // `rk` must outlive this object.
  explicit FetchWaker(rd_kafka_t* rk);
  // Destruction stops the thread and waits for a query in flight (bounded by its short time
  // limit; std::jthread).
  FetchWaker(const FetchWaker&) = delete;
  FetchWaker& operator=(const FetchWaker&) = delete;

  // Asks for the partition's leader to be woken; a request already pending is not repeated.
  void Wake(const std::string& topic, int32_t partition);

 private:
  void Loop(const std::stop_token& stop);

  rd_kafka_t* rk_;
  std::mutex mu_;
  std::condition_variable_any cv_;
  std::set<std::pair<std::string, int32_t>> pending_;
  std::jthread thread_;  // last: starts once the rest is set, stops and joins first
};

}  // namespace kt
