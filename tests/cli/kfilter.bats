#!/usr/bin/env bats
load helpers

@test "kfilter 'number >= 100' on the seed click events equals jq's selection" {
  run bash -c "kfilter 'number >= 100' -q < '$DATA/clickevents.ndjson'"
  [ "$status" -eq 0 ]
  [ "$output" = "$(jq -c 'select(.number >= 100)' "$DATA/clickevents.ndjson")" ]
}

@test "kfilter --not keeps the complement; together they are the input" {
  a=$(kfilter 'uri ~ "^/products" and number % 2 == 0' -q < "$DATA/clickevents.ndjson" | wc -l)
  b=$(kfilter --not 'uri ~ "^/products" and number % 2 == 0' -q < "$DATA/clickevents.ndjson" | wc -l)
  [ $((a + b)) -eq 5000 ]
  [ "$a" -eq "$(jq -c 'select((.uri | test("^/products")) and .number % 2 == 0)' "$DATA/clickevents.ndjson" | wc -l)" ]
}

@test "kfilter passes values byte for byte and reports what it filtered" {
  printf '{"b":2,  "a":1.50}\n{"b":0}\n' > "$BATS_TEST_TMPDIR/in"
  run bash -c "kfilter 'b > 1' < '$BATS_TEST_TMPDIR/in' 2>'$BATS_TEST_TMPDIR/err'"
  [ "$output" = '{"b":2,  "a":1.50}' ]
  grep -q "2 in, 1 out, .*; 1 filtered out" "$BATS_TEST_TMPDIR/err"
}

@test "kfilter on missing fields and wrong types: predictable, no crash" {
  # Values that are not objects have no fields: bad records (issue 11: one rule for every tool).
  printf '%s\n' '{"number":"150"}' '{}' '{"number":null}' '{"number":[1]}' '{"number":150}' '[1,2]' '"str"' 'null' > "$BATS_TEST_TMPDIR/in"
  run bash -c "kfilter 'number >= 100' --on-error skip < '$BATS_TEST_TMPDIR/in' 2>'$BATS_TEST_TMPDIR/err'"
  [ "$status" -eq 0 ]
  [ "$output" = '{"number":150}' ]
  grep -q "8 in, 1 out, 3 skipped" "$BATS_TEST_TMPDIR/err"
  run bash -c "kfilter 'int(number) >= 100' --on-error skip -q < '$BATS_TEST_TMPDIR/in'"
  [ "$output" = $'{"number":"150"}\n{"number":150}' ]
  run bash -c "kfilter 'not exists(number)' --on-error skip -q < '$BATS_TEST_TMPDIR/in'"
  [ "$output" = '{}' ]
  run bash -c "kfilter 'number >= 100' -q < '$BATS_TEST_TMPDIR/in'"
  [ "$status" -eq 3 ]
  [[ "$output" == *"line 6: value is not a JSON object (it is an array)"* ]]
}

@test "kfilter on metadata: key, headers, timestamp via envelopes" {
  printf '%s\n' '{"key":"a","value":1,"timestamp":1000,"headers":[["src","x"]]}' \
    '{"key":"b","value":2,"timestamp":2000}' > "$BATS_TEST_TMPDIR/in"
  run bash -c "kfilter -J '@key == \"b\" or @headers.src == \"x\" and @timestamp < 1500' -q < '$BATS_TEST_TMPDIR/in' | jq -c .value"
  [ "$output" = $'1\n2' ]
  run bash -c "kfilter -J '@timestamp > 1500' -q < '$BATS_TEST_TMPDIR/in' | jq -c .key"
  [ "$output" = '"b"' ]
}

@test "kfilter bad expressions exit 2 with a caret under the column" {
  run kfilter 'number >= and uri'
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "kfilter: error: invalid expression at column 11: expected an operand, found 'and'" ]
  [ "${lines[1]}" = "  number >= and uri" ]
  [ "${lines[2]}" = "            ^" ]
  run kfilter 'lenn(uri) > 3'
  [ "$status" -eq 2 ]
  [[ "$output" == *"unknown function 'lenn'; did you mean 'len'?"* ]]
  run kfilter
  [ "$status" -eq 2 ]
}

@test "kfilter random() is reproducible with --seed" {
  a=$(kfilter 'random() < 0.5' --seed 11 -q < "$DATA/clickevents.ndjson" | md5sum)
  b=$(kfilter 'random() < 0.5' --seed 11 -q < "$DATA/clickevents.ndjson" | md5sum)
  c=$(kfilter 'random() < 0.5' --seed 12 -q < "$DATA/clickevents.ndjson" | md5sum)
  [ "$a" = "$b" ]
  [ "$a" != "$c" ]
}

@test "kfilter topic -> topic against Kafka (the seeds' exercise)" {
  need_kafka
  in=$(new_topic clicks); out=$(new_topic popular)
  kproduce "$in" "$DATA/clickevents.ndjson" --partitions 3 --key-field uri -q
  run kfilter -i "$in" -o "$out" 'number >= 100' -e
  [ "$status" -eq 0 ]
  diff <(kconsume "$out" -e -q | sort) <(jq -c 'select(.number >= 100)' "$DATA/clickevents.ndjson" | sort)
  # keys travel with their records
  [ "$(kconsume "$out" -e -J -q | jq -r 'select(.key != .value.uri)' | wc -l)" -eq 0 ]
}

@test "kfilter into a 16-partition topic it creates: every leader answers before the first record" {
  need_kafka
  in=$(new_topic clicks); out=$(new_topic popular)
  kproduce "$in" "$DATA/clickevents.ndjson" --partitions 16 --key-field uri -q
  # The metadata names a partition's leader before that broker has taken it on; a record sent
  # then is refused (NOT_LEADER_FOR_PARTITION) and retried 100 ms later. The run waits instead.
  kfilter -i "$in" -o "$out" 'number >= 100' -e -q -X debug=msg,broker,protocol 2> "$BATS_TEST_TMPDIR/debug"
  grep -q "Sent ProduceRequest" "$BATS_TEST_TMPDIR/debug"
  run grep -iE "ProduceRequest failed|MessageSet .* encountered error" "$BATS_TEST_TMPDIR/debug"
  [ "$status" -eq 1 ]
  [ "$(partition_count "$out")" -eq 16 ]
  diff <(kconsume "$out" -e -q | sort) <(jq -c 'select(.number >= 100)' "$DATA/clickevents.ndjson" | sort)
}

@test "kfilter on 64 partitions shares one prefetch among them; a record larger than a partition's share comes whole" {
  need_kafka
  in=$(new_topic clicks); out=$(new_topic popular)
  # 600 KB: more than a partition's 256 KB a fetch (key /huge: partition 47 of 64).
  /usr/bin/python3 -c 'import json; print(json.dumps({"uri": "/huge", "number": 500, "s": "x" * 600000}, separators=(",", ":")))' > "$BATS_TEST_TMPDIR/big"
  kproduce "$in" "$DATA/clickevents.ndjson" --partitions 64 --key-field email -q
  kproduce "$in" "$BATS_TEST_TMPDIR/big" --key-field uri -q
  run kfilter -i "$in" -o "$out" 'number >= 100' -e -v
  [ "$status" -eq 0 ]
  [[ "$output" == *"reading 64 partitions: each prefetches up to 1250 records or 1 MB, 256 KB a fetch"* ]]
  diff -q <(kconsume "$out" -e -q | sort) \
    <(cat "$DATA/clickevents.ndjson" "$BATS_TEST_TMPDIR/big" | jq -c 'select(.number >= 100)' | sort)
}

@test "kfilter of an input keyed as its output: the partitions take turns, and each output partition is the merge's" {
  need_kafka
  in=$(new_topic keyed); out=$(new_topic out); ref=$(new_topic ref); keys=$(new_topic keys)
  T=$BATS_TEST_TMPDIR
  # "PARTITION [key, value]" lines of a topic's records, each partition in offset order.
  by_partition() { kconsume "$1" -e -J -q | jq -rs "sort_by(.partition, .offset)[] | $2 \"\\(.partition) \\([.key, .value] | tojson)\""; }
  # Keys of partition 0 and of partition 1 of 2, as the producer puts them.
  seq 0 2999 | jq -c '{key: "k\(.)", value: {}}' | kproduce "$keys" -J --partitions 2 -q
  kconsume "$keys" -p 0 -e -J -q | jq -r .key | head -100 > "$T/keys0"
  kconsume "$keys" -p 1 -e -J -q | jq -r .key | head -1200 > "$T/keys1"
  # Partition 0: 100 records, one every 20 ms; partition 1: 1000 records, one every ms, then
  # (in $in only) a stray, a record of a partition-0 key at the time of partition 0's 51st, then
  # 200 more. The stray is read long after partition 0's last record is: in turns of 128 records,
  # partition 0 would write all of its records before the stray.
  t0=$(( $(date +%s%3N) - 100000 ))
  envelopes() { sed -n "$2,$3p" "$T/$1" | jq -Rnc --argjson t "$t0" --argjson step "$4" --argjson n "$5" \
    '[inputs] | to_entries[] | {key: .value, value: {n: ($n + .key)}, timestamp: ($t + $step * ($n + .key))}'; }
  kproduce "$ref" --partitions 2 -q < /dev/null
  kproduce "$in" --partitions 2 -q < /dev/null
  for t in "$ref" "$in"; do envelopes keys0 1 100 20 0 | kproduce "$t" -J -p 0 -q; envelopes keys1 1 1000 1 0 | kproduce "$t" -J -p 1 -q; done
  stray=$(head -1 "$T/keys0")
  jq -nc --arg k "$stray" --argjson t "$((t0 + 1000))" '{key: $k, value: {n: 5000}, timestamp: $t}' | kproduce "$in" -J -p 1 -q
  for t in "$ref" "$in"; do envelopes keys1 1001 1200 1 1001 | kproduce "$t" -J -p 1 -q; done
  # Keyed as its output: each output partition is its input partition's records, filtered.
  run kfilter -i "$ref" -o "$out" 'n % 3 != 0' -e -v
  [ "$status" -eq 0 ]
  [[ "$output" == *"the partitions take turns while each record is in its key's partition of $out"* ]]
  [[ "$output" != *"merged from there on"* ]]
  [[ "$output" == *"1300 in, 865 out"* ]]
  diff <(by_partition "$ref" 'select(.value.n % 3 != 0) |') <(by_partition "$out")
  # With the stray: from it on every partition is merged, and each output partition, in offset
  # order, holds its keys' records in the merge's order (the same filter's to stdout, whose
  # partitions are always merged).
  out=$(new_topic out)
  run kfilter -i "$in" -o "$out" 'n % 3 != 0' -e -v
  [ "$status" -eq 0 ]
  [[ "$output" == *"$in [1] at offset 1000: a record not in the output partition of its key"*"merged from there on"* ]]
  [[ "$output" == *"1301 in, 866 out"* ]]
  kfilter -i "$in" -o - -J 'n % 3 != 0' -e -q > "$T/merged"
  kconsume "$out" -e -J -q > "$T/out"
  by_partition "$out" > "$T/got"
  jq -rn --slurpfile o "$T/out" '($o | map({(.key): .partition}) | add) as $p | inputs |
    "\($p[.key]) \([.key, .value] | tojson)"' "$T/merged" | sort -s -k1,1n > "$T/want"
  diff "$T/want" "$T/got"
  grep -qx "0 \[\"$stray\",{\"n\":5000}\]" "$T/got"
}
