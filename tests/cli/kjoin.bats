#!/usr/bin/env bats
# kjoin against the real broker: stream-table and table-table joins give exactly the records the
# join rules give (SEMANTICS.md, "Joins"), in timestamp order across both topics and all
# partitions; state survives a restart; bad set-ups are clear errors.
load helpers

setup() {
  STATE="$BATS_TEST_TMPDIR/state"
}

# envelope KEY VALUE TIME: one -J line (VALUE is JSON text; null for a tombstone).
envelope() { printf '{"key":"%s","value":%s,"timestamp":%s}\n' "$1" "$2" "$3"; }

# The small world of the man page: left a:1@1 a:2@3 b:3@5, right a:X@2 a:null@4, on 2 partitions.
small_world() {
  L=$(new_topic left); R=$(new_topic right)
  { envelope a '{"n":1}' 1000; envelope a '{"n":2}' 3000; envelope b '{"n":3}' 5000; } | kproduce "$L" -J --partitions 2 -q
  { envelope a '{"name":"X"}' 2000; envelope a null 4000; } | kproduce "$R" -J --partitions 2 -q
}

joined() { kconsume "$1" -e -J -q | jq -c '[.key, .value, .timestamp]'; }

@test "kjoin stream-table inner: a left record joins the right value its key has at its time" {
  need_kafka
  small_world; out=$(new_topic out)
  run kjoin -i "$L" --table "$R" -o "$out" --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"5 in, 1 out"* ]]
  [[ "$output" == *"2 without a result"* ]]
  diff <(joined "$out") - <<'EXPECTED'
["a",{"left":{"n":2},"right":{"name":"X"}},3000]
EXPECTED
}

@test "kjoin stream-table left: every left record, null for a missing right value; --merge flattens" {
  need_kafka
  small_world
  run kjoin -i "$L" --table "$R" --join left -o - -J -q --store memory -e
  [ "$status" -eq 0 ]
  diff <(echo "$output" | jq -c '[.key, .value, .timestamp]' | sort) - <<'EXPECTED'
["a",{"left":{"n":1},"right":null},1000]
["a",{"left":{"n":2},"right":{"name":"X"}},3000]
["b",{"left":{"n":3},"right":null},5000]
EXPECTED
  run kjoin -i "$L" --table "$R" --join left --merge -G "$(new_topic g)" -o - -q --store memory -e
  [ "$status" -eq 0 ]
  diff <(echo "$output" | sort) - <<'EXPECTED'
{"n":1}
{"n":2,"name":"X"}
{"n":3}
EXPECTED
}

@test "kjoin table-table inner, left, outer: every result change, tombstones when a result goes away" {
  need_kafka
  small_world
  run kjoin -i "$L" --left-table --table "$R" --join inner -o - -J -q --store memory -e
  [ "$status" -eq 0 ]
  diff <(echo "$output" | jq -c '[.key, .value, .timestamp]') - <<'EXPECTED'
["a",{"left":{"n":1},"right":{"name":"X"}},2000]
["a",{"left":{"n":2},"right":{"name":"X"}},3000]
["a",null,4000]
EXPECTED
  for join in left outer; do
    run kjoin -i "$L" --left-table --table "$R" --join $join -G "$(new_topic g)" -o - -J -q --store memory -e
    [ "$status" -eq 0 ]
    diff <(echo "$output" | jq -c '[.key, .value, .timestamp]' | sort) - <<'EXPECTED'
["a",{"left":{"n":1},"right":null},1000]
["a",{"left":{"n":1},"right":{"name":"X"}},2000]
["a",{"left":{"n":2},"right":null},4000]
["a",{"left":{"n":2},"right":{"name":"X"}},3000]
["b",{"left":{"n":3},"right":null},5000]
EXPECTED
  done
  # Outer differs from left when only the right side has a key.
  envelope c '{"name":"Z"}' 6000 | kproduce "$R" -J -q
  run kjoin -i "$L" --left-table --table "$R" --join outer -G "$(new_topic g)" -o - -J -q --store memory -e
  [[ "$(echo "$output" | jq -c 'select(.key == "c") | .value')" == '{"left":null,"right":{"name":"Z"}}' ]]
}

@test "kjoin: clicks on 4 partitions enriched with a users table equal a recomputation" {
  need_kafka
  clicks=$(new_topic clicks); users=$(new_topic users); out=$(new_topic out)
  # Users: one profile per e-mail address of the click file, except those at shop.test,
  # stamped before every click; clicks keyed by e-mail, stamped with their click time.
  jq -r '.email' "$DATA/clickevents.ndjson" | sort -u | grep -v '@shop\.test$' |
    jq -R -c '{key: ., value: {tier: (if test("^[a-m]") then "gold" else "basic" end)}, timestamp: 1}' > "$BATS_TEST_TMPDIR/users"
  kproduce "$users" -J --partitions 4 -q < "$BATS_TEST_TMPDIR/users"
  jq -c '{key: .email, value: ., timestamp: ((.timestamp[0:19] + "Z" | fromdate) * 1000 + (.timestamp[20:23] | tonumber))}' \
    "$DATA/clickevents.ndjson" | kproduce "$clicks" -J --partitions 4 -q
  run kjoin -i "$clicks" --table "$users" --merge -o "$out" --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  diff <(kconsume "$out" -e -q | jq -c '[.email, .tier, .number, .timestamp]' | sort) \
       <(jq -c 'select(.email | test("@shop\\.test$") | not) | [.email, (if .email | test("^[a-m]") then "gold" else "basic" end), .number, .timestamp]' \
           "$DATA/clickevents.ndjson" | sort)
}

@test "kjoin: the table survives a restart (from the changelog when the state directory is gone)" {
  need_kafka
  small_world; out=$(new_topic out); g=$(new_topic group)
  run kjoin -i "$L" --table "$R" --join left -o "$out" -G "$g" --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  rm -rf "$STATE"
  # New right value for b, then a new left record for b: it must see the restored table.
  envelope b '{"name":"Y"}' 6000 | kproduce "$R" -J -q
  envelope b '{"n":4}' 7000 | kproduce "$L" -J -q
  run kjoin -i "$L" --table "$R" --join left -o "$out" -G "$g" --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"2 in, 1 out"* ]]
  [[ "$output" != *"restored 0 changelog records"* ]]
  [[ "$(joined "$out" | tail -1)" == '["b",{"left":{"n":4},"right":{"name":"Y"}},7000]' ]]
}

@test "kjoin --name names the state store: its changelog and state directory" {
  need_kafka
  small_world; out=$(new_topic out); g=$(new_topic group)
  run kjoin -i "$L" --table "$R" --join left -o "$out" -G "$g" --name enrich --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  ktopic list --names | grep -qx "$g-enrich-changelog"
  [ -z "$(ktopic list --names | grep -x "$g-join-changelog")" ]
  [ -d "$STATE/$g/enrich" ]
}

@test "kjoin: topics of different partition counts exit 2 naming both; a missing table exits 1" {
  need_kafka
  L=$(new_topic left); R=$(new_topic right)
  envelope a 1 2 | kproduce "$L" -J --partitions 2 -q
  envelope a 1 1 | kproduce "$R" -J --partitions 3 -q
  run kjoin -i "$L" --table "$R" -o - -G "$(new_topic g)" -e
  [ "$status" -eq 2 ]
  [[ "$output" == *"'$L' has 2 partitions, '$R' has 3"* ]]
  # ad hoc (no -G, to stdout) one in-memory task serves every partition: sizes need not match
  run -0 kjoin -i "$L" --table "$R" -e -q
  [ "$output" = '{"left":1,"right":1}' ]
  run kjoin -i "$L" --table "$(new_topic missing)" -o - -e
  [ "$status" -eq 1 ]
  [[ "$output" == *"does not exist"* ]]
}

@test "kjoin: bad flags exit 2" {
  run kjoin -i a --table b --join sideways
  [ "$status" -eq 2 ]
  run kjoin -i a --table b --join outer
  [ "$status" -eq 2 ]
  [[ "$output" == *"--join outer needs two streams or two tables"* ]]
  run kjoin -i a
  [ "$status" -eq 2 ]
  run kjoin --stream b --within 1m
  [ "$status" -eq 2 ]
  [[ "$output" == *"a stdin stream (-i -) joins a --table or --global table"* ]]
  run kjoin -i a --table b --on email
  [ "$status" -eq 2 ]
  [[ "$output" == *"--on is for --global"* ]]
  run kjoin -i a --global b --by email
  [ "$status" -eq 2 ]
  [[ "$output" == *"a global table is looked up by --on"* ]]
  # On stdin the table is a replica too: the message says so, and what to use.
  run kjoin -i - --table b --by email
  [ "$status" -eq 2 ]
  [[ "$output" == *"with a stdin stream (-i -) the --table is read whole, as --global: look records up by a key of theirs with --on EXPR"* ]]
  run kjoin -i a --global b --join outer
  [ "$status" -eq 2 ]
  run kjoin -i a --global b --on 'email +'
  [ "$status" -eq 2 ]
  [[ "$output" == *"--on: invalid expression"* ]]
  run kjoin -i a --table b --right-by '('
  [ "$status" -eq 2 ]
  [[ "$output" == *"--right-by"* ]]
}

@test "kjoin --merge: the left value's fields in order, then the right's it lacks; a name on both keeps the left value" {
  need_kafka
  L=$(new_topic left); R=$(new_topic right)
  envelope k '{"v":"right","extra":true,"id":9}' 1000 | kproduce "$R" -J --partitions 1 -q
  envelope k '{"id":1,"v":"left"}' 2000 | kproduce "$L" -J --partitions 1 -q
  run kjoin -i "$L" --table "$R" --merge -G "$(new_topic g)" -o - -q --store memory -e
  [ "$status" -eq 0 ]
  [ "$output" = '{"id":1,"v":"left","extra":true}' ]
}

@test "kjoin --merge: a value that is not an object follows --on-error, naming where it was" {
  need_kafka
  L=$(new_topic left); R=$(new_topic right)
  { envelope a '[1,2]' 3000; envelope b '{"n":2}' 4000; } | kproduce "$L" -J -q
  { envelope a '{"x":1}' 1000; envelope b '{"x":2}' 2000; } | kproduce "$R" -J -q
  run kjoin -i "$L" --table "$R" --merge -o - -q --store memory -e
  [ "$status" -eq 3 ]
  [[ "$output" == *"topic $L partition 0 offset 0"* ]]
  run kjoin -i "$L" --table "$R" --merge --on-error skip -G "$(new_topic g)" -o - --store memory -e
  [ "$status" -eq 0 ]
  [[ "$output" == *'{"n":2,"x":2}'* ]]
  [[ "$output" == *"1 skipped"* ]]
}

@test "kjoin: a side nested as deep as a reader takes is a bad record, not an output no reader takes; --merge keeps its depth" {
  need_kafka
  L=$(new_topic left); R=$(new_topic right)
  deep=$(python3 -c "print('{\"d\":' + '[' * 999 + ']' * 999 + '}')")
  { envelope a "$deep" 3000; envelope b '{"n":2}' 4000; } | kproduce "$L" -J -q
  { envelope a '{"x":1}' 1000; envelope b '{"x":2}' 2000; } | kproduce "$R" -J -q
  run kjoin -i "$L" --table "$R" -o - --store memory -e
  [ "$status" -eq 3 ]
  [[ "$output" == *"topic $L partition 0 offset 0: the left value nests arrays and objects 1000 levels deep: {\"left\":...,\"right\":...} around it would be deeper than JSON readers take (--merge keeps the sides' depth)"* ]]
  run kjoin -i "$L" --table "$R" --on-error skip -G "$(new_topic g)" -o - -q --store memory -e
  [ "$status" -eq 0 ]
  [ "$output" = '{"left":{"n":2},"right":{"x":2}}' ]
  # Every output a JSON reader takes: the merged deep value is 1000 levels, as its input was.
  run bash -c "kjoin -i '$L' --table '$R' --merge -G '$(new_topic g)' -o - -q --store memory -e | kfilter -q true | wc -l"
  [ "$output" -eq 2 ]
}

# Two streams of 600 records each on 4 partitions (40 keys, up to 400 ms out of order), joined
# by kjoin --stream with TYPE and the window and grace given, against joins.py's recomputation.
stream_join_equals_recomputation() {
  need_kafka
  local type=$1; shift
  cd "$BATS_TEST_TMPDIR"
  python3 "$BATS_TEST_DIRNAME/joins.py" gen 7 600
  L=$(new_topic left); R=$(new_topic right); out=$(new_topic out)
  kproduce "$L" -J --partitions 4 -q < left.ndjson
  kproduce "$R" -J --partitions 4 -q < right.ndjson
  run kjoin -i "$L" --stream "$R" --join "$type" "$@" -o "$out" --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  [[ "$output" != *"late"* ]]
  kconsume "$L" -e -J -q > left.topic
  kconsume "$R" -e -J -q > right.topic
  kconsume "$out" -e -J -q > out.topic
  run python3 "$BATS_TEST_DIRNAME/joins.py" check "$type" "${WINDOW[@]}" left.topic right.topic out.topic
  echo "$output"
  [ "$status" -eq 0 ]
}

@test "kjoin --stream inner on 4 partitions: exactly the pairs within the window" {
  WINDOW=(500 500 1000)
  stream_join_equals_recomputation inner --within 500ms --grace 1s
}

@test "kjoin --stream left with --before/--after: pairs, and (l, null) only once window and grace have passed" {
  WINDOW=(200 700 1000)
  stream_join_equals_recomputation left --before 200ms --after 700ms --grace 1s
}

@test "kjoin --stream outer: pairs, (l, null) and (null, r), none before its window closed" {
  WINDOW=(500 500 1000)
  stream_join_equals_recomputation outer --within 500ms --grace 1s
}

@test "kjoin --stream: stopped midway and restarted without its state directory, the windows restore and no result is lost" {
  need_kafka
  cd "$BATS_TEST_TMPDIR"
  python3 "$BATS_TEST_DIRNAME/joins.py" gen 11 400
  L=$(new_topic left); R=$(new_topic right); out=$(new_topic out); g=$(new_topic group)
  kproduce "$L" -J --partitions 2 -q < left.ndjson
  kproduce "$R" -J --partitions 2 -q < right.ndjson
  run kjoin -i "$L" --stream "$R" --join outer --within 500ms --grace 1s -G "$g" -o "$out" --state-dir "$STATE" -n 300
  [ "$status" -eq 0 ]
  rm -rf "$STATE"
  run kjoin -i "$L" --stream "$R" --join outer --within 500ms --grace 1s -G "$g" -o "$out" --state-dir "$STATE" -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"500 in"* ]]
  [[ "$output" != *"restored 0 changelog records"* ]]
  kconsume "$L" -e -J -q > left.topic
  kconsume "$R" -e -J -q > right.topic
  kconsume "$out" -e -J -q > out.topic
  run python3 "$BATS_TEST_DIRNAME/joins.py" check outer 500 500 1000 left.topic right.topic out.topic
  echo "$output"
  [ "$status" -eq 0 ]
}

@test "kjoin --stream: flags that do not fit exit 2" {
  need_kafka
  run kjoin -i a --stream b
  [ "$status" -eq 2 ]
  [[ "$output" == *"--within"* ]]
  run kjoin -i a --stream b --within 1m --before 1s
  [ "$status" -eq 2 ]
  run kjoin -i a --stream b --table c
  [ "$status" -eq 2 ]
  run kjoin -i a --table b --within 1m
  [ "$status" -eq 2 ]
  run kjoin -i a --stream b --within 1x
  [ "$status" -eq 2 ]
  [[ "$output" == *"--within"* ]]
}

# Users keyed by id on 3 partitions; clicks keyed by click id on 2 partitions, carrying the
# user's e-mail (or none). Not co-partitioned, and keyed differently.
users_and_clicks() {
  U=$(new_topic users); C=$(new_topic clicks)
  { envelope u1 '{"email":"a@x","tier":"gold"}' 1; envelope u2 '{"email":"b@x","tier":"basic"}' 1
    envelope u3 '{"email":"c@x","tier":"new"}' 2; } | kproduce "$U" -J --partitions 3 -q
  { envelope 1 '{"email":"a@x","n":1}' 5; envelope 2 '{"email":"b@x","n":2}' 6; envelope 3 '{"n":3}' 7
    envelope 4 '{"email":"d@x","n":4}' 8; } | kproduce "$C" -J --partitions 2 -q
}

@test "kjoin --global --on: each record looks its key up in a full replica of the table; left keeps the unmatched" {
  need_kafka
  users_and_clicks
  # The replica is keyed by e-mail: re-key the users first (kgroupby), on any partition count.
  T=$(new_topic by_email)
  kgroupby -i "$U" --by email -o "$T" --partitions 5 -e -q
  run kjoin -i "$C" --global "$T" --on email -o - -J -q -e
  [ "$status" -eq 0 ]
  diff <(echo "$output" | jq -c '[.key, .value, .timestamp]' | sort) - <<'EXPECTED'
["1",{"left":{"email":"a@x","n":1},"right":{"email":"a@x","tier":"gold"}},5]
["2",{"left":{"email":"b@x","n":2},"right":{"email":"b@x","tier":"basic"}},6]
EXPECTED
  run kjoin -i "$C" --global "$T" --on email --join left --merge -G "$(new_topic g)" -o - -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"table of 3 keys, 1 null lookup keys"* ]]
  diff <(echo "$output" | grep '^{' | jq -c '[.n, .tier]' | sort) - <<'EXPECTED'
[1,"gold"]
[2,"basic"]
[4,null]
EXPECTED
  # A stdin stream joins a --table the same way: the table is read whole.
  run bash -c "kconsume '$C' -e -q | kjoin -i - --table '$T' --on email -o - -q"
  [ "$status" -eq 0 ]
  diff <(echo "$output" | jq -c '[.left.n, .right.tier]' | sort) - <<'EXPECTED'
[1,"gold"]
[2,"basic"]
EXPECTED
}

@test "kjoin --global: a table value that is not JSON names where it is (--on-error fail), or is skipped" {
  need_kafka
  users_and_clicks
  T=$(new_topic by_email)
  { envelope a@x '{"tier":"gold"}' 1; printf '{"key":"b@x","value":"x","timestamp":1}\n'; } | kproduce "$T" -J -q
  printf 'not json' | kcat -b "$B" -t "$T" -k b@x -P
  run kjoin -i "$C" --global "$T" --on email -o - -e
  [ "$status" -eq 3 ]
  [[ "$output" == *"table $T [0] at offset 2: invalid JSON at column 2: Invalid value."* ]]
  # The same strict reader as every input: a value nested past 1000 levels is refused, not a crash.
  T2=$(new_topic deep)
  python3 -c "print('[' * 100000 + ']' * 100000)" | kcat -b "$B" -t "$T2" -k a@x -P
  run kjoin -i "$C" --global "$T2" --on email -o - -e
  [ "$status" -eq 3 ]
  [[ "$output" == *"table $T2 [0] at offset 0: invalid JSON at column 1002: arrays and objects nested deeper than 1000 levels"* ]]
  run kjoin -i "$C" --global "$T" --on email --on-error skip -o - -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"(skipped)"* ]]
  [[ "$output" == *'{"left":{"email":"b@x","n":2},"right":"x"}'* ]]
  run kjoin -i "$C" --global "$(new_topic missing)" -o - -e
  [ "$status" -eq 1 ]
  [[ "$output" == *"does not exist"* ]]
}

@test "kjoin --by / --right-by: sides re-keyed through repartition topics join whatever their partition counts" {
  need_kafka
  users_and_clicks
  run kjoin -i "$C" --table "$U" --by email --right-by email -o - -J -q --store memory -e
  [ "$status" -eq 0 ]
  diff <(echo "$output" | jq -c '[.key, .value.left.n, .value.right.tier, .timestamp]' | sort) - <<'EXPECTED'
["a@x",1,"gold",5]
["b@x",2,"basic",6]
EXPECTED
  # Only the right side re-keyed: its repartition topic takes the left side's partition count.
  L=$(new_topic left)
  kconsume "$C" -e -J -q | jq -c 'select(.value.email) | .key = .value.email' | kproduce "$L" -J --partitions 2 -q
  g=$(new_topic g)
  run kjoin -i "$L" --table "$U" --right-by email --join left -G "$g" -o - -J -q --store memory -e
  [ "$status" -eq 0 ]
  diff <(echo "$output" | jq -c '[.key, .value.left.n, .value.right.tier]' | sort) - <<'EXPECTED'
["a@x",1,"gold"]
["b@x",2,"basic"]
["d@x",4,null]
EXPECTED
  [ "$(partition_count "$g-join-right-repartition")" = 2 ]
}

# hdr KEY VALUE TIME TRACE: a -J line with header trace=TRACE.
hdr() { printf '{"key":"%s","value":%s,"timestamp":%s,"headers":[["trace","%s"]]}\n' "$1" "$2" "$3" "$4"; }
with_headers() { jq -c '[.key, .value, .timestamp, .headers]'; }

@test "kjoin results carry the headers of the record that triggered them, as Kafka Streams' do" {
  need_kafka
  L=$(new_topic left); R=$(new_topic right)
  { hdr a '{"n":1}' 1000 l1; hdr a '{"n":2}' 3000 l2; hdr b '{"n":3}' 5000 l3; } | kproduce "$L" -J --partitions 2 -q
  { hdr a '{"name":"X"}' 2000 r1; hdr b '{"name":"Y"}' 2500 r2; } | kproduce "$R" -J --partitions 2 -q
  # Stream-table: the left record's.
  run kjoin -i "$L" --table "$R" -o - -J -q --store memory -e
  [ "$status" -eq 0 ]
  diff <(echo "$output" | with_headers | sort) - <<'EXPECTED'
["a",{"left":{"n":2},"right":{"name":"X"}},3000,[["trace","l2"]]]
["b",{"left":{"n":3},"right":{"name":"Y"}},5000,[["trace","l3"]]]
EXPECTED
  # Table-table: whichever side's update it is.
  run kjoin -i "$L" --left-table --table "$R" --join outer -o - -J -q --store memory -e
  [ "$status" -eq 0 ]
  diff <(echo "$output" | with_headers | sort) - <<'EXPECTED'
["a",{"left":{"n":1},"right":null},1000,[["trace","l1"]]]
["a",{"left":{"n":1},"right":{"name":"X"}},2000,[["trace","r1"]]]
["a",{"left":{"n":2},"right":{"name":"X"}},3000,[["trace","l2"]]]
["b",{"left":null,"right":{"name":"Y"}},2500,[["trace","r2"]]]
["b",{"left":{"n":3},"right":{"name":"Y"}},5000,[["trace","l3"]]]
EXPECTED
  # Stream-stream outer: a record unmatched when its window closed takes the headers of the
  # record that moved stream time past it (Kafka Streams forwards it with that record's context).
  run kjoin -i "$L" --stream "$R" --join outer --within 500ms --grace 0s -o - -J -q --store memory -e
  [ "$status" -eq 0 ]
  diff <(echo "$output" | with_headers) - <<'EXPECTED'
["a",{"left":{"n":1},"right":null},1000,[["trace","r1"]]]
["a",{"left":null,"right":{"name":"X"}},2000,[["trace","l2"]]]
["b",{"left":null,"right":{"name":"Y"}},2500,[["trace","l3"]]]
["a",{"left":{"n":2},"right":null},3000,[["trace","l3"]]]
EXPECTED
  # Global: the stream record's.
  run kjoin -i "$L" --global "$R" -G "$(new_topic g)" -o - -J -q --store memory -e
  [ "$status" -eq 0 ]
  diff <(echo "$output" | with_headers | sort) - <<'EXPECTED'
["a",{"left":{"n":1},"right":{"name":"X"}},1000,[["trace","l1"]]]
["a",{"left":{"n":2},"right":{"name":"X"}},3000,[["trace","l2"]]]
["b",{"left":{"n":3},"right":{"name":"Y"}},5000,[["trace","l3"]]]
EXPECTED
  # Re-keyed through a repartition topic: the record's own headers, not the stage's kt.origin.*.
  run kjoin -i "$L" --table "$R" --by '@key' --right-by '@key' -G "$(new_topic g)" -o - -J -q --store memory -e
  [ "$status" -eq 0 ]
  diff <(echo "$output" | with_headers | sort) - <<'EXPECTED'
["a",{"left":{"n":2},"right":{"name":"X"}},3000,[["trace","l2"]]]
["b",{"left":{"n":3},"right":{"name":"Y"}},5000,[["trace","l3"]]]
EXPECTED
}
