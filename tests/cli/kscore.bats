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

# z-score of each value against the values of its key before it (sample stdev), by Python.
zscores() {
  /usr/bin/python3 -c '
import json, sys, statistics
seen = {}
for line in sys.stdin:
    r = json.loads(line); prev = seen.setdefault(r["k"], [])
    z = None
    if len(prev) >= 2 and statistics.stdev(prev) > 0:
        z = (r["x"] - statistics.mean(prev)) / statistics.stdev(prev)
    print("null" if z is None else "%.9f" % z)
    prev.append(r["x"])'
}

@test "kscore --zscore on a known series equals Python's statistics, per key" {
  printf '%s\n' 2 4 4 4 5 5 7 9 | awk '{printf "{\"k\":\"a\",\"x\":%s}\n{\"k\":\"b\",\"x\":%d}\n", $1, $1 * 3 % 7}' > "$BATS_TEST_TMPDIR/in"
  run bash -c "kscore --zscore x --by k -q < '$BATS_TEST_TMPDIR/in' | jq -r 'if .score == null then \"null\" else (.score * 1e9 | round / 1e9 | tostring) end'"
  expected=$(zscores < "$BATS_TEST_TMPDIR/in" | awk '$1 == "null" {print; next} {printf "%.9g\n", $1}')
  [ "$(echo "$output" | awk '$1 == "null" {print; next} {printf "%.9g\n", $1}')" = "$expected" ]
}

@test "kscore --ewma per record key" {
  run bash -c "printf '%s\n' '{\"key\":\"a\",\"value\":{\"x\":10}}' '{\"key\":\"b\",\"value\":{\"x\":1}}' '{\"key\":\"a\",\"value\":{\"x\":20}}' '{\"key\":\"a\",\"value\":{\"x\":\"n/a\"}}' '{\"key\":\"a\",\"value\":{\"x\":30}}' | kscore -J --ewma x --alpha 0.5 --field avg -q | jq -c .value.avg"
  [ "$output" = $'10\n1\n15\nnull\n22.5' ]
}

@test "kscore --zscore keeps its state in a changelog across restarts" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); g=$(new_topic g)
  printf '%s\n' 2 4 4 4 | awk '{printf "{\"k\":\"a\",\"x\":%s}\n", $1}' | kproduce "$in" --key-field k --partitions 2 -q
  kscore -i "$in" -o "$out" -G "$g" --zscore x --state-dir "$BATS_TEST_TMPDIR/s1" -e -q
  # A second run on another machine (empty state dir) continues from the changelog.
  printf '%s\n' 5 5 7 9 | awk '{printf "{\"k\":\"a\",\"x\":%s}\n", $1}' | kproduce "$in" --key-field k -q
  full=$(record_count "$g-zscore-changelog")
  [ "$full" -ge 1 ]
  run kscore -i "$in" -o "$out" -G "$g" --zscore x --state-dir "$BATS_TEST_TMPDIR/s2" -e
  [[ "$output" == *"4 in, 4 out"* ]]
  [[ "$output" == *"restored $full changelog records"* ]]
  got=$(kconsume "$out" -e -q | jq -r 'if .score == null then "null" else (.score * 1e9 | round / 1e9 | tostring) end' | awk '$1 == "null" {print; next} {printf "%.9g\n", $1}')
  want=$(printf '%s\n' 2 4 4 4 5 5 7 9 | awk '{printf "{\"k\":\"a\",\"x\":%s}\n", $1}' | zscores | awk '$1 == "null" {print; next} {printf "%.9g\n", $1}')
  [ "$got" = "$want" ]
}

@test "kscore --ewma --name names its store (default: ewma)" {
  need_kafka
  in=$(new_topic in); g=$(new_topic g)
  printf '{"k":"a","x":%s}\n' 1 3 | kproduce "$in" --key-field k -q
  kscore -i "$in" -o "$(new_topic out)" -G "$g" --ewma x --state-dir "$BATS_TEST_TMPDIR/s" -e -q
  kscore -i "$in" -o "$(new_topic out)" -G "$g-2" --ewma x --name smooth --state-dir "$BATS_TEST_TMPDIR/s" -e -q
  [ "$(topic_count "$g-ewma-changelog")" -ge 1 ]
  [ "$(topic_count "$g-2-smooth-changelog")" -ge 1 ]
  [ -d "$BATS_TEST_TMPDIR/s/$g-2/smooth" ]
}

@test "kscore --zscore --by on a multi-partition topic: statistics per group across partitions, original keys kept" {
  need_kafka
  in=$(new_topic in)
  # Group "a" is written to partition 0 and group "b" to partition 1, each under per-record keys
  # that say nothing about the group: --by must repartition, and the output keeps those keys.
  printf '%s\n' 2 4 4 4 5 5 7 9 | awk '{printf "{\"k\":\"a\",\"x\":%s,\"id\":\"a%d\"}\n", $1, NR}' > "$BATS_TEST_TMPDIR/a"
  printf '%s\n' 1 3 3 8 | awk '{printf "{\"k\":\"b\",\"x\":%s,\"id\":\"b%d\"}\n", $1, NR}' > "$BATS_TEST_TMPDIR/b"
  kproduce "$in" "$BATS_TEST_TMPDIR/a" --key-field id -p 0 --partitions 2 -q
  kproduce "$in" "$BATS_TEST_TMPDIR/b" --key-field id -p 1 -q
  # Exactly-once, a batch run goes through the repartition topic; at-least-once, it reads the
  # input in place, each record to its group's partition: the same scores either way.
  for mode in exactly-once at-least-once; do
    out=$(new_topic "out-$mode"); g=$(new_topic "g-$mode")
    eos=(); [ "$mode" = exactly-once ] && eos=(--exactly-once)
    run kscore -i "$in" -o "$out" -G "$g" --zscore x --by k --state-dir "$BATS_TEST_TMPDIR/s" -e -v "${eos[@]}"
    [ "$status" -eq 0 ]
    if [ "$mode" = exactly-once ]; then
      [[ "$output" == *"kscore-repartition: 12 in"* ]]
      # its 12 records packed in the repartition topic, read back one by one
      [ "$(kconsume "$g-zscore-repartition" -e -q | wc -l)" -eq 12 ]
    else
      [[ "$output" == *"reading $in in place"* ]]
      [ "$(topic_count "$g-zscore-repartition")" -eq 0 ]
    fi
    [ "$(topic_count "$g-zscore-changelog")" -ge 2 ]
    kconsume "$out" -e -J -q > "$BATS_TEST_TMPDIR/out"
    [ "$(wc -l < "$BATS_TEST_TMPDIR/out")" -eq 12 ]
    # every output keeps its input key
    [ "$(jq -r 'select(.key != .value.id) | .key' "$BATS_TEST_TMPDIR/out")" = "" ]
    for grp in a b; do
      # in input order (the output has the input's two partitions, keyed by id)
      got=$(jq -s -c "map(select(.value.k == \"$grp\") | .value) | sort_by(.id[1:] | tonumber) | .[]" "$BATS_TEST_TMPDIR/out" |
        jq -r 'if .score == null then "null" else (.score * 1e9 | round / 1e9 | tostring) end' | awk '$1 == "null" {print; next} {printf "%.9g\n", $1}')
      want=$(zscores < "$BATS_TEST_TMPDIR/$grp" | awk '$1 == "null" {print; next} {printf "%.9g\n", $1}')
      [ "$got" = "$want" ]
    done
  done
}
