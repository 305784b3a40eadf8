#include "kt/kafka/fetch_waker.hpp"

namespace kt {

namespace {
constexpr int kQueryTimeoutMs = 500;
}  // namespace

FetchWaker::FetchWaker(rd_kafka_t* rk) : rk_(rk), thread_([this](std::stop_token stop) { Loop(stop); }) {}

void FetchWaker::Wake(const std::string& topic, int32_t partition) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!pending_.emplace(topic, partition).second) return;
  }
  cv_.notify_one();
}

void FetchWaker::Loop(const std::stop_token& stop) {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    // false: a stop was requested (the jthread's destructor)
    if (!cv_.wait(lock, stop, [this] { return !pending_.empty(); })) return;
    auto [topic, partition] = *pending_.begin();
    pending_.erase(pending_.begin());
    lock.unlock();
    // One ListOffsets request for the latest offset (a watermark query sends two, the earliest's
    // too): half the requests, each with its share of the broker's per-request work.
    rd_kafka_topic_partition_list_t* latest = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(latest, topic.c_str(), partition)->offset = RD_KAFKA_OFFSET_END;
    (void)rd_kafka_offsets_for_times(rk_, latest, kQueryTimeoutMs);
    rd_kafka_topic_partition_list_destroy(latest);
    lock.lock();
  }
}

}  // namespace kt
