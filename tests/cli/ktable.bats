#!/usr/bin/env bats
# ktable against the real broker: aggregates equal an independent recomputation, state survives
# restarts (from the checkpoint, or from the changelog when the state directory is gone).
load helpers

setup() {
  STATE="$BATS_TEST_TMPDIR/state"
}

# Copies a test started in the background, if it failed before stopping them.
teardown() {
  [ -f "$BATS_TEST_TMPDIR/pids" ] || return 0
  while read -r pid; do kill -TERM "$pid" 2> /dev/null || true; done < "$BATS_TEST_TMPDIR/pids"
}

# The URI summary recomputed with jq: {"key","count","sum_number"} per URI, sorted.
uri_summary() {
  jq -s -c 'group_by(.uri)[] | {key: .[0].uri, count: length, sum_number: (map(.number) | add)}' "$@" | sort
}

# The last output per key of a ktable output topic, sorted.
latest_per_key() {
  kconsume "$1" -e -J -q | jq -c '{k: .key, v: .value}' | jq -s -c 'reduce .[] as $r ({}; .[$r.k] = $r.v) | .[]' | sort
}

@test "ktable: the seeds' URI summary (kgroupby --by uri, then sum) equals jq's recomputation" {
  need_kafka
  in=$(new_topic clicks); grouped=$(new_topic grouped); out=$(new_topic summary)
  kproduce "$in" "$DATA/clickevents.ndjson" --partitions 4 -q
  kgroupby -i "$in" -o "$grouped" --by uri -e -q
  run ktable -i "$grouped" -o "$out" --agg count --agg 'sum(number)' --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"5000 in, 5000 out"* ]]
  [[ "$output" == *"restored 0 changelog records"* ]]
  diff <(uri_summary "$DATA/clickevents.ndjson") <(latest_per_key "$out")
}

@test "ktable restarts from its checkpoint with local state, and from the changelog without it" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); g=$(new_topic g)
  head -3000 "$DATA/clickevents.ndjson" | kproduce "$in" --key-field uri --partitions 2 -q
  run ktable -i "$in" -o "$out" -G "$g" --agg count --agg 'sum(number)' --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"restored 0 changelog records"* ]]
  changelog="$g-table-changelog"
  # Writes are coalesced per key within a commit interval: at least one record per key (12).
  [ "$(topic_count "$changelog")" -ge 12 ]
  [ "$(topic_count "$changelog")" -le 3000 ]
  # Restart with local state: nothing is replayed, counting goes on.
  tail -2000 "$DATA/clickevents.ndjson" | head -1000 | kproduce "$in" --key-field uri -q
  run ktable -i "$in" -o "$out" -G "$g" --agg count --agg 'sum(number)' --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"1000 in, 1000 out"* ]]
  [[ "$output" == *"restored 0 changelog records"* ]]
  # Restart with the state directory deleted: the whole changelog is replayed.
  rm -rf "$STATE"
  tail -1000 "$DATA/clickevents.ndjson" | kproduce "$in" --key-field uri -q
  full=$(record_count "$changelog")
  run ktable -i "$in" -o "$out" -G "$g" --agg count --agg 'sum(number)' --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"1000 in, 1000 out"* ]]
  [[ "$output" == *"restored $full changelog records"* ]]
  diff <(uri_summary "$DATA/clickevents.ndjson") <(latest_per_key "$out")
  # A memory store always restores everything.
  full=$(record_count "$changelog")
  run ktable -i "$in" -o "$out" -G "$g" --agg count --agg 'sum(number)' --store memory -e
  [[ "$output" == *"0 in, 0 out"* ]]
  [[ "$output" == *"restored $full changelog records"* ]]
}

@test "ktable refuses a changelog that is not co-partitioned with the input" {
  need_kafka
  in=$(new_topic in); g=$(new_topic g)
  echo '{"a":1}' | kproduce "$in" -k x --partitions 2 -q
  echo '{}' | kproduce "$g-table-changelog" --partitions 3 -q
  run ktable -i "$in" -G "$g" --agg count -e --state-dir "$STATE"
  [ "$status" -eq 1 ]
  [[ "$output" == *"exists with 3 partitions, not 2"* ]]
  [[ "$output" == *"co-partitioned"* ]]
}

@test "ktable aggregates on stdin: avg, min, max, first, last, with skipped inputs counted" {
  printf '%s\n' '{"k":"a","n":1,"s":"x"}' '{"k":"b","n":10}' '{"k":"a","n":"bad","s":"y"}' '{"k":"a","n":4}' '{"n":5}' |
    ktable --by k --agg count --agg 'avg(n)' --agg 'lo=min(n)' --agg 'max(n)' --agg 'first(s)' --agg 'last(s)' > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err"
  [ "$(tail -1 "$BATS_TEST_TMPDIR/out")" = '{"key":"a","count":3,"avg_n":2.5,"lo":1,"max_n":4,"first_s":"x","last_s":"y"}' ]
  [ "$(sed -n 2p "$BATS_TEST_TMPDIR/out")" = '{"key":"b","count":1,"avg_n":10.0,"lo":10,"max_n":10,"first_s":null,"last_s":null}' ]
  grep -q "1 tombstones or null keys ignored" "$BATS_TEST_TMPDIR/err"
  grep -q "1 inputs skipped by avg_n" "$BATS_TEST_TMPDIR/err"
}

@test "ktable --by uri directly on a 4-partition topic repartitions in-process and is exact" {
  need_kafka
  in=$(new_topic clicks); out=$(new_topic summary); g=$(new_topic g)
  kproduce "$in" "$DATA/clickevents.ndjson" --partitions 4 -q
  # Exactly-once: a batch run goes through the repartition topic (at-least-once reads in place).
  run ktable -i "$in" -o "$out" -G "$g" --by uri --agg count --agg 'sum(number)' --state-dir "$STATE" -e \
    --exactly-once
  [ "$status" -eq 0 ]
  [[ "$output" == *"ktable-repartition: 5000 in, 5000 out"* ]]
  [[ "$output" == *"ktable: 5000 in, 5000 out"* ]]
  [ "$(kcat -b "$B" -L -t "$g-table-repartition" | grep -cE '^ +partition [0-9]')" -eq 4 ]
  diff <(uri_summary "$DATA/clickevents.ndjson") <(latest_per_key "$out")
}

@test "ktable --by stopped by SIGTERM inside a packed message, in both delivery modes: the next run goes on after the records done, none read twice" {
  need_kafka
  in=$(new_topic in); n=400000
  has_output() { [ "$(topic_count "$1")" -gt 0 ]; }
  kgen clickevents -n "$n" -o "$in" --partitions 2 -q
  for mode in at-least-once exactly-once; do
    eos=(); [ "$mode" = exactly-once ] && eos=(--exactly-once)
    # Stopped once it wrote something, in a new group each time until the stop comes inside a
    # packed message (a stage that caught up with its re-keying stage stops at a message's end;
    # under load it may).
    for attempt in 1 2 3 4 5; do
      g=$(new_topic "g-$mode"); out=$(new_topic "out-$mode")
      # At-least-once, a run alone reads in place: a record left in the repartition topic takes
      # it through the topic (that record counts too).
      extra=0
      if [ "$mode" = at-least-once ]; then
        kproduce "$g-table-repartition" --partitions 2 -J -q <<<'{"key":"/moved","value":{"uri":"/moved"}}'
        extra=1
      fi
      ktable -i "$in" -o "$out" -G "$g" --by uri --agg count --state-dir "$STATE-$mode" "${eos[@]}" \
        2> "$BATS_TEST_TMPDIR/first-$mode" &
      pid=$!
      wait_until 60 has_output "$out"
      kill -TERM "$pid"
      wait "$pid"
      # The repartition topic's messages pack hundreds of records: the commit says how many of
      # one were done.
      "$BATS_TEST_DIRNAME/kadmin.py" metadata "$g-table" > "$BATS_TEST_TMPDIR/committed"
      if grep -q " kt\.pack\.done=[0-9]*$" "$BATS_TEST_TMPDIR/committed"; then break; fi
    done
    first=$(sed -n 's/^ktable: \([0-9]*\) in,.*/\1/p' "$BATS_TEST_TMPDIR/first-$mode")
    grep -q " kt\.pack\.done=[0-9]*$" "$BATS_TEST_TMPDIR/committed"
    [ "$first" -gt 0 ] && [ "$first" -lt "$n" ]  # stopped mid-stream
    run ktable -i "$in" -o "$out" -G "$g" --by uri --agg count --state-dir "$STATE-$mode" "${eos[@]}" -e
    [ "$status" -eq 0 ]
    second=$(sed -n 's/^ktable: \([0-9]*\) in,.*/\1/p' <<<"$output")
    [ "$((first + second))" -eq "$((n + extra))" ]
    [[ "$output" != *"replayed"* ]]
    [ "$(ktable dump -G "$g" | jq -s 'map(.count) | add')" -eq "$((n + extra))" ]
  done
}

@test "ktable --by uri --no-repartition on a topic keyed by uri: one stage, the same table; a record in another partition is a bad record" {
  need_kafka
  in=$(new_topic clicks); grouped=$(new_topic grouped); out=$(new_topic summary); g=$(new_topic g)
  kproduce "$in" "$DATA/clickevents.ndjson" --partitions 4 -q
  kgroupby -i "$in" -o "$grouped" --by uri -e -q
  run ktable -i "$grouped" -o "$out" -G "$g" --by uri --no-repartition --agg count --agg 'sum(number)' \
    --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"ktable: 5000 in, 5000 out"* ]]
  [[ "$output" != *"repartition"* ]]
  [ -z "$(partition_count "$g-table-repartition")" ]
  diff <(uri_summary "$DATA/clickevents.ndjson") <(latest_per_key "$out")
  # The same record in partitions 0 and 1: its key belongs in one of them, not both.
  for p in 0 1; do echo '{"uri":"/elsewhere","number":7}' | kcat -b "$B" -P -t "$grouped" -p "$p" -k /elsewhere; done
  run ktable -i "$grouped" -o "$out" -G "$g" --by uri --no-repartition --agg count --agg 'sum(number)' \
    --state-dir "$STATE" -e
  [ "$status" -eq 3 ]
  [[ "$output" == *"--no-repartition: the group key '/elsewhere' belongs in partition "* ]]
  [[ "$output" == *"topic $grouped partition 0 offset "* ]]
  run ktable -i "$grouped" -o "$out" -G "$g" --by uri --no-repartition --agg count --agg 'sum(number)' \
    --state-dir "$STATE" -e --on-error skip
  [ "$status" -eq 0 ]
  [[ "$output" == *"2 in, 1 out, 1 skipped"* ]]
  [[ "$output" == *"skipped topic $grouped partition 0 offset "*"belongs in partition 1 "* ]]
  [ "$(latest_per_key "$out" | grep -c '"key":"/elsewhere","count":1,"sum_number":7')" -eq 1 ]
}

# Each key's updates in order: [key, count, sum] lines, grouped by key (in output order).
updates_per_key() {
  kconsume "$1" -e -J -q | jq -c '[.key, .value.count, .value.sum_number]' | jq -s -c 'group_by(.[0])[]'
}

@test "ktable --by in a batch run reads its input in place, each record to its key's partition (keyed: in turns): the updates of the repartition topic's run, and either run takes over from the other" {
  need_kafka
  in=$(new_topic clicks); grouped=$(new_topic grouped); out=$(new_topic summary); g=$(new_topic g)
  kproduce "$in" "$DATA/clickevents.ndjson" --partitions 4 -q
  # Partitioned by uri already: every record's state is in its own partition.
  kgroupby -i "$in" -o "$grouped" --by uri -e -q
  run ktable -i "$grouped" -o "$out" -G "$g" --by uri --agg count --agg 'sum(number)' --state-dir "$STATE" -e -v
  [ "$status" -eq 0 ]
  [[ "$output" == *"reading $grouped in place"* ]]
  [[ "$output" != *"merged from there on"* ]]  # every record in its key's partition: turns throughout
  [[ "$output" == *"ktable: 5000 in, 5000 out"* ]]
  [[ "$output" != *"ktable-repartition:"* ]]
  [ -z "$(partition_count "$g-table-repartition")" ]  # not needed, not made
  diff <(uri_summary "$DATA/clickevents.ndjson") <(latest_per_key "$out")
  # So keyed, the partitions take turns; then a record of /help in each partition (three not its
  # key's) and more keyed records: every partition is merged from the first such record on. Each
  # key's updates are those of a run through the repartition topic.
  mixed=$(new_topic mixed); more=$(new_topic more); hop=$(new_topic hop); out=$(new_topic summary)
  kgroupby -i "$in" -o "$mixed" --by uri -e -q
  for p in 0 1 2 3; do echo '{"uri":"/help","number":1000}' | kproduce "$mixed" -p "$p" -q; done
  head -1000 "$DATA/clickevents.ndjson" | kproduce "$more" --partitions 4 -q
  kgroupby -i "$more" -o "$mixed" --by uri -e -q
  run ktable -i "$mixed" -o "$out" -G "$g-mixed" --by uri --agg count --agg 'sum(number)' --state-dir "$STATE" -e -v
  [ "$status" -eq 0 ]
  [[ "$output" == *"reading $mixed in place"* ]]
  [[ "$output" == *"$mixed ["[0-3]"] at offset "*": a record not in its --by key's partition"*"merged from there on"* ]]
  [[ "$output" == *"ktable: 6004 in, 6004 out"* ]]
  run ktable -i "$mixed" -o "$hop" -G "$g-hop" --by uri --agg count --agg 'sum(number)' --state-dir "$STATE" -e \
    --exactly-once
  [ "$status" -eq 0 ]
  [[ "$output" == *"ktable-repartition: 6004 in"* ]]
  diff <(updates_per_key "$hop") <(updates_per_key "$out")
  # The clicks as produced, not partitioned by uri: in place too, and each key's updates are
  # those of a run through the repartition topic (an exactly-once run always goes through it).
  out=$(new_topic summary); hop=$(new_topic hop); g=$(new_topic g)
  run ktable -i "$in" -o "$out" -G "$g" --by uri --agg count --agg 'sum(number)' --state-dir "$STATE" -e -v
  [ "$status" -eq 0 ]
  [[ "$output" == *"reading $in in place"* ]]
  [[ "$output" == *"ktable: 5000 in, 5000 out"* ]]
  [ -z "$(partition_count "$g-table-repartition")" ]
  run ktable -i "$in" -o "$hop" -G "$g-hop" --by uri --agg count --agg 'sum(number)' --state-dir "$STATE" -e \
    --exactly-once
  [ "$status" -eq 0 ]
  [[ "$output" == *"ktable-repartition: 5000 in"* ]]
  diff <(updates_per_key "$hop") <(updates_per_key "$out")
  diff <(uri_summary "$DATA/clickevents.ndjson") <(latest_per_key "$out")
  # A record in the repartition topic that the stage after it has not read: the next batch run
  # goes through the topic (that record first), from where the in-place run committed.
  head -1000 "$DATA/clickevents.ndjson" | kproduce "$in" -q
  kproduce "$g-table-repartition" --partitions 4 -J -q <<<'{"key":"/moved","value":{"uri":"/moved","number":7}}'
  run ktable -i "$in" -o "$out" -G "$g" --by uri --agg count --agg 'sum(number)' --state-dir "$STATE" -e -v
  [ "$status" -eq 0 ]
  [[ "$output" != *"in place"* ]]
  [[ "$output" == *"ktable-repartition: 1000 in"* ]]
  [[ "$output" == *"ktable: 1001 in, 1001 out"* ]]
  expected() {
    cat "$DATA/clickevents.ndjson"
    head -1000 "$DATA/clickevents.ndjson"
    echo '{"uri":"/moved","number":7}'
  }
  diff <(expected | uri_summary) <(latest_per_key "$out")
  # The stage after the hop read its topic to the end: the next batch reads in place again.
  head -1000 "$DATA/clickevents.ndjson" | kproduce "$in" -q
  run ktable -i "$in" -o "$out" -G "$g" --by uri --agg count --agg 'sum(number)' --state-dir "$STATE" -e -v
  [ "$status" -eq 0 ]
  [[ "$output" == *"reading $in in place"* ]]
  [[ "$output" == *"ktable: 1000 in, 1000 out"* ]]
  diff <( (expected; head -1000 "$DATA/clickevents.ndjson") | uri_summary) <(latest_per_key "$out")
}

# A continuous run alone reads in place too, holding the group of the stage after the repartition
# topic meanwhile; when another copy joins either group it commits what it applied and goes on
# through the topic. `join` starts what joins: a copy of the tool, or a consumer of the
# repartition topic in the stage's group (the hold's side of the handover).
handover() {
  local join=$1
  in=$(new_topic clicks); out=$(new_topic summary); g=$(new_topic g)
  kproduce "$in" "$DATA/clickevents.ndjson" --partitions 4 -q
  ktable -i "$in" -o "$out" -G "$g" --by uri --agg count --agg 'sum(number)' --state-dir "$STATE/a" -v \
    2> "$BATS_TEST_TMPDIR/a.err" 3>&- &
  a=$!
  echo "$a" >> "$BATS_TEST_TMPDIR/pids"
  all_out() { [ "$(topic_count "$out")" -ge "$1" ]; }
  wait_until 60 all_out 5000
  grep -q "reading $in in place" "$BATS_TEST_TMPDIR/a.err"
  [ "$(topic_count "$g-table-repartition")" -eq 0 ]
  b=""
  if [ "$join" = copy ]; then
    ktable -i "$in" -o "$out" -G "$g" --by uri --agg count --agg 'sum(number)' --state-dir "$STATE/b" -v \
      2> "$BATS_TEST_TMPDIR/b.err" 3>&- &
    b=$!
    echo "$b" >> "$BATS_TEST_TMPDIR/pids"
  else
    run --separate-stderr kconsume "$g-table-repartition" -G "$g-table" -e
    [ "$status" -eq 0 ]
    [ -z "$output" ]  # nothing there: the run in place never wrote to it
  fi
  handed() { grep -q "another copy joined: this run goes on through $g-table-repartition" "$BATS_TEST_TMPDIR/a.err"; }
  wait_until 60 handed
  grep -q "hands its input over" "$BATS_TEST_TMPDIR/a.err"
  [ "$join" = copy ] || grep -q "group $g-table changed" "$BATS_TEST_TMPDIR/a.err"
  # More records, through the repartition topic now; then the table is every record's.
  head -1000 "$DATA/clickevents.ndjson" | kproduce "$in" -q
  expected() { cat "$DATA/clickevents.ndjson"; head -1000 "$DATA/clickevents.ndjson"; }
  exact() { diff <(expected | uri_summary) <(latest_per_key "$out") > /dev/null; }
  wait_until 60 exact
  kill -TERM "$a" $b
  wait "$a"
  [ -z "$b" ] || wait "$b"
  [ "$(topic_count "$g-table-repartition")" -gt 0 ]
  # The first run's in-place part applied the first 5000, each once.
  grep -q "ktable: 5000 in, 5000 out" "$BATS_TEST_TMPDIR/a.err"
  run ktable dump -G "$g"
  [ "$status" -eq 0 ]
  diff <(expected | uri_summary) <(echo "$output")
}

@test "ktable --by continuous and alone reads in place; a copy joining takes it through the repartition topic, the table exact" {
  need_kafka
  handover copy
}

@test "ktable --by continuous in place hands over when the stage's group on the repartition topic changes, the table exact" {
  need_kafka
  handover consumer
}

@test "ktable --by continuous after a batch run in place reads in place too, making the repartition topic the batch run did not" {
  need_kafka
  in=$(new_topic clicks); out=$(new_topic summary); g=$(new_topic g)
  kproduce "$in" "$DATA/clickevents.ndjson" --partitions 4 -q
  run ktable -i "$in" -o "$out" -G "$g" --by uri --agg count --agg 'sum(number)' --state-dir "$STATE" -e -v
  [ "$status" -eq 0 ]
  [[ "$output" == *"reading $in in place"* ]]
  [ -z "$(partition_count "$g-table-repartition")" ]
  head -1000 "$DATA/clickevents.ndjson" | kproduce "$in" -q
  ktable -i "$in" -o "$out" -G "$g" --by uri --agg count --agg 'sum(number)' --state-dir "$STATE" -v \
    2> "$BATS_TEST_TMPDIR/c.err" 3>&- &
  c=$!
  echo "$c" >> "$BATS_TEST_TMPDIR/pids"
  expected() { cat "$DATA/clickevents.ndjson"; head -1000 "$DATA/clickevents.ndjson"; }
  exact() { diff <(expected | uri_summary) <(latest_per_key "$out") > /dev/null; }
  wait_until 60 exact
  kill -TERM "$c"
  wait "$c"
  grep -q "reading $in in place" "$BATS_TEST_TMPDIR/c.err"
  grep -q "ktable: 1000 in, 1000 out" "$BATS_TEST_TMPDIR/c.err"
  # made for the run's hold, with the stage's partitions, and never written
  [ "$(partition_count "$g-table-repartition")" -eq 4 ]
  [ "$(topic_count "$g-table-repartition")" -eq 0 ]
}

@test "ktable reads headers only where they matter: @headers in --by, and a dead letter keeps its record's headers" {
  need_kafka
  in=$(new_topic in); dlq=$(new_topic dlq)
  printf '{"n":1}\n{"n":2}\n' | kproduce "$in" -H region=eu -q
  printf '{"n":3}\nnot json\n' | kproduce "$in" --format lines -H region=us -H trace=t1 -q
  run ktable -i "$in" --by '@headers.region' --agg count --agg 'sum(n)' --store memory -o - -e -q --on-error skip
  [ "$output" = $'{"key":"eu","count":1,"sum_n":1}\n{"key":"eu","count":2,"sum_n":3}\n{"key":"us","count":1,"sum_n":3}' ]
  # No expression reads headers here (they are not even read from Kafka), but the dead letter
  # of the bad record still has them.
  run ktable -i "$in" --agg count --store memory -G "$(new_topic g)" -o - -e -q --dlq "$dlq"
  [ "$status" -eq 0 ]
  run kcat -b "$B" -C -t "$dlq" -e -q -f '%s %h\n'
  [[ "$output" == "not json region=us,trace=t1,kt.error="* ]]
}

@test "ktable run again with --agg x=sum where the state keeps x=first of text: a bad record naming the state, not a number read from the text" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); g=$(new_topic g)
  printf '{"k":"u","n":1,"s":"hello"}\n' | kproduce "$in" --key-field k -q
  run ktable -i "$in" -o "$out" -G "$g" --agg 'x=first(s)' --state-dir "$STATE" -e -q
  [ "$status" -eq 0 ]
  printf '{"k":"u","n":2,"s":"again"}\n{"k":"v","n":5}\n' | kproduce "$in" --key-field k -q
  run ktable -i "$in" -o "$out" -G "$g" --agg 'x=sum(n)' --state-dir "$STATE" -e --on-error skip
  [ "$status" -eq 0 ]
  [[ "$output" == *"key 'u': the state's field 'x' is \"hello\", not what this aggregate keeps there: was the state written with other --agg specs?"* ]]
  [[ "$output" == *"2 in, 1 out, 1 skipped"* ]]
  # Key v had no state: summed; key u kept its state.
  run bash -c "kconsume '$out' -e -q -f '%k %s\n' | tail -2"
  [ "${lines[0]}" = 'u {"key":"u","x":"hello"}' ]
  [ "${lines[1]}" = 'v {"key":"v","x":5}' ]
}

@test "ktable bad --agg and --by are usage errors" {
  run ktable --agg 'median(x)'
  [ "$status" -eq 2 ]
  [[ "$output" == *"unknown aggregate 'median'"* ]]
  run ktable --agg count --by 'uri ~'
  [ "$status" -eq 2 ]
  [[ "$output" == *"--by: invalid expression at column 6"* ]]
  # two aggregates of one name folded into one field, which the output named twice
  run ktable --by k --agg 'x=sum(a)' --agg x=count <<< '{"k":"u","a":1}'
  [ "$status" -eq 2 ]
  [[ "$output" == *"--agg 'x=count': the name 'x' is taken by --agg 'x=sum(a)'"* ]]
  run ktable --by k --agg count --agg 'n=count' --agg 'sum(a)' --agg 'sum_a=last(a)' <<< '{"k":"u","a":1}'
  [ "$status" -eq 2 ]
  [[ "$output" == *"--agg 'sum_a=last(a)': the name 'sum_a' is taken by --agg 'sum(a)'"* ]]
  run ktable --store memory --by k --agg count --agg 'n=count' --agg 'sum(a)' <<< '{"k":"u","a":1}'
  [ "$status" -eq 0 ]
  [[ "$output" == '{"key":"u","count":1,"n":1,"sum_a":1}'* ]]
  # a store name becomes a topic and a directory name: nothing outside the state dir
  for bad in ../up 'a b' '' ..; do
    run ktable -i - --agg count --name "$bad" <<< '{"a":1}'
    [ "$status" -eq 2 ]
    [[ "$output" == *"'$bad' is not a store name"* ]]
    run ktable -i - --agg count --table "$bad" <<< '{"a":1}'
    [ "$status" -eq 2 ]
    [[ "$output" == *"'$bad' is not a store name"* ]]
  done
}

@test "ktable get and dump answer from the changelog and from local state" {
  need_kafka
  in=$(new_topic in); g=$(new_topic g)
  kproduce "$in" "$DATA/clickevents.ndjson" --key-field uri --partitions 2 -q
  ktable -i "$in" -G "$g" --agg count --agg 'sum(number)' --emit none --state-dir "$STATE" -e -q
  diff <(uri_summary "$DATA/clickevents.ndjson") <(ktable dump -G "$g")
  diff <(uri_summary "$DATA/clickevents.ndjson") <(ktable dump -G "$g" --local --state-dir "$STATE")
  run ktable get -G "$g" /checkout
  [ "$output" = "$(uri_summary "$DATA/clickevents.ndjson" | grep '"key":"/checkout"')" ]
  run ktable get -G "$g" /nowhere
  [ "$status" -eq 1 ]
  [[ "$output" == *"key '/nowhere' is not in table table"* ]]
  run ktable dump -G "$(new_topic nogroup)"
  [ "$status" -eq 1 ]
  [[ "$output" == *"does not exist"* ]]
}

@test "ktable get finds a key in any changelog partition; get --local reads the stores while ktable runs" {
  need_kafka
  in=$(new_topic in); g=$(new_topic g)
  # keys written to partitions murmur2 would not choose (-p): get looks beyond the key's own
  jq -c 'select(.uri == "/checkout")' "$DATA/clickevents.ndjson" | kproduce "$in" --key-field uri -p 2 --partitions 4 -q
  jq -c 'select(.uri == "/home")' "$DATA/clickevents.ndjson" | kproduce "$in" --key-field uri -p 0 -q
  jq -c 'select(.uri != "/home" and .uri != "/checkout")' "$DATA/clickevents.ndjson" | kproduce "$in" --key-field uri -q
  ktable -i "$in" -G "$g" --agg count --agg 'sum(number)' --emit none --state-dir "$STATE" -e -q
  for uri in /checkout /home /cart; do
    run -0 ktable get -G "$g" "$uri"
    [ "$output" = "$(uri_summary "$DATA/clickevents.ndjson" | grep "\"key\":\"$uri\"")" ]
  done
  # a running ktable holds its RocksDB stores: --local reads them beside it
  ktable -i "$in" -G "$g" --agg count --agg 'sum(number)' --emit none --state-dir "$STATE" -q &
  pid=$!
  assigned() { [ "$(kgroup describe "$g" --json 2>/dev/null | jq -s 'length')" -gt 0 ] && ! ktable get -G "$g" /x --local --state-dir "$STATE" 2>&1 | grep -q LOCK; }
  wait_until 30 assigned
  run -0 ktable get -G "$g" /checkout --local --state-dir "$STATE"
  [ "$output" = "$(uri_summary "$DATA/clickevents.ndjson" | grep '"key":"/checkout"')" ]
  diff <(uri_summary "$DATA/clickevents.ndjson") <(ktable dump -G "$g" --local --state-dir "$STATE")
  kill -TERM "$pid"
  wait "$pid"
}

@test "ktable --name names the store (changelog, state dir, get/dump); the former --table still works, with a warning" {
  need_kafka
  in=$(new_topic in); g=$(new_topic g)
  kproduce "$in" "$DATA/clickevents.ndjson" --key-field uri -q
  ktable -i "$in" -G "$g" --name per_uri --agg count --agg 'sum(number)' --emit none --state-dir "$STATE" -e -q
  ktopic list --names | grep -qx "$g-per_uri-changelog"
  [ -z "$(ktopic list --names | grep -x "$g-table-changelog")" ]
  [ -d "$STATE/$g/per_uri" ]
  diff <(uri_summary "$DATA/clickevents.ndjson") <(ktable dump -G "$g" --name per_uri)
  run ktable dump -G "$g"
  [ "$status" -eq 1 ]
  [[ "$output" == *"$g-table-changelog"* ]]
  run ktable dump -G "$g" --table per_uri
  [ "$status" -eq 0 ]
  [[ "$output" == *"--table is now --name"* ]]
  # a second run under the former name continues the same store
  head -3 "$DATA/clickevents.ndjson" | kproduce "$in" --key-field uri -q
  run ktable -i "$in" -G "$g" --table per_uri --agg count --agg 'sum(number)' --emit none --state-dir "$STATE" -e -q
  [ "$status" -eq 0 ]
  [[ "$output" == *"ktable: warning: --table is now --name"* ]]
  total=$(ktable dump -G "$g" --name per_uri | jq -s 'map(.count) | add')
  [ "$total" -eq $(( $(wc -l < "$DATA/clickevents.ndjson") + 3 )) ]
}

@test "scale out: two instances share the partitions; one stops mid-stream; state moves; totals exact" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); g=$(new_topic g)
  echo '{"uri":"/","number":0}' | kproduce "$in" --key-field uri --partitions 4 -q
  ktable -i "$in" -o "$out" -G "$g" --agg count --agg 'sum(number)' --state-dir "$STATE/a" -q &
  a=$!
  ktable -i "$in" -o "$out" -G "$g" --agg count --agg 'sum(number)' --state-dir "$STATE/b" -q &
  b=$!
  # Feed the click events, paced over ~4 s, while both run.
  awk '{print; if (NR % 250 == 0) { fflush(); system("sleep 0.2") }}' "$DATA/clickevents.ndjson" |
    kproduce "$in" --key-field uri -q &
  feeder=$!
  out_has_1000() { [ "$(topic_count "$out")" -ge 1000 ]; }
  wait_until 60 out_has_1000
  kill -0 "$feeder"  # mid-stream
  kill -TERM "$a"
  # A copy stopped while its group rebalances exits at once: librdkafka 2.0 never finished closing
  # a consumer whose assignment waited for its assign call (librdkafka#4527; a waited 120 s).
  wait_until 20 bash -c "! kill -0 $a 2>/dev/null"
  wait "$a"          # drains and commits; b takes over a's partitions, restoring their state
  wait "$feeder"
  # b has everything once the group's committed offsets cover every input record. Not once the
  # output holds 5001 updates: a commit that a rebalance refuses (a's join, "generation id is
  # not valid") rolls back its state and offsets, while the updates are out already
  # (at-least-once); b then reads those records again, and the output holds them twice.
  committed() {
    [ "$("$BATS_TEST_DIRNAME/kadmin.py" offsets "$g" | awk -v t="$in" '$1 == t { n += $3 } END { print n + 0 }')" -eq 5001 ]
  }
  wait_until 60 committed
  kill -TERM "$b"
  wait "$b"
  { echo '{"uri":"/","number":0}'; cat "$DATA/clickevents.ndjson"; } > "$BATS_TEST_TMPDIR/all"
  # Not in a process substitution: a failing dump shows its status and its words.
  run --separate-stderr ktable dump -G "$g"
  echo "dump: status $status, stderr: $stderr"
  [ "$status" -eq 0 ]
  diff <(uri_summary "$BATS_TEST_TMPDIR/all") <(echo "$output")
  [ "$(topic_count "$out")" -ge 5001 ]
}
