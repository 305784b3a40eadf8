// jemalloc's settings in the tools kt_add_tool links with it (JEMALLOC), read when it starts from
// the `malloc_conf` symbol (MALLOC_CONF in the environment still overrides them).
//
// Dirty pages go back to the system after 1 s instead of 10 s, and muzzy ones at once: with the
// defaults, ktable on one partition of 1M click events peaked at 61 MB, with these at 41 MB
// (glibc: 37 MB), in the same time (bench/README, stop 48).
extern "C" {
const char* malloc_conf = "dirty_decay_ms:1000,muzzy_decay_ms:0";
}
