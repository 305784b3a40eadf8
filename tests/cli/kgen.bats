#!/usr/bin/env bats
load helpers

@test "kgen to a topic: the same records as on stdout, timestamped with event time" {
  need_kafka
  t=$(new_topic gen)
  run kgen clickevents -n 500 --seed 9 -o "$t"
  [ "$status" -eq 0 ]
  [[ "$output" == *"500 in, 500 out"* ]]
  diff <(kconsume "$t" -e -q) <(kgen clickevents -n 500 --seed 9 -q)
  diff <(kconsume "$t" -e -J -q | jq -c '.timestamp') <(kgen clickevents -n 500 --seed 9 -J -q | jq -c .timestamp)
}

@test "kgen --rate paces output and still ends after -n" {
  run kgen taxi -n 5 --rate 100 -q
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | wc -l)" -eq 5 ]
}
