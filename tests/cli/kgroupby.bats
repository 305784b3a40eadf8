#!/usr/bin/env bats
load helpers

@test "kgroupby re-keys by uri into a topic created with the input's partition count" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out)
  kproduce "$in" "$DATA/clickevents.ndjson" --partitions 3 -q
  run kgroupby -i "$in" -o "$out" --by uri -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"5000 in, 5000 out"* ]]
  [ "$(kcat -b "$B" -L -t "$out" | grep -cE '^ +partition [0-9]')" -eq 3 ]
  diff <(kconsume "$out" -e -q | sort) <(sort "$DATA/clickevents.ndjson")
  [ "$(kconsume "$out" -e -J -q | jq -r 'select(.key != .value.uri)' | wc -l)" -eq 0 ]
}

@test "kgroupby output partitions match kafka-python's murmur2 for the same keys" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out)
  kproduce "$in" "$DATA/clickevents.ndjson" -q
  kgroupby -i "$in" -o "$out" --by uri --partitions 5 -e -q
  kconsume "$out" -e -J -q | jq -r '"\(.key) \(.partition)"' | sort -u > "$BATS_TEST_TMPDIR/got"
  jq -r .uri "$DATA/clickevents.ndjson" | sort -u | /usr/bin/python3 -c '
import sys
from kafka.partitioner.default import murmur2
for k in sys.stdin.read().split():
    print(k, (murmur2(k.encode()) & 0x7fffffff) % 5)' | sort > "$BATS_TEST_TMPDIR/want"
  diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
}

@test "kgroupby keys numbers by their JSON text and drops null group keys" {
  run bash -c "printf '%s\n' '{\"n\":7}' '{\"n\":2.5}' '{\"x\":1}' '{\"n\":{\"a\":1}}' | kgroupby --by n 2>&1 >/dev/null"
  [[ "$output" == *"1 records with a null group key dropped"* ]]
  run bash -c "printf '%s\n' '{\"value\":{\"n\":7}}' '{\"value\":{\"n\":2.5}}' '{\"value\":{\"n\":{\"a\":1}}}' | kgroupby --by n -J -q | jq -r .key"
  [ "$output" = $'7\n2.5\n{"a":1}' ]
}
