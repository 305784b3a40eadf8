#!/usr/bin/env bats
# kwindow against the real broker, with explicit record timestamps (kproduce -J): exact window
# outputs for tumbling, hopping and session windows, grace and late records, emit-final across
# restarts, and clicks per URI per 10 s equal to an independent recomputation.
load helpers

setup() {
  STATE="$BATS_TEST_TMPDIR/state"
}

# Envelope lines for key $1 with value {"n":N} at time T, from "T:N" words.
records() {
  local key=$1; shift
  for tn in "$@"; do printf '{"key":"%s","value":{"n":%s},"timestamp":%s}\n' "$key" "${tn#*:}" "${tn%%:*}"; done
}

# An output topic as "key value timestamp" lines, in order.
outputs() { kconsume "$1" -e -J -q | jq -c '[.key, .value, .timestamp]'; }

# The same window input for the tumbling tests: 10 s windows, grace 5 s.
tumbling_input() {
  { records a 1000:1 4000:2; records b 8000:3; records a 12000:4 9000:5 26000:6 3000:7 40000:8; } |
    kproduce "$1" -J -q
}

@test "kwindow --tumbling --emit update: every change of every window, late records counted" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out)
  tumbling_input "$in"
  run kwindow -i "$in" -o "$out" --tumbling 10s --grace 5s --agg count --agg 'sum(n)' --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"8 in, 7 out"* ]]
  [[ "$output" == *"1 late records dropped"* ]]
  diff <(outputs "$out") - <<'EXPECTED'
["a@0/10000",{"key":"a","window":{"start":0,"end":10000},"count":1,"sum_n":1},1000]
["a@0/10000",{"key":"a","window":{"start":0,"end":10000},"count":2,"sum_n":3},4000]
["b@0/10000",{"key":"b","window":{"start":0,"end":10000},"count":1,"sum_n":3},8000]
["a@10000/20000",{"key":"a","window":{"start":10000,"end":20000},"count":1,"sum_n":4},12000]
["a@0/10000",{"key":"a","window":{"start":0,"end":10000},"count":3,"sum_n":8},9000]
["a@20000/30000",{"key":"a","window":{"start":20000,"end":30000},"count":1,"sum_n":6},26000]
["a@40000/50000",{"key":"a","window":{"start":40000,"end":50000},"count":1,"sum_n":8},40000]
EXPECTED
}

@test "kwindow --emit final: each window once when stream time closes it, in end order; late records to the DLQ" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); dlq=$(new_topic dlq)
  tumbling_input "$in"
  run kwindow -i "$in" -o "$out" --tumbling 10s --grace 5s --emit final --agg count --agg 'sum(n)' \
    --state-dir "$STATE" --on-error dlq --dlq "$dlq" -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"8 in, 4 out"* ]]
  [[ "$output" == *"1 dead-lettered"* ]]
  # 26000 closes every window ending by 21000; 40000 closes [20000,30000); [40000,50000) stays open.
  diff <(outputs "$out") - <<'EXPECTED'
["a@0/10000",{"key":"a","window":{"start":0,"end":10000},"count":3,"sum_n":8},9000]
["b@0/10000",{"key":"b","window":{"start":0,"end":10000},"count":1,"sum_n":3},8000]
["a@10000/20000",{"key":"a","window":{"start":10000,"end":20000},"count":1,"sum_n":4},12000]
["a@20000/30000",{"key":"a","window":{"start":20000,"end":30000},"count":1,"sum_n":6},26000]
EXPECTED
  # The late record, as it was, with the reason.
  dead=$(kcat -b "$B" -C -t "$dlq" -e -q -f '%k %s %T %h\n')
  [[ "$dead" == 'a {"n":7} 3000 '*"kt.error="*"late record"*"kt.source.offset=6"* ]]
}

@test "kwindow --hopping: size not a multiple of the step, updates and finals" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); fin=$(new_topic fin)
  records k 1000:1 7000:2 12000:3 31000:4 | kproduce "$in" -J -q
  run kwindow -i "$in" -o "$out" --hopping 10s --step 4s --agg count --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  diff <(outputs "$out" | jq -c '[.[0], .[1].count]') - <<'EXPECTED'
["k@0/10000",1]
["k@0/10000",2]
["k@4000/14000",1]
["k@4000/14000",2]
["k@8000/18000",1]
["k@12000/22000",1]
["k@24000/34000",1]
["k@28000/38000",1]
EXPECTED
  # Another group on the same input, sharing the state root: its state is its own.
  run kwindow -i "$in" -o "$fin" -G "$fin" --hopping 10s --step 4s --agg count --emit final --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  diff <(outputs "$fin" | jq -c '[.[0], .[1].count, .[2]]') - <<'EXPECTED'
["k@0/10000",2,7000]
["k@4000/14000",2,12000]
["k@8000/18000",1,12000]
["k@12000/22000",1,12000]
EXPECTED
}

@test "kwindow --session: sessions merge, merged-away sessions get tombstones at their own end time" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out)
  records u 1000:1 10000:2 5500:3 30000:4 | kproduce "$in" -J -q
  run kwindow -i "$in" -o "$out" --session 5s --grace 10s --agg count --agg 'sum(n)' --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  diff <(outputs "$out") - <<'EXPECTED'
["u@1000/1000",{"key":"u","window":{"start":1000,"end":1000},"count":1,"sum_n":1},1000]
["u@10000/10000",{"key":"u","window":{"start":10000,"end":10000},"count":1,"sum_n":2},10000]
["u@1000/1000",null,1000]
["u@10000/10000",null,10000]
["u@1000/10000",{"key":"u","window":{"start":1000,"end":10000},"count":3,"sum_n":6},10000]
["u@30000/30000",{"key":"u","window":{"start":30000,"end":30000},"count":1,"sum_n":4},30000]
EXPECTED
}

@test "kwindow --emit final across restarts (SIGTERM, local state, lost state): nothing lost, nothing re-emitted" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); g=$(new_topic g)
  records a 1000:1 2000:1 11000:1 | kproduce "$in" -J -q
  kwindow -i "$in" -o "$out" -G "$g" --tumbling 10s --emit final --agg count --state-dir "$STATE" -q &
  pid=$!
  out_has_one() { [ "$(topic_count "$out")" -ge 1 ]; }
  wait_until 30 out_has_one
  kill -TERM "$pid"
  rc=0; wait "$pid" || rc=$?
  [ "$rc" -eq 0 ]
  # [10000,20000) holds 11000 in the state; 25000 closes it with 15000 added.
  records a 15000:1 25000:1 | kproduce "$in" -J -q
  run kwindow -i "$in" -o "$out" -G "$g" --tumbling 10s --emit final --agg count --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"2 in, 1 out"* ]]
  # Without local state the changelog restores windows and stream time.
  rm -rf "$STATE"
  records a 36000:1 | kproduce "$in" -J -q
  run kwindow -i "$in" -o "$out" -G "$g" --tumbling 10s --emit final --agg count --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"1 in, 1 out"* ]]
  [[ "$output" != *"restored 0 changelog records"* ]]
  diff <(outputs "$out" | jq -c '[.[0], .[1].count, .[2]]') - <<'EXPECTED'
["a@0/10000",2,2000]
["a@10000/20000",2,15000]
["a@20000/30000",1,25000]
EXPECTED
}

# The last update of every window in topic $1, sorted.
last_window_updates() {
  kconsume "$1" -e -J -q | jq -c '{k: .key, v: .value}' | jq -s -c 'reduce .[] as $r ({}; .[$r.k] = $r.v) | .[]' | sort
}
# The same windows from Python's own grouping of the click file, sorted.
clicks_per_uri_per_10s() { python3 "$BATS_TEST_DIRNAME/windows.py" 10000 < "$DATA/clickevents.ndjson" | sort; }
# "uri partition" for each window's uri and each partition its records are in, sorted.
window_partitions() { kconsume "$1" -e -J -q | jq -r '"\(.value.key) \(.partition)"' | sort -u; }
# "uri partition" for each uri of the click file, where the producer puts a record keyed by it in
# a topic of 4 partitions: where Kafka Streams' WindowedStreamPartitioner puts its windows.
uri_partitions() {
  local t; t=$(new_topic uris)
  jq -c '{key: .uri, value: 1}' "$DATA/clickevents.ndjson" | sort -u | kproduce "$t" -J --partitions 4 -q
  kconsume "$t" -e -J -q | jq -r '"\(.key) \(.partition)"' | sort -u
}

@test "kwindow: clicks per URI per 10 s tumbling window by event time equal a recomputation" {
  need_kafka
  in=$(new_topic clicks); out=$(new_topic out)
  kproduce "$in" "$DATA/clickevents.ndjson" --partitions 4 -q
  # Produced from a file, the records carry their produce time: thousands share a millisecond,
  # and timestamp order (ties: the lower partition first) says nothing about click time. Event
  # time from a field then needs a grace as long as the whole file; the next test stamps each
  # record with its click time and needs none.
  run kwindow -i "$in" -o "$out" --tumbling 10s --grace 1h --time timestamp --by uri \
    --agg count --agg 'sum(number)' --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  [[ "$output" != *"late"* ]]
  diff <(last_window_updates "$out") <(clicks_per_uri_per_10s)
}

@test "kwindow --by on 4 partitions with --grace 0: read in timestamp order, in place or through the repartition topic, no record late, every window exact and in its uri's partition" {
  need_kafka
  in=$(new_topic clicks); out=$(new_topic out); g=$(new_topic g)
  # Clicks in time order, each record stamped with its click time, spread over 4 partitions.
  jq -s -c 'sort_by(.timestamp)[] | {value: ., timestamp: ((.timestamp[0:19] + "Z" | fromdate) * 1000 + (.timestamp[20:23] | tonumber))}' \
    "$DATA/clickevents.ndjson" > "$BATS_TEST_TMPDIR/sorted"
  kproduce "$in" -J --partitions 4 -q < "$BATS_TEST_TMPDIR/sorted"
  # Read by several partitions: the record with the smallest timestamp is handed out first, so
  # stream time never passes a record still to come. Read in fetch order instead, stream time
  # runs ahead and windows lose records as late. A batch run reads the input in place, each
  # record to its uri's partition (the stage's task), as the repartition topic would take it.
  run kwindow -i "$in" -o "$out" -G "$g" --tumbling 10s --grace 0 --by uri \
    --agg count --agg 'sum(number)' --state-dir "$STATE" -e -v
  [ "$status" -eq 0 ]
  [[ "$output" == *"reading $in in place"* ]]
  [[ "$output" != *"late"* ]]
  diff <(last_window_updates "$out") <(clicks_per_uri_per_10s)
  uri_partitions > "$BATS_TEST_TMPDIR/uri_partitions"
  diff <(window_partitions "$out") "$BATS_TEST_TMPDIR/uri_partitions"
  # Through the repartition topic (an exactly-once run always goes through it), the same.
  out=$(new_topic out)
  run kwindow -i "$in" -o "$out" -G "$g-hop" --tumbling 10s --grace 0 --by uri \
    --agg count --agg 'sum(number)' --state-dir "$STATE" -e --exactly-once
  [ "$status" -eq 0 ]
  [[ "$output" == *"kwindow-repartition: 5000 in"* ]]
  [[ "$output" != *"late"* ]]
  diff <(last_window_updates "$out") <(clicks_per_uri_per_10s)
  diff <(window_partitions "$out") "$BATS_TEST_TMPDIR/uri_partitions"
}

@test "kwindow on stdin: taxi rides per vendor per minute from a custom time format, final at end of input" {
  python3 "$BATS_TEST_DIRNAME/csv2json.py" < "$DATA/yellow_tripdata_sample.csv" | head -400 > "$BATS_TEST_TMPDIR/rides"
  run kwindow --tumbling 1m --grace 1h --time tpep_pickup_datetime --time-format '%Y-%m-%d %H:%M:%S' \
    --by VendorID --agg count --emit final -q < "$BATS_TEST_TMPDIR/rides"
  [ "$status" -eq 0 ]
  diff <(echo "$output" | jq -c '[.key, .window.start, .count]' | sort) \
       <(jq -r '[(.VendorID|tostring), (.tpep_pickup_datetime + "Z" | sub(" "; "T") | fromdate * 1000 / 60000 | floor * 60000)] | @tsv' "$BATS_TEST_TMPDIR/rides" |
           sort | uniq -c | awk '{printf "[\"%s\",%s,%s]\n", $2, $3, $1}' | sort)
}

@test "kwindow: a record whose time cannot be read follows --on-error" {
  printf '%s\n' '{"k":"a","t":"2026-11-20T09:00:00Z"}' '{"k":"a","t":"soon"}' '{"k":"a","t":"2026-11-20T09:00:01Z"}' > "$BATS_TEST_TMPDIR/in"
  run kwindow --tumbling 1m --time t --by k --agg count < "$BATS_TEST_TMPDIR/in"
  [ "$status" -eq 3 ]
  [[ "$output" == *"line 2"*"--time t"*"soon"* ]]
  run kwindow --tumbling 1m --time t --by k --agg count --on-error skip -q < "$BATS_TEST_TMPDIR/in"
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | tail -1 | jq -c '[.key, .count]')" = '["a",2]' ]
  # Bare lines carry no Kafka timestamp: the default --time @timestamp says what to do instead.
  run kwindow --tumbling 1m --by k --agg count < "$BATS_TEST_TMPDIR/in"
  [ "$status" -eq 3 ]
  [[ "$output" == *"line 1: the record has no timestamp"*"--time FIELD"* ]]
}

@test "kwindow: bad flags exit 2" {
  run kwindow --tumbling 10s
  [ "$status" -eq 2 ]
  run kwindow --tumbling 10s --session 5s --agg count
  [ "$status" -eq 2 ]
  run kwindow --hopping 10s --agg count
  [ "$status" -eq 2 ]
  [[ "$output" == *"--step"* ]]
  run kwindow --hopping 10s --step 20s --agg count
  [ "$status" -eq 2 ]
  run kwindow --tumbling 10x --agg count
  [ "$status" -eq 2 ]
  run kwindow --tumbling 10s --retention 5s --agg count
  [ "$status" -eq 2 ]
  [[ "$output" == *"--retention must be at least"* ]]
  run kwindow --tumbling 10s --agg 'median(x)'
  [ "$status" -eq 2 ]
  run kwindow --tumbling 10s --agg 'sum(a)' --agg 'sum_a=count'
  [ "$status" -eq 2 ]
  [[ "$output" == *"--agg 'sum_a=count': the name 'sum_a' is taken by --agg 'sum(a)'"* ]]
  run kwindow --tumbling 10s --agg count --time 'a +'
  [ "$status" -eq 2 ]
}

@test "kwindow --sliding on stdin: left windows, right windows, each distinct set of records once" {
  run kwindow -J --sliding 10s --grace 1h --agg count --agg 'sum(n)' -q < <(records a 10000:1 15000:2 30000:3)
  [ "$status" -eq 0 ]
  diff <(echo "$output" | jq -c '[.key, .value.count, .value.sum_n, .timestamp]') - <<'EXPECTED'
["a@0/10000",1,1,10000]
["a@10001/20001",1,2,15000]
["a@5000/15000",2,3,15000]
["a@20000/30000",1,3,30000]
EXPECTED
}

@test "kwindow --name names the store (changelog, get/dump); the former --window still works, with a warning" {
  need_kafka
  in=$(new_topic in); g=$(new_topic g)
  records a 1000:1 4000:2 | kproduce "$in" -J -q
  kwindow -i "$in" -o "$(new_topic out)" -G "$g" --name per_10s --tumbling 10s --agg count --state-dir "$STATE" -e -q
  ktopic list --names | grep -qx "$g-per_10s-changelog"
  [ -z "$(ktopic list --names | grep -x "$g-window-changelog")" ]
  run kwindow dump -G "$g" --name per_10s
  [ "$status" -eq 0 ]
  [ "$output" = '{"key":"a","window":{"start":0,"end":10000},"count":2}' ]
  run kwindow dump -G "$g" --window per_10s
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "kwindow: warning: --window is now --name (the old name still works, for now)" ]
  [ "${lines[1]}" = '{"key":"a","window":{"start":0,"end":10000},"count":2}' ]
}

@test "kwindow and ktable keep a record's number as written through their changelogs: restored windows, get, dump" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); g=$(new_topic g); gt=$(new_topic gt)
  records a 1000:1.50 | kproduce "$in" -J -q
  kwindow -i "$in" -o "$out" -G "$g" --tumbling 10s --agg 'first(n)' --agg 'max(n)' --state-dir "$BATS_TEST_TMPDIR/s1" -e -q
  ktable -i "$in" -G "$gt" --agg 'first(n)' --emit none --state-dir "$BATS_TEST_TMPDIR/s1" -e -q
  # The next run has no local state: the windows come back from the changelog.
  records a 2000:123456789012345678901234567890 | kproduce "$in" -J -q
  kwindow -i "$in" -o "$out" -G "$g" --tumbling 10s --agg 'first(n)' --agg 'max(n)' --state-dir "$BATS_TEST_TMPDIR/s2" -e -q
  ktable -i "$in" -G "$gt" --agg 'first(n)' --agg 'last(n)' --emit none --state-dir "$BATS_TEST_TMPDIR/s2" -e -q
  run kconsume "$out" -e -q
  [ "$output" = '{"key":"a","window":{"start":0,"end":10000},"first_n":1.50,"max_n":1.50}
{"key":"a","window":{"start":0,"end":10000},"first_n":1.50,"max_n":123456789012345678901234567890}' ]
  run kwindow get -G "$g" a --at 5000
  [ "$output" = '{"key":"a","window":{"start":0,"end":10000},"first_n":1.50,"max_n":123456789012345678901234567890}' ]
  run kwindow dump -G "$g" --local --state-dir "$BATS_TEST_TMPDIR/s2"
  [ "$output" = '{"key":"a","window":{"start":0,"end":10000},"first_n":1.50,"max_n":123456789012345678901234567890}' ]
  run ktable get -G "$gt" a
  [ "$output" = '{"key":"a","first_n":1.50,"last_n":123456789012345678901234567890}' ]
}

@test "kwindow get/dump: the live windows from the changelog and --local equal the last update of each window" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); g=$(new_topic g)
  # b at 8000 comes after stream time 12000 closed its window (grace 0): late, not kept.
  { records 'a@x' 1000:1 4000:2 12000:4; records b 8000:3 26000:6; } | kproduce "$in" -J -q
  run kwindow -i "$in" -o "$out" -G "$g" --tumbling 10s --retention 1h --agg count --agg 'avg(n)' --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  last_updates=$(kconsume "$out" -e -q | jq -sc 'group_by([.key, .window.start]) | map(last) | .[]')
  run kwindow dump -G "$g"
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | jq -c .)" = "$last_updates" ]  # jq on both sides: it prints 4.0 as 4
  diff <(echo "$output") - <<'EXPECTED'
{"key":"a@x","window":{"start":0,"end":10000},"count":2,"avg_n":1.5}
{"key":"a@x","window":{"start":10000,"end":20000},"count":1,"avg_n":4.0}
{"key":"b","window":{"start":20000,"end":30000},"count":1,"avg_n":6.0}
EXPECTED
  run kwindow dump -G "$g" --local --state-dir "$STATE"
  [ "$(echo "$output" | jq -c .)" = "$last_updates" ]
  run kwindow get -G "$g" 'a@x' --at 12500
  [ "$status" -eq 0 ]
  [ "$output" = '{"key":"a@x","window":{"start":10000,"end":20000},"count":1,"avg_n":4.0}' ]
  run kwindow get -G "$g" 'a@x'
  [ "${#lines[@]}" -eq 2 ]
  run kwindow get -G "$g" b --at 1970-01-01T00:00:15Z
  [ "$status" -eq 1 ]
  [[ "$output" == *"key 'b' has no live window at 15000"* ]]
  run kwindow get -G "$g" b --now
  [ "$status" -eq 1 ]
  run kwindow get -G "$g" b --at soon
  [ "$status" -eq 2 ]
  run kwindow dump -G "$g-none"
  [ "$status" -eq 1 ]
  [[ "$output" == *"changelog topic '$g-none-window-changelog' does not exist"* ]]
}

@test "kwindow --http: /state/KEY answers a key's live windows from the running copy, as kwindow get does" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); g=$(new_topic g)
  port=$(free_port)
  { records 'a@x' 1000:1 4000:2 12000:4; records b 8000:3 26000:6; } | kproduce "$in" -J -q
  kwindow -i "$in" -o "$out" -G "$g" --tumbling 10s --retention 1h --agg count --agg 'avg(n)' \
    --state-dir "$STATE" --commit-interval 200ms --http "127.0.0.1:$port" -q &
  pid=$!
  # every record read and a commit after it: the windows are in the store
  stored() { [ "$(metric "$port" ktools_records_in_total)" = 5 ] && [ "$(metric "$port" ktools_state_changes_total)" -ge 3 ]; }
  wait_until 60 stored
  [ "$(metric "$port" ktools_late_total)" = 1 ]  # b at 8000, after stream time 12000 closed its window
  got=$(curl -sf "http://127.0.0.1:$port/state/a%40x")
  diff <(echo "$got") - <<'EXPECTED'
{"key":"a@x","window":{"start":0,"end":10000},"count":2,"avg_n":1.5}
{"key":"a@x","window":{"start":10000,"end":20000},"count":1,"avg_n":4.0}
EXPECTED
  diff <(curl -sf "http://127.0.0.1:$port/state") <(kwindow dump -G "$g")
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/state/c")" = 404 ]
  kill -TERM "$pid"
  wait "$pid"
}
