// How much a consumer fetches ahead of its application, per partition, so that all its
// partitions together stay within one budget.
//
// librdkafka 2.0 sizes each partition's prefetch alone: it fetches a partition while its queue
// holds fewer than queued.min.messages, up to max.partition.fetch.bytes a fetch. So a consumer's
// memory grew with its partitions: kfilter held 36 MB of records on one partition, 89 MB on 16
// and 355 MB on 64 (1M click events), most of the input at once. The budget keeps librdkafka's
// sizes for the first few partitions and divides it among more.
#pragma once

namespace kt {

struct Prefetch {
  int queued_min_messages = 0;    // queued.min.messages
  int partition_fetch_bytes = 0;  // max.partition.fetch.bytes
  int queue_kbytes = 0;           // queued.max.messages.kbytes
  bool operator==(const Prefetch&) const = default;
};

// The prefetch of each of `partitions` partitions. `per_record_bound`: a stage whose per-record
// work dominates (a stateful one) shares a smaller budget, about what one partition would
// prefetch alone, since records fetched long before they are parsed have left the CPU's caches;
// a stage that only forwards is bound by fetching and keeps librdkafka's sizes up to 16
// partitions (smaller fetches made kfilter slower there). Floors keep each fetch worth a round
// trip. A record larger than a partition's share still comes whole: the broker returns a
// response's first batch whatever its size, and librdkafka fetches a partition whose record came
// cut again with a larger size (kfilter.bats reads a 600 KB record among 64 partitions).
//
// The bytes a partition's queue holds are bounded too (queued.max.messages.kbytes, which
// librdkafka applies to each partition queue on its own, as SyncedInput uses them): the 64 MB
// it gives a whole consumer, shared, and at least 1 MB a partition. Records of 900 KB on 16
// partitions held 2 GB in kconsume with librdkafka's 64 MB for each (bench/README, stop 65).
Prefetch PrefetchFor(int partitions, bool per_record_bound);

}  // namespace kt
