#!/usr/bin/env bats
# kbatch: batches by count, bytes, time and key; offsets commit only with their batch.
load helpers

teardown() {
  [ -z "${pid:-}" ] || kill -KILL "$pid" 2>/dev/null || true
}

@test "kbatch --max 3 from stdin: arrays of 3 in order, the rest at the end; --as lines" {
  run kbatch --max 3 -q < <(seq 1 7 | jq -c '{i: .}')
  [ "$status" -eq 0 ]
  [ "$output" = '[{"i":1},{"i":2},{"i":3}]
[{"i":4},{"i":5},{"i":6}]
[{"i":7}]' ]
  # NDJSON lines in one value: the values are exact, non-JSON input becomes strings.
  run kbatch --max 2 --as lines --value-format raw -J -q < <(printf '%s\n' '{"key":null,"value":"a b"}' '{"key":null,"value":"c"}')
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | jq -c .value)" = '"\"a b\"\n\"c\""' ]
  # Numbers keep their text.
  run kbatch --max 2 -q < <(printf '%s\n' '{"big":123456789012345678901234567890}' '{"pi":3.14159265358979323846}')
  [ "$output" = '[{"big":123456789012345678901234567890},{"pi":3.14159265358979323846}]' ]
}

@test "kbatch --by: one batch per key, the key on the output; --max-bytes starts a new batch" {
  run kbatch --max 2 --by u -J -q < <(seq 1 7 | jq -c '{key: null, value: {i: ., u: (. % 2)}}')
  [ "$status" -eq 0 ]
  diff <(echo "$output" | jq -c '[.key, [.value[].i]]' | sort) - <<'EXPECTED'
["0",[2,4]]
["0",[6]]
["1",[1,3]]
["1",[5,7]]
EXPECTED
  # Values of 8 bytes each: 20 bytes hold two.
  run kbatch --max 100 --max-bytes 20 -q < <(seq 1 5 | jq -c '{i: (. + 1000)}')
  [ "$output" = '[{"i":1001},{"i":1002}]
[{"i":1003},{"i":1004}]
[{"i":1005}]' ]
}

@test "kbatch from Kafka: --within writes a partial batch on time; SIGTERM writes the open one and commits it, the next run reads the rest" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); g=$(new_topic g)
  seq 1 2 | jq -c '{i: .}' | kproduce "$in" -q
  kbatch -i "$in" -o "$out" -G "$g" --max 100 --within 300ms -q &
  pid=$!
  one() { [ "$(topic_count "$out")" -ge 1 ]; }
  wait_until 30 one
  [ "$(kconsume "$out" -e -q)" = '[{"i":1},{"i":2}]' ]
  committed_2() { [ "$("$BATS_TEST_DIRNAME/kadmin.py" offsets "$g")" = "$in 0 2" ]; }
  wait_until 30 committed_2
  # Three more: not full, not due (the next one is due in 300 ms), and the stop comes before or
  # after they are read. Either way each record read is in exactly one batch, written before the
  # exit, and the committed offset is the count written: the rest is read by the next run.
  seq 3 5 | jq -c '{i: .}' | kproduce "$in" -q
  kill -TERM "$pid"
  wait "$pid"
  pid=
  written=$(kconsume "$out" -e -q | jq -c '.[].i' | tr '\n' ' ')
  [ "$("$BATS_TEST_DIRNAME/kadmin.py" offsets "$g")" = "$in 0 $(echo "$written" | wc -w)" ]
  kbatch -i "$in" -o "$out" -G "$g" --max 100 -e -q
  [ "$(kconsume "$out" -e -q | jq -c '.[].i' | tr '\n' ' ')" = "1 2 3 4 5 " ]
  [ "$("$BATS_TEST_DIRNAME/kadmin.py" offsets "$g")" = "$in 0 5" ]
}

@test "kbatch: a record is committed only with its batch: kill -9 before the batch is full re-reads it" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); g=$(new_topic g)
  seq 1 4 | jq -c '{i: .}' | kproduce "$in" -q
  # The copy killed stays in the group until its session times out (the broker's least, 6 s,
  # not librdkafka's 45 s): the next run joins the group after it.
  kbatch -i "$in" -o "$out" -G "$g" --max 3 -X session.timeout.ms=6000 -q &
  pid=$!
  one() { [ "$(topic_count "$out")" -ge 1 ]; }
  wait_until 30 one
  committed_3() { [ "$("$BATS_TEST_DIRNAME/kadmin.py" offsets "$g")" = "$in 0 3" ]; }
  wait_until 30 committed_3
  kill -KILL "$pid"
  wait "$pid" || true
  pid=
  # Record 4 sat in an open batch: not committed, read again by the next run.
  seq 5 6 | jq -c '{i: .}' | kproduce "$in" -q
  run kbatch -i "$in" -o "$out" -G "$g" --max 3 -e -q
  [ "$status" -eq 0 ]
  [ "$(kconsume "$out" -e -q | tr '\n' ' ')" = '[{"i":1},{"i":2},{"i":3}] [{"i":4},{"i":5},{"i":6}] ' ]
  [ "$("$BATS_TEST_DIRNAME/kadmin.py" offsets "$g")" = "$in 0 6" ]
}

@test "kbatch: bad flags exit 2; a bad record follows --on-error" {
  run kbatch --max 0
  [ "$status" -eq 2 ]
  [[ "$output" == *"--max must be a positive number of records, not 0"* ]]
  run kbatch
  [ "$status" -eq 2 ]
  run kbatch --max 2 --within soon
  [ "$status" -eq 2 ]
  run kbatch --max 2 --as csv
  [ "$status" -eq 2 ]
  run kbatch --max 2 --by 'u +'
  [ "$status" -eq 2 ]
  run kbatch --max 2 < <(printf '%s\n' '{"i":1}' '{broken' '{"i":3}')
  [ "$status" -eq 3 ]
  [[ "$output" == *"line 2"* ]]
  run kbatch --max 2 --on-error skip < <(printf '%s\n' '{"i":1}' '{broken' '{"i":3}')
  [ "$status" -eq 0 ]
  [[ "$output" == *'[{"i":1},{"i":3}]'* ]]
  # A raw value becomes a JSON string: one that is not UTF-8 is a bad record, not a lossy string.
  run kbatch --max 3 --value-format raw --on-error skip < <(printf 'a\n\xff\xfe\nc\n')
  [ "$status" -eq 0 ]
  [[ "$output" == *'line 2: the value is not UTF-8 text, so it cannot be a string in a JSON batch (read binary values with --value-format binary, as base64)'* ]]
  [[ "$output" == *'["a","c"]'* ]]
  # A value nested as deep as a reader takes (1000) cannot go inside the batch's array; with
  # --as lines it keeps its depth. One level less fits.
  python3 -c "print('[' * 1000 + ']' * 1000); print('[' * 999 + ']' * 999); print(1)" > "$BATS_TEST_TMPDIR/deep"
  run kbatch --max 3 --on-error skip < "$BATS_TEST_TMPDIR/deep"
  [ "$status" -eq 0 ]
  [[ "$output" == *"line 1: the value nests arrays and objects 1000 levels deep: a batch's array around it would be deeper than JSON readers take (--as lines keeps its depth)"* ]]
  [ "$(kbatch --max 3 -q < "$BATS_TEST_TMPDIR/deep" --on-error skip 2>/dev/null | kfilter true -q | wc -l)" -eq 1 ]
  # (on stdout the value's line breaks are spaces: one record, one line)
  [ "$(kbatch --max 3 --as lines -q < "$BATS_TEST_TMPDIR/deep")" = "$(paste -sd' ' "$BATS_TEST_TMPDIR/deep")" ]
}
