#!/usr/bin/env bats
# kmap topic -> topic against the real broker: error policies, restarts, SIGTERM.
load helpers

@test "kmap topic -> topic drops email exactly" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out)
  kproduce "$in" "$DATA/clickevents.ndjson" -q
  run kmap -i "$in" -o "$out" --drop email -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"5000 in, 5000 out"* ]]
  diff <(kconsume "$out" -e -q) <(jq -c 'del(.email)' "$DATA/clickevents.ndjson")
}

@test "kmap of an input keyed as its output keeps each partition's records in it, in turns; --key merges" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); rekeyed=$(new_topic rekeyed)
  kproduce "$in" "$DATA/clickevents.ndjson" --partitions 4 --key-field uri -q
  # -X goes to the consumer and the producer alike: -v shows no librdkafka warning that one of
  # them ignores the other's property.
  run kmap -i "$in" -o "$out" --drop email -e -v -X session.timeout.ms=7000 -X linger.ms=20
  [ "$status" -eq 0 ]
  [[ "$output" == *"the partitions take turns while each record is in its key's partition of $out"* ]]
  [[ "$output" != *"merged from there on"* ]]
  [[ "$output" != *CONFWARN* ]]
  for p in 0 1 2 3; do
    diff <(kconsume "$in" -p "$p" -e -J -q | jq -c '[.key, (.value | del(.email))]') \
         <(kconsume "$out" -p "$p" -e -J -q | jq -c '[.key, .value]')
  done
  # A new key: the output partitions are the merge's (Java's murmur2 of the new key).
  run kmap -i "$in" -o "$rekeyed" --key email -e -v
  [ "$status" -eq 0 ]
  [[ "$output" != *"take turns"* ]]
  [[ "$output" == *"5000 in, 5000 out"* ]]
}

@test "bad record under fail: exit 3 names it; its offset is not committed, a restart re-reads it" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); g=$(new_topic g)
  printf '{"n":1}\n{"n":2}\nnot json\n{"n":4}\n' | kproduce "$in" --format lines -q
  run kmap -i "$in" -o "$out" -G "$g" --drop x -e
  [ "$status" -eq 3 ]
  [[ "$output" == *"topic $in partition 0 offset 2: invalid JSON at column 2"* ]]
  [ "$(kconsume "$out" -e -q | tr -d '\n')" = '{"n":1}{"n":2}' ]
  # The same group again: starts at the bad record (offsets 0 and 1 were committed).
  run kmap -i "$in" -o "$out" -G "$g" --drop x -e --on-error skip
  [ "$status" -eq 0 ]
  [[ "$output" == *"2 in, 1 out, 1 skipped"* ]]
  [ "$(kconsume "$out" -e -q | tr -d '\n')" = '{"n":1}{"n":2}{"n":4}' ]
}

@test "bad record under skip: continues and the summary counts it" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out)
  printf '{"n":1}\n[1]\n{"n":3}\n' | kproduce "$in" -q
  run kmap -i "$in" -o "$out" --keep n --on-error skip -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"skipped topic $in partition 0 offset 1: value is not a JSON object"* ]]
  [[ "$output" == *"3 in, 2 out, 1 skipped, 0 dead-lettered"* ]]
}

@test "bad record under dlq: original bytes and error headers go to the DLQ topic" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); dlq=$(new_topic dlq)
  printf '{"n":1}\n{broken\n{"n":3}\n' | kproduce "$in" --format lines -k key1 -H trace=t1 -q
  run kmap -i "$in" -o "$out" --drop x --dlq "$dlq" -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"3 in, 2 out, 0 skipped, 1 dead-lettered"* ]]
  run kcat -b "$B" -C -t "$dlq" -e -q -f '%k|%s|%h\n'
  [ "$status" -eq 0 ]
  [[ "$output" == "key1|{broken|trace=t1,kt.error=invalid JSON at column 2: "*",kt.tool=kmap,kt.source.topic=$in,kt.source.partition=0,kt.source.offset=1" ]]
  [ "$(kconsume "$out" -e -q | tr -d '\n')" = '{"n":1}{"n":3}' ]
}

@test "SIGTERM mid-stream on 100,000 records, restart with the same group: nothing lost" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); g=$(new_topic g)
  echo '{"i":0}' | kproduce "$in" --partitions 2 -q
  kmap -i "$in" -o "$out" -G "$g" --drop x -q &
  pid=$!
  # Feed 100,000 records, paced over ~10 s, and stop kmap while input still arrives.
  seq 1 100000 | awk '{printf "{\"i\":%d}\n", $1; if (NR % 1000 == 0) { fflush(); system("sleep 0.1") }}' |
    kproduce "$in" -q &
  feeder=$!
  out_has_20k() { [ "$(topic_count "$out")" -ge 20000 ]; }
  wait_until 60 out_has_20k
  kill -0 "$feeder"  # input is still arriving: the stop is mid-stream
  kill -TERM "$pid"
  wait "$pid"   # drains, commits, exits 0
  wait "$feeder"
  before=$(kconsume "$out" -e -q | wc -l)
  [ "$before" -lt 100001 ]
  run kmap -i "$in" -o "$out" -G "$g" --drop x -e -q
  [ "$status" -eq 0 ]
  kconsume "$out" -e -q | jq .i | sort -n | uniq > "$BATS_TEST_TMPDIR/seen"
  [ "$(wc -l < "$BATS_TEST_TMPDIR/seen")" -eq 100001 ]
  diff "$BATS_TEST_TMPDIR/seen" <(seq 0 100000)
}

@test "a second SIGTERM aborts at once with 130" {
  # kmap blocked writing to a pipe nobody reads cannot finish draining after the first signal.
  mkfifo "$BATS_TEST_TMPDIR/pipe"
  sleep 600 < "$BATS_TEST_TMPDIR/pipe" &
  holder=$!
  kmap -q < "$DATA/clickevents.ndjson" > "$BATS_TEST_TMPDIR/pipe" &
  pid=$!
  wait_until 20 grep -q pipe_write "/proc/$pid/wchan"
  no_pending() { ! grep -qE '^(SigPnd|ShdPnd):\s*0*[1-9a-f]' "/proc/$pid/status"; }
  kill -TERM "$pid"
  wait_until 10 no_pending
  kill -0 "$pid"   # still draining, blocked
  kill -TERM "$pid"
  rc=0
  wait "$pid" || rc=$?
  kill "$holder"
  [ "$rc" -eq 130 ]
}

@test "a member joining while a -e run reads its group by direct assignment fails the run's commit: exit 1, nothing lost" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); g=$(new_topic g)
  seq 1 20000 | jq -c '{i: .}' | kproduce "$in" --partitions 1 -q
  fifo="$BATS_TEST_TMPDIR/fifo"; mkfifo "$fifo"
  exec {hold}<>"$fifo"  # a reader that reads nothing: the batch run blocks on its full stdout
  kmap -i "$in" -o - -G "$g" -e -v > "$fifo" 2> "$BATS_TEST_TMPDIR/batch.err" {hold}<&- &
  batch=$!
  direct() { grep -q "reading its partitions by direct assignment" "$BATS_TEST_TMPDIR/batch.err"; }
  wait_until 30 direct
  kmap -i "$in" -o "$out" -G "$g" -q {hold}<&- &
  member=$!
  member_in() { kgroup describe "$g" 2>&1 | grep -q "is Stable with 1 members"; }
  wait_until 30 member_in
  exec {rd}<"$fifo"  # opened here, so that the pipe has a reader at every moment
  cat <&"$rd" {hold}<&- > "$BATS_TEST_TMPDIR/batch.out" &
  reader=$!
  exec {hold}<&- {rd}<&-
  rc=0; wait "$batch" || rc=$?
  wait "$reader"
  # The member, which found nothing committed, reads everything itself.
  all_out() { [ "$(topic_count "$out")" -eq 20000 ]; }
  wait_until 30 all_out || true
  kill -TERM "$member"; wait "$member"
  [ "$rc" -eq 1 ]
  grep -q "group $g gained a member while this run read it without joining" "$BATS_TEST_TMPDIR/batch.err"
  [ "$(wc -l < "$BATS_TEST_TMPDIR/batch.out")" -eq 20000 ]
  [ "$(topic_count "$out")" -eq 20000 ]
}

@test "a -e run reads a group without members by direct assignment; with a member it joins and shares" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); g=$(new_topic g)
  seq 1 6 | jq -c '{i: .}' | kproduce "$in" --partitions 2 -q
  run kmap -i "$in" -o "$out" -G "$g" -e -v
  [ "$status" -eq 0 ]
  [[ "$output" == *"group $g has no members: reading its partitions by direct assignment"* ]]
  [ "$("$BATS_TEST_DIRNAME/kadmin.py" offsets "$g" | awk '{ n += $3 } END { print n }')" -eq 6 ]
  # A live member: the batch run joins the group and takes only its share.
  kmap -i "$in" -o "$out" -G "$g" -q &
  member=$!
  member_in() { kgroup describe "$g" 2>&1 | grep -q "is Stable with 1 members"; }
  wait_until 30 member_in
  seq 7 12 | jq -c '{i: .}' | kproduce "$in" -q
  run kmap -i "$in" -o "$out" -G "$g" -e -v
  kill -TERM "$member"; wait "$member"
  [[ "$output" == *"joining group $g"* ]]
  [ "$(kconsume "$out" -e -q | jq .i | sort -n | tr '\n' ' ')" = "1 2 3 4 5 6 7 8 9 10 11 12 " ]
}
