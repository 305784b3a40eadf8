// jemalloc's settings in the tools kt_add_tool links with it (JEMALLOC), read when it starts from
// the `malloc_conf` symbol (MALLOC_CONF in the environment still overrides them).
//
// Dirty pages go back to the system after 1 s instead of 10 s, and muzzy ones at once: with the
// defaults, ktable on one partition of 1M click events peaked at 61 MB, with these at 41 MB
// (glibc: 37 MB), in the same time (bench/README, stop 48).
//
// No arena of its own for allocations of 8 MB and more (oversize_threshold): jemalloc gives
// their pages back at once, and librdkafka's fetch responses on many partitions of large records
// are that large, so each one's pages were faulted in afresh. kconsume on 16 partitions of 900 KB
// records: 5.3-5.9 -> 4.0-4.6 s raw, 5.4-6.3 -> 4.7-5.6 s as JSON, the same peak RSS; small
// records are the same either way (bench/README, stops 63 and 65).
extern "C" {
const char* malloc_conf = "dirty_decay_ms:1000,muzzy_decay_ms:0,oversize_threshold:0";
}
