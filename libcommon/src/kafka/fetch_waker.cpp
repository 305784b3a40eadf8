#include "kt/kafka/fetch_waker.hpp"

namespace kt {

namespace {
constexpr int kQueryTimeoutMs = 500;
}  // namespace

FetchWaker::FetchWaker(rd_kafka_t* rk) : rk_(rk), thread_([this] { Loop(); }) {}

FetchWaker::~FetchWaker() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void FetchWaker::Wake(const std::string& topic, int32_t partition) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!pending_.emplace(topic, partition).second) return;
  }
  cv_.notify_one();
}

void FetchWaker::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stop_ || !pending_.empty(); });
    if (stop_) return;
    auto [topic, partition] = *pending_.begin();
    pending_.erase(pending_.begin());
    lock.unlock();
    int64_t lo = 0, hi = 0;
    (void)rd_kafka_query_watermark_offsets(rk_, topic.c_str(), partition, &lo, &hi, kQueryTimeoutMs);
    lock.lock();
  }
}

}  // namespace kt
