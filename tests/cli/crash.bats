#!/usr/bin/env bats
# kill -9 bounces against the real broker, checked by an independent verifier that recomputes
# the expected output (tests/crash/crash.py; Kafka Streams' EosTest and SmokeTest are the
# model). Seeded and bounded: 16,000 records produced at 4,000/s on 4 partitions while the
# pipeline is killed 4 times and restarted, then finished with -e. Each run of the suite takes a
# new seed (crash_helpers.bash: printed, and KT_CRASH_SEED repeats it). Every scenario names its
# own topics and groups and none stops the broker (outage.bats does), so scripts/test runs these
# three at a time; they wait on the broker and their tools more than they compute. The longest
# (25-37 s each beside two others) come first, so that none starts while the rest are done.
load crash_helpers

# Issue 32: copies in one group (two, a third joining), one killed now and then, one stopped past
# its session and transaction timeouts and resumed.
# And one stopped as long in its start, while it asks Kafka about its topics and group: on resume
# its requests time out, and it asks again (kt/core/deadline.hpp).
@test "scale-out, at-least-once: copies killed, joining and stopped past their timeouts; the table exact, no changelog going back" {
  crash scale-out --records 12000
}
@test "scale-out, --exactly-once: copies killed, joining and stopped past their timeouts; exact, no copy exits" {
  crash scale-out-eos --records 12000
}
# Issue 29: with standby replicas a copy that takes over restores only the tail (also below).
# Here the copies are frozen instead of stopped (their cgroup, as `docker pause` does): no
# SIGSTOP and no SIGCONT tell them; one frozen in its start sees that it did not run
# (kt/core/stall_watch.hpp).
@test "scale-out with --standbys 1, at-least-once: copies killed, joining and frozen (cgroup), also in the start; the table exact" {
  crash scale-out-standbys --records 12000 --freeze
}
# Issue 30: batch runs read their input in place, each record to its group key's task;
# continuous runs between them read in place too while alone, and the runs after a killed
# continuous one (its members still in the groups) go through the repartition topic; all killed.
@test "kill -9 of ktable --by runs, batch and continuous, in place and through the repartition topic in turn: exact" {
  crash ktable-batch --records 120000 --kills 6
}
@test "kill -9 of ktable --by runs over an input keyed by the group key (a few records not): in place in turns, merged, and through the repartition topic: exact" {
  crash ktable-batch-keyed --records 120000 --kills 6
}
@test "kill -9, at-least-once: kjoin --stream loses no join result, writes no wrong pair" { crash kjoin; }
@test "kill -9, --exactly-once: kjoin --stream writes every join result exactly once" { crash kjoin-eos; }
@test "kill -9, at-least-once: kmap loses no record" { crash kmap; }
@test "kill -9, at-least-once: ktable --by (two stages) is exact, no record counted twice" { crash ktable; }
@test "kill -9, at-least-once: kwindow --emit final is exact; a window written twice has one value" { crash kwindow; }
@test "kill -9, --exactly-once: kmap writes every record exactly once" { crash kmap-eos; }
@test "kill -9, --exactly-once: ktable --by writes one update per record, the table exact" { crash ktable-eos; }
@test "kill -9, --exactly-once: kwindow --emit final writes every window once, exact" { crash kwindow-eos; }
@test "kill -9, --exactly-once: a two-tool chain (kmap, then ktable) is exactly-once end to end" { crash chain-eos; }
@test "kill -9 of one copy at a time, two copies in one group: ktable exact" { crash two-copies; }
# Issue 29 (standby replicas), the kill -9 bounce.
@test "kill -9 of one copy at a time, two copies with --standbys 1: ktable exact" { crash two-copies-standbys; }
