#!/usr/bin/env bats
load helpers

@test "kscore sets score to the expression (the seeds' scoring exercise)" {
  run bash -c "kscore 'number * 0.5 + (uri ~ \"^/checkout\" ? 50 : 0)' -q < '$DATA/clickevents.ndjson' | jq -c '.score'"
  [ "$status" -eq 0 ]
  [ "$output" = "$(jq -c '.number * 0.5 + (if (.uri | test("^/checkout")) then 50 else 0 end)' "$DATA/clickevents.ndjson")" ]
}

@test "kscore keeps every other field and their order" {
  run bash -c "kscore 'number' --field rank -n 3 -q < '$DATA/clickevents.ndjson'"
  [ "$output" = "$(head -3 "$DATA/clickevents.ndjson" | jq -c '. + {rank: .number}')" ]
}

@test "kscore --random-int and --random are reproducible and in range" {
  a=$(kscore --random-int 1,100 --seed 5 -q < "$DATA/clickevents.ndjson" | jq .score)
  b=$(kscore --random-int 1,100 --seed 5 -q < "$DATA/clickevents.ndjson" | jq .score)
  [ "$a" = "$b" ]
  [ "$(echo "$a" | sort -n | head -1)" -ge 1 ]
  [ "$(echo "$a" | sort -n | tail -1)" -le 100 ]
  [ "$(echo "$a" | sort -u | wc -l)" -eq 100 ]
  r=$(kscore --random --seed 5 -q < "$DATA/clickevents.ndjson" | jq '.score >= 0 and .score < 1' | sort -u)
  [ "$r" = "true" ]
}

@test "kscore --field takes a dotted path" {
  run bash -c "echo '{\"a\":1}' | kscore --field meta.score 'a + 1' -q"
  [ "$output" = '{"a":1,"meta":{"score":2}}' ]
}

@test "kscore: wrong types give a null score, not a crash; usage errors exit 2" {
  run bash -c "printf '%s\n' '{\"number\":\"x\"}' '{}' | kscore 'number * 2' -q"
  [ "$output" = $'{"number":"x","score":null}\n{"score":null}' ]
  run kscore
  [ "$status" -eq 2 ]
  run kscore 'number' --random
  [ "$status" -eq 2 ]
  run kscore --random-int 5,1
  [ "$status" -eq 2 ]
  run kscore 'number *'
  [ "$status" -eq 2 ]
  [[ "$output" == *"^"* ]]
}
