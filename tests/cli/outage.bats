#!/usr/bin/env bats
# The broker stopped and restarted under running pipelines, checked by the independent verifier
# (tests/crash/crash.py). These stop the broker every other test uses, so scripts/test runs this
# file last, alone.
load crash_helpers

@test "a broker restart mid-run: ktable exact, nothing lost" { crash broker-restart; }
# Issue 32: a chain through a broker outage, its stages killed now and then.
@test "a broker outage under an --exactly-once chain (kgroupby, then ktable) with kills: exact, no stage exits" {
  crash restart-chain-eos --records 16000
}
