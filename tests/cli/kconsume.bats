#!/usr/bin/env bats
# kconsume against the real broker.
load helpers

setup() {
  need_kafka
  T=$(new_topic c)
  seq 1 20 | awk '{printf "{\"i\":%d}\n", $1}' | kproduce "$T" -q
}

@test "kconsume -e prints every value and exits 0" {
  run kconsume "$T" -e -q
  [ "$status" -eq 0 ]
  [ "$output" = "$(seq 1 20 | awk '{printf "{\"i\":%d}\n", $1}')" ]
}

@test "kconsume -n stops after N records" {
  run kconsume "$T" -n 5 -q
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | jq -s -c 'map(.i)')" = "[1,2,3,4,5]" ]
}

@test "kconsume --from end with -e prints nothing; --from a time filters by timestamp; --until stops at a time, or at the end once it has passed" {
  run kconsume "$T" --from end -e -q
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  printf '%s\n' '{"value":1,"timestamp":"2030-01-01T00:00:00Z"}' '{"value":2,"timestamp":"2030-01-01T00:00:10Z"}' \
    '{"value":3,"timestamp":"2030-01-01T00:00:20Z"}' > "$BATS_TEST_TMPDIR/ts"
  t=$(new_topic ts)
  kproduce "$t" -J "$BATS_TEST_TMPDIR/ts" -q
  run kconsume "$t" --from 2030-01-01T00:00:05Z -e -q
  [ "$output" = $'2\n3' ]
  run kconsume "$t" --until 2030-01-01T00:00:15Z -q
  [ "$status" -eq 0 ]
  [ "$output" = $'1\n2' ]
  # Records of now, none at or after --until now: each partition ends at its end (it waited for
  # a later record before).
  t=$(new_topic now)
  printf '{"n":%d}\n' 1 2 3 4 | kproduce "$t" --partitions 2 --key-field n -q
  run timeout 60 kconsume "$t" --until now -q
  [ "$status" -eq 0 ]
  [ "$(sort <<<"$output" | tr '\n' ' ')" = '{"n":1} {"n":2} {"n":3} {"n":4} ' ]
}

@test "kconsume resolves --from to absolute offsets before it assigns (no lookup left to librdkafka)" {
  # librdkafka 2.0 looks a logical start (BEGINNING, END) up after assign and, when that runs
  # before the partition has joined its leader's thread, retries it on a 500 ms timer: a third
  # of the one-liner runs took 0.51 s instead of 0.01 s. Its debug log names the start offset.
  t=$(new_topic abs)
  printf '{"k":"a"}\n{"k":"b"}\n{"k":"c"}\n' | kproduce "$t" --key-field k --partitions 3 -q
  for from in beginning end 2020-01-01T00:00:00Z; do
    kconsume "$t" --from "$from" -e -q -X debug=topic 2>"$BATS_TEST_TMPDIR/log" >/dev/null
    grep "Start consuming $t \[" "$BATS_TEST_TMPDIR/log" > "$BATS_TEST_TMPDIR/starts"
    [ "$(wc -l < "$BATS_TEST_TMPDIR/starts")" -eq 3 ]
    [ -z "$(grep -v "at offset [0-9]" "$BATS_TEST_TMPDIR/starts")" ]
  done
  # and they are the right ones: everything from the beginning, nothing from the end
  [ "$(kconsume "$t" -e -q | sort | tr -d '\n')" = '{"k":"a"}{"k":"b"}{"k":"c"}' ]
  [ -z "$(kconsume "$t" --from end -e -q)" ]
}

@test "kconsume reads a topic created a moment ago: its leaders' first answers are waited out" {
  # A leader answers ListOffsets with NOT_LEADER_FOR_PARTITION for the first milliseconds after
  # the topic is created, and librdkafka 2.0 does not retry that itself (seen in 14 of 15 runs).
  for from in beginning end 2020-01-01T00:00:00Z; do
    t=$(new_topic fresh)
    ktopic create "$t" --partitions 8 -q > /dev/null
    run kconsume "$t" --from "$from" -e -q
    [ "$status" -eq 0 ]
    [ -z "$output" ]
  done
}

@test "kconsume -G commits: a second run of the group sees only new records" {
  g=$(new_topic grp)
  run kconsume "$T" -G "$g" -e -q
  [ "$(echo "$output" | wc -l)" -eq 20 ]
  echo '{"i":21}' | kproduce "$T" -q
  run kconsume "$T" -G "$g" -e -q
  [ "$output" = '{"i":21}' ]
  # without -G nothing is committed: everything again
  run kconsume "$T" -e -q
  [ "$(echo "$output" | wc -l)" -eq 21 ]
}

@test "kconsume reads a repartition topic's packed messages record by record, origins in headers; -G -n commits inside a message" {
  in=$(new_topic in); g=$(new_topic g); c=$(new_topic c)
  seq 1 300 | awk '{printf "{\"i\":%d,\"k\":\"k%d\"}\n", $1, $1 % 5}' | kproduce "$in" --key-field i --partitions 2 -q
  # Exactly-once: a batch run goes through the repartition topic (at-least-once reads in place).
  ktable -i "$in" -o "$g-out" -G "$g" --by k --agg count -e -q --exactly-once
  rp="$g-table-repartition"
  [ "$(topic_count "$rp")" -lt 300 ]  # packed: fewer messages than records
  run kconsume "$rp" -e -q -J
  [ "$status" -eq 0 ]
  # every input record once, under its group key, its original key in the origin headers
  [ "$(echo "$output" | jq -r '.headers[] | select(.[0] == "kt.origin.key") | .[1]' | sort -n)" = "$(seq 1 300)" ]
  [ "$(echo "$output" | jq -r '[.key, (.headers[] | select(.[0] == "kt.origin.key") | .[1] | tonumber % 5)] | "\(.[0]) k\(.[1])"' |
       awk '$1 != $2' | wc -l)" -eq 0 ]
  origins() { jq -r '.headers[] | select(.[0] == "kt.origin.key") | .[1]'; }
  # --last counts records, not messages: the last 5 of the whole topic in time order
  # (each partition's timestamps only go up here, so its tail's order is the whole's).
  last=$(kconsume "$rp" --last 5 -q -J | origins)
  [ "$(wc -l <<< "$last")" -eq 5 ]
  [ "$last" = "$(echo "$output" | origins | tail -n 5)" ]
  # A group stopped after 7 records commits how many of a packed message it read: the next
  # run reads the other 293, none twice.
  kconsume "$rp" -G "$c" -n 7 -q -J | origins > "$BATS_TEST_TMPDIR/first"
  [ "$(wc -l < "$BATS_TEST_TMPDIR/first")" -eq 7 ]
  kconsume "$rp" -G "$c" -e -q -J | origins > "$BATS_TEST_TMPDIR/rest"
  [ "$(wc -l < "$BATS_TEST_TMPDIR/rest")" -eq 293 ]
  [ "$(sort -n "$BATS_TEST_TMPDIR/first" "$BATS_TEST_TMPDIR/rest")" = "$(seq 1 300)" ]
}

@test "records of 300 KB on 16 partitions (more than a queue's share of bytes): every one out, each partition in order" {
  big=$(new_topic big)
  /usr/bin/python3 -c '
import json
for i in range(240): print(json.dumps({"k": "k%d" % i, "i": i, "pad": chr(97 + i % 26) * 300000}, separators=(",", ":")))
' > "$BATS_TEST_TMPDIR/big"
  kproduce "$big" "$BATS_TEST_TMPDIR/big" --partitions 16 --key-field k -q
  # Each partition's 4 MB holds about 13 of them: the queues fill by bytes and refill as drained.
  kconsume "$big" -J -e -q | jq -c '[.partition, .offset, .value.i, (.value.pad | length)]' > "$BATS_TEST_TMPDIR/out"
  [ "$(wc -l < "$BATS_TEST_TMPDIR/out")" -eq 240 ]
  [ "$(jq -s 'map(.[2]) | sort == [range(240)]' "$BATS_TEST_TMPDIR/out")" = true ]
  [ "$(jq -s 'all(.[3] == 300000)' "$BATS_TEST_TMPDIR/out")" = true ]
  # each partition's records by offset, 0, 1, 2, ...
  [ "$(jq -s 'group_by(.[0]) | all(map(.[1]) == [range(length)])' "$BATS_TEST_TMPDIR/out")" = true ]
  [ "$(jq -s 'map(.[0]) | unique | length' "$BATS_TEST_TMPDIR/out")" -eq 16 ]
}

@test "kconsume -p reads one partition" {
  t=$(new_topic parts)
  printf '{"k":"a"}\n{"k":"b"}\n{"k":"c"}\n{"k":"d"}\n' | kproduce "$t" --key-field k --partitions 2 -q
  p0=$(kconsume "$t" -p 0 -e -q | wc -l)
  p1=$(kconsume "$t" -p 1 -e -q | wc -l)
  [ $((p0 + p1)) -eq 4 ]
  [ "$(kconsume "$t" -p 1 -e -J -q | jq -r .partition | sort -u)" = "1" ] || [ "$p1" -eq 0 ]
  run kconsume "$t" -p 5 -e
  [ "$status" -eq 2 ]
  [[ "$output" == *"has no partition 5 (it has 2)"* ]]
}

@test "kconsume --from offset:N reads from an offset (the record an error named), offset:-N the last N of each partition" {
  t=$(new_topic offs)
  kproduce "$t" --partitions 2 -q </dev/null
  seq 1 6 | awk '{printf "{\"i\":%d}\n", $1}' | kproduce "$t" -p 0 -q
  seq 7 9 | awk '{printf "{\"i\":%d}\n", $1}' | kproduce "$t" -p 1 -q
  run kconsume "$t" -p 0 --from offset:4 -n 1 -J -q
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | jq -c '[.partition, .offset, .value.i]')" = '[0,4,5]' ]
  run bash -c "kconsume '$t' --from offset:-2 -e -J -q | jq -c '[.partition, .offset, .value.i]' | sort"
  [ "$output" = $'[0,4,5]\n[0,5,6]\n[1,1,8]\n[1,2,9]' ]
  # More than a partition holds: all of it; past its end: nothing, and it says so.
  run bash -c "kconsume '$t' -p 1 --from offset:-10 -e -q | jq -c .i | paste -sd' '"
  [ "$output" = "7 8 9" ]
  run kconsume "$t" -p 1 --from offset:50 -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"$t [1] ends at offset 3: reading from its end, not from 50"* ]]
  [[ "$output" == *"0 in, 0 out"* ]]
  # A group's committed offset comes first: --from applies where it has none.
  g=$(new_topic g)
  kconsume "$t" -p 0 -G "$g" -n 2 -q > /dev/null
  run kconsume "$t" -p 0 -G "$g" --from offset:5 -n 1 -q
  [ "$output" = '{"i":3}' ]
  run kconsume "$t" --from offset:x
  [ "$status" -eq 2 ]
  [[ "$output" == *"expected offset:N for offset N of each partition, or offset:-N for its last N records"* ]]
}

@test "kconsume --pretty indents JSON" {
  run kconsume "$T" -n 1 --pretty -q
  [ "$output" = $'{\n  "i": 1\n}' ]
}

@test "kconsume binary and raw codecs" {
  t=$(new_topic bin)
  printf 'AAEC/w==\n' | kproduce "$t" --format lines --value-format binary -q
  run kcat -b "$B" -C -t "$t" -e -q -f '%S'
  [ "$output" = "4" ]
  run kconsume "$t" -e -q --value-format binary
  [ "$output" = "AAEC/w==" ]
  run kconsume "$t" -e -q -J --value-format binary
  [[ "$output" == '{"key":null,"value":"AAEC/w==",'* ]]
  t2=$(new_topic jb)
  echo '{"a":1}' | kproduce "$t2" --value-format 'json|binary' -q
  run kcat -b "$B" -C -t "$t2" -e -q
  [ "$output" = "eyJhIjoxfQ==" ]
  run kconsume "$t2" -e -q --value-format 'json|binary'
  [ "$output" = '{"a":1}' ]
}

@test "binary keys and headers: -J never writes bytes JSON cannot hold, and loses none" {
  t=$(new_topic bk)
  # key bytes 6b ff 00 (base64 a/8A), a binary header 01 ff and a text one
  echo '{"key":"a/8A","value":{"n":1},"headers":[["id",{"base64":"Af8="}],["t","x"]]}' |
    kproduce "$t" -J --key-format binary -q
  echo '{"key":"k2","value":{"n":2}}' | kproduce "$t" -J -q
  run bash -c "kcat -b '$B' -C -t '$t' -e -q -c 1 -f '%k|%h' | od -An -tx1 | tr -s ' \n' ' '"
  [ "$output" = " 6b ff 00 7c 69 64 3d 01 ff 2c 74 3d 78 " ]
  # auto (the default) shows such a key as base64; raw insists on text
  run bash -c "kconsume '$t' -e -J -q | jq -c .key"
  [ "$output" = $'{"base64":"a/8A"}\n"k2"' ]
  run kconsume "$t" -e -J --key-format raw
  [ "$status" -eq 3 ]
  [[ "$output" == *"topic $t partition 0 offset 0: the key is not UTF-8 text, so it cannot be a JSON string (read binary keys with --key-format binary, as base64)"* ]]
  run bash -c "kconsume '$t' -e -J -q --key-format binary | jq -c 'del(.timestamp)'"
  [ "$status" -eq 0 ]
  [ "$output" = '{"key":"a/8A","value":{"n":1},"headers":[["id",{"base64":"Af8="}],["t","x"]],"topic":"'"$t"'","partition":0,"offset":0}
{"key":"azI=","value":{"n":2},"topic":"'"$t"'","partition":0,"offset":1}' ]
  # Back through an envelope: the same bytes in the copy.
  t2=$(new_topic bk2)
  kconsume "$t" -e -J -q --key-format binary | kproduce "$t2" -J --key-format binary -q
  [ "$(kcat -b "$B" -C -t "$t2" -e -q -f '%k|%h|%s\n' | od -An -tx1)" = "$(kcat -b "$B" -C -t "$t" -e -q -f '%k|%h|%s\n' | od -An -tx1)" ]
  # Text derived from the key shows ill-formed bytes as U+FFFD; the Kafka key keeps them.
  run kmap -i "$t" -o - -G "$(new_topic g)" --set 'k=@key' -e -q
  [ "$output" = $'{"n":1,"k":"k\xef\xbf\xbd\\u0000"}\n{"n":2,"k":"k2"}' ]
  out=$(new_topic bkt)
  ktable -i "$t" -o "$out" -G "$(new_topic g)" --agg count --state-dir "$BATS_TEST_TMPDIR/st" -e -q
  expected=$(printf 'k\xff\x00|{"key":"k\xef\xbf\xbd\\u0000","count":1}\nk2|{"key":"k2","count":1}\n' | od -An -tx1)
  [ "$(kcat -b "$B" -C -t "$out" -e -q -f '%k|%s\n' | od -An -tx1)" = "$expected" ]
}

@test "kconsume: any value by default; --value-format json fails on text naming partition and offset" {
  t=$(new_topic nj)
  printf '{"a":1}\nplain text\n' | kproduce "$t" --format lines -q
  run -0 kconsume "$t" -e -q
  [ "$output" = $'{"a":1}\nplain text' ]
  run kconsume "$t" -e --value-format json
  [ "$status" -eq 3 ]
  [[ "$output" == *"topic $t partition 0 offset 1: invalid JSON"*"--value-format raw or auto reads values that are not JSON"* ]]
  run kconsume "$t" -e -q --value-format raw
  [ "$output" = $'{"a":1}\nplain text' ]
  # The record the error named, and only it.
  run kconsume "$t" -p 0 --from offset:1 -n 1 -q --value-format raw
  [ "$output" = 'plain text' ]
}

@test "kconsume on a missing topic fails clearly" {
  run kconsume "$(new_topic missing)" -e
  [ "$status" -eq 1 ]
  [[ "$output" == *"does not exist"* ]]
}

@test "kconsume --stats json: the lag left at exit" {
  t=$(new_topic t)
  seq 1 10 | jq -c '{i: .}' | kproduce "$t" -q
  run --separate-stderr kconsume "$t" -n 4 --stats json
  [ "$status" -eq 0 ]
  [ "$(echo "$stderr" | jq -c '[.in, .out, .lag, .exit]')" = '[4,4,6,0]' ]
  run --separate-stderr kconsume "$t" -e --stats json -q
  [ "$(echo "$stderr" | jq -c '[.in, .lag]')" = '[10,0]' ]
}

@test "a JSON value written over several lines comes out as one line (values, envelopes, kfilter)" {
  t=$(new_topic ml)
  # The topic holds the value's bytes with their line breaks (written as raw text).
  printf '%s\n' '{"key":null,"value":"{\n  \"a\": 1.50,\r\n  \"b\": [1, 2]\n}"}' '{"key":null,"value":"{\"a\":2}"}' |
    kproduce "$t" -J --value-format raw -q
  run kconsume "$t" -e -q --value-format raw
  [ "${lines[0]}" = '{' ]  # raw: the bytes as they are
  run --separate-stderr kconsume "$t" -e -q
  [ "$status" -eq 0 ]
  [ "$output" = $'{"a":1.50,"b":[1,2]}\n{"a":2}' ]  # numbers as written
  run --separate-stderr kconsume "$t" -e -q -J
  [ "$(echo "$output" | wc -l)" -eq 2 ]
  [[ "${lines[0]}" == '{"key":null,"value":{"a":1.50,"b":[1,2]},'* ]]
  echo "$output" | jq -e . > /dev/null
  run --separate-stderr kfilter -i "$t" -o - -G "$t-f" 'a >= 1' -e -q
  [ "$status" -eq 0 ]
  [ "$output" = $'{"a":1.50,"b":[1,2]}\n{"a":2}' ]
}

@test "kconsume -f prints what kcat -f prints for the same format; bad formats exit 2" {
  need_kafka
  t=$(new_topic fmt)
  printf '%s\n' '{"key":"k1","value":{"a":1},"timestamp":1000,"headers":[["h","v"],["g","w"]]}' \
    '{"key":null,"value":"text","timestamp":2000}' '{"key":"k3","value":null,"timestamp":3000}' |
    kproduce "$t" -J --value-format auto -q
  fmt='Topic %t [%p] at offset %o: key %k (%K) ts %T headers %h: %s (%S)\n%%'
  run -0 kconsume "$t" -e -q -f "$fmt"
  [ "$output" = "$(kcat -b "$B" -C -t "$t" -e -q -f "$fmt")" ]
  [ "${lines[0]}" = "Topic $t [0] at offset 0: key k1 (2) ts 1000 headers h=v,g=w: {\"a\":1} (7)" ]
  run -2 kconsume "$t" -e -f '%s %x'
  [[ "$output" == *"unknown field %x"* ]]
  run -2 kconsume "$t" -e -f '%s' -J
  [[ "$output" == *"not with -J or -K"* ]]
}

@test "kconsume reads several topics, shell patterns and ^regexes (each topic once); -p needs one topic" {
  p=$(new_topic multi)
  echo '{"a":1}' | kproduce "$p-x" -q
  echo '{"b":2}' | kproduce "$p-y" -q
  echo '{"c":3}' | kproduce "$p-z" -q
  run -0 bash -c "kconsume '$p-x' '$p-y' -e -J -q | jq -c '[.topic, .value]' | sort"
  [ "$output" = "$(printf '["%s",{"a":1}]\n["%s",{"b":2}]' "$p-x" "$p-y")" ]
  run -0 bash -c "kconsume '$p-*' '$p-x' -e -q | sort"
  [ "$output" = $'{"a":1}\n{"b":2}\n{"c":3}' ]
  run -0 bash -c "kconsume '^$p-(x|z)\$' -e -q | sort"
  [ "$output" = $'{"a":1}\n{"c":3}' ]
  # With a group: commits for every topic; a second run sees only what is new.
  g=$(new_topic g)
  run -0 bash -c "kconsume '$p-*' -G '$g' -e -q | wc -l"
  [ "$output" -eq 3 ]
  echo '{"d":4}' | kproduce "$p-y" -q
  run -0 kconsume "$p-*" -G "$g" -e -q
  [ "$output" = '{"d":4}' ]
  run kconsume "$p-x" "$p-y" -p 0 -e
  [ "$status" -eq 2 ]
  [[ "$output" == *"-p picks partitions of one topic"* ]]
  run kconsume "$p-nothing*" -e
  [ "$status" -eq 1 ]
  [[ "$output" == *"no topic matches '$p-nothing*' on $B"* ]]
  run kconsume '^(' -e
  [ "$status" -eq 2 ]
  [[ "$output" == *"topic pattern '^('"* ]]
}

@test "kconsume --last N: the last N records across partitions, in time order (kcat#104)" {
  t=$(new_topic last)
  kproduce "$t" --partitions 2 -q </dev/null
  for i in 1 3 5 7; do echo "{\"value\":$i,\"timestamp\":$((i * 1000))}"; done | kproduce "$t" -J -p 0 -q
  for i in 2 4 6 8; do echo "{\"value\":$i,\"timestamp\":$((i * 1000))}"; done | kproduce "$t" -J -p 1 -q
  run -0 kconsume "$t" --last 3 -q
  [ "$output" = $'6\n7\n8' ]
  run -0 bash -c "kconsume '$t' --last 100 -J -q | jq -c '[.value, .partition, .offset]' | paste -sd' '"
  [ "$output" = "[1,0,0] [2,1,0] [3,0,1] [4,1,1] [5,0,2] [6,1,2] [7,0,3] [8,1,3]" ]
  run -0 kconsume "$t" --last 0 -q
  [ -z "$output" ]
  run kconsume "$t" --last 2 -G g
  [ "$status" -eq 2 ]
  [[ "$output" == *"--last excludes"* ]]
}

@test "kconsume and kproduce -Z: a text for null keys and values (kcat -Z), so tombstones go through lines" {
  t=$(new_topic nulls)
  printf 'k1:v1\nk2:NULL\nNULL:v3\n' | kproduce "$t" -K: -Z NULL --value-format raw -q
  run -0 bash -c "kconsume '$t' -e -J -q | jq -c '[.key, .value]'"
  [ "$output" = $'["k1","v1"]\n["k2",null]\n[null,"v3"]' ]
  run -0 kconsume "$t" -K: -Z NULL --value-format raw -e -q
  [ "$output" = $'k1:v1\nk2:NULL\nNULL:v3' ]
  # kcat -Z's empty form; without -Z a null key is empty and a tombstone null.
  run -0 kconsume "$t" -K: -Z '' --value-format raw -e -q
  [ "$output" = $'k1:v1\nk2:\n:v3' ]
  run -0 kconsume "$t" -K: --value-format raw -e -q
  [ "$output" = $'k1:v1\nk2:null\n:v3' ]
  run kconsume "$t" -J -Z NULL -e
  [ "$status" -eq 2 ]
}
