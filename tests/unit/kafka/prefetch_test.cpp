#include "kt/kafka/prefetch.hpp"

#include <catch2/catch.hpp>

using kt::Prefetch;
using kt::PrefetchFor;

TEST_CASE("a forwarding stage keeps librdkafka's sizes up to 16 partitions, then shares them") {
  for (int n : {0, 1, 4, 16}) CHECK(PrefetchFor(n, false).queued_min_messages == 5000);
  for (int n : {0, 1, 4, 16}) CHECK(PrefetchFor(n, false).partition_fetch_bytes == 1 << 20);
  CHECK(PrefetchFor(64, false) == Prefetch{1250, 256 << 10, 1 << 10});
  // Past the floors each partition keeps a fetch worth its round trip.
  CHECK(PrefetchFor(1000, false) == Prefetch{500, 64 << 10, 1 << 10});
}

TEST_CASE("a stateful stage's partitions share about one partition's prefetch") {
  CHECK(PrefetchFor(1, true) == Prefetch{5000, 1 << 20, 64 << 10});
  CHECK(PrefetchFor(4, true) == Prefetch{5000, 512 << 10, 16 << 10});
  CHECK(PrefetchFor(16, true) == Prefetch{2000, 128 << 10, 4 << 10});
  CHECK(PrefetchFor(64, true) == Prefetch{500, 64 << 10, 1 << 10});
}

TEST_CASE("the share never grows with the partitions, and the total stays within the budget") {
  for (bool stateful : {false, true}) {
    Prefetch before = PrefetchFor(1, stateful);
    for (int n = 2; n <= 4096; ++n) {
      Prefetch p = PrefetchFor(n, stateful);
      CHECK(p.queued_min_messages <= before.queued_min_messages);
      CHECK(p.partition_fetch_bytes <= before.partition_fetch_bytes);
      CHECK(p.queue_kbytes <= before.queue_kbytes);
      // The queues' bytes: librdkafka's 64 MB for a whole consumer, shared; 1 MB at least each.
      CHECK(p.queue_kbytes >= 1 << 10);
      if (p.queue_kbytes > 1 << 10) CHECK(static_cast<long>(p.queue_kbytes) * n <= 64L << 10);
      // Above the floors, all partitions together fetch no more than 16 (stateful: 2) MB a round.
      if (p.partition_fetch_bytes > 64 << 10)
        CHECK(static_cast<long>(p.partition_fetch_bytes) * n <= (stateful ? 2L : 16L) << 20);
      before = p;
    }
  }
}

TEST_CASE("a partition's queue holds at most its share of 64 MB of records, 1 MB at least") {
  CHECK(PrefetchFor(1, false).queue_kbytes == 64 << 10);  // librdkafka's own
  CHECK(PrefetchFor(4, false).queue_kbytes == 16 << 10);
  CHECK(PrefetchFor(16, false).queue_kbytes == 4 << 10);  // records of 900 KB: 200 MB, not 2 GB
  CHECK(PrefetchFor(100, false).queue_kbytes == 1 << 10);
}
