#!/usr/bin/env bats
# kproduce against the real broker.
load helpers

setup() { need_kafka; }

@test "kproduce -> kconsume: 10,000 keyed records, exact, order per partition kept" {
  t=$(new_topic rt)
  seq 1 10000 | awk '{printf "{\"i\":%d,\"k\":\"key%d\"}\n", $1, $1 % 7}' > "$BATS_TEST_TMPDIR/in"
  run kproduce "$t" "$BATS_TEST_TMPDIR/in" --key-field k --partitions 3
  [ "$status" -eq 0 ]
  [[ "$output" == *"10000 in, 10000 out"* ]]
  kconsume "$t" -e -J -q > "$BATS_TEST_TMPDIR/out"
  # exactly the same records
  diff <(jq -c '.value' "$BATS_TEST_TMPDIR/out" | sort) <(sort "$BATS_TEST_TMPDIR/in")
  # keys came from the field, and every key lives in one partition
  [ "$(jq -r 'select(.key != .value.k)' "$BATS_TEST_TMPDIR/out" | wc -l)" -eq 0 ]
  [ "$(jq -r '"\(.key) \(.partition)"' "$BATS_TEST_TMPDIR/out" | sort -u | wc -l)" -eq 7 ]
  # within each partition, offsets and input order both ascend
  jq -r '"\(.partition) \(.offset) \(.value.i)"' "$BATS_TEST_TMPDIR/out" |
    awk '{ if (($1 in off) && ($2 <= off[$1] || $3 <= last[$1])) bad++; off[$1]=$2; last[$1]=$3 } END { exit bad > 0 }'
  [ "$(jq -r .partition "$BATS_TEST_TMPDIR/out" | sort -u | wc -l)" -eq 3 ]
}

@test "kproduce keys partition like the Java client (murmur2)" {
  t=$(new_topic murmur)
  printf '{"k":"a"}\n{"k":"b"}\n{"k":"c"}\n{"k":"user-42"}\n' | kproduce "$t" --key-field k --partitions 4 -q
  run bash -c "kconsume '$t' -e -J -q | jq -r '\"\(.key)=\(.partition)\"' | sort"
  # Reference partitions from kafka-python's Java-compatible murmur2.
  expected=$(/usr/bin/python3 -c '
from kafka.partitioner.default import murmur2
for k in ["a", "b", "c", "user-42"]:
    print("%s=%d" % (k, (murmur2(k.encode()) & 0x7fffffff) % 4))' | sort)
  [ "$output" = "$expected" ]
}

@test "kproduce CSV: the taxi sample becomes JSON with typed fields" {
  t=$(new_topic csv)
  run kproduce "$t" "$DATA/yellow_tripdata_sample.csv" --format csv
  [ "$status" -eq 0 ]
  [[ "$output" == *"3000 in, 3000 out"* ]]
  kconsume "$t" -e -q | canon > "$BATS_TEST_TMPDIR/got"
  python3 "$BATS_TEST_DIRNAME/csv2json.py" "$DATA/yellow_tripdata_sample.csv" > "$BATS_TEST_TMPDIR/want.raw"
  canon "$BATS_TEST_TMPDIR/want.raw" > "$BATS_TEST_TMPDIR/want"
  diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
  [ "$(jq -r '.total_amount|type' "$BATS_TEST_TMPDIR/got" | sort -u)" = "number" ]
  [ "$(jq -r '.store_and_fwd_flag|type' "$BATS_TEST_TMPDIR/got" | sort -u)" = "string" ]
}

@test "a UTF-8 byte order mark opening the input (Excel's CSV UTF-8) is not part of the first field" {
  t=$(new_topic bom)
  printf '\xef\xbb\xbfname,n\nann,1\n' | kproduce "$t" --format csv --key-field name -q
  run kcat -b "$B" -C -t "$t" -e -q -f '%k|%s'
  [ "$output" = 'ann|{"name":"ann","n":1}' ]
  # Only at the start of the input: anywhere else it is the line's own bytes.
  run bash -c "printf '\xef\xbb\xbf{\"a\":1}\n\xef\xbb\xbf{\"a\":2}\n' | kmap -q"
  [ "$status" -eq 3 ]
  [ "${lines[0]}" = '{"a":1}' ]
  [[ "$output" == *"line 2: invalid JSON at column 1"* ]]
}

@test "kproduce -k, -H and --format lines" {
  t=$(new_topic kh)
  printf 'hello world\nsecond line\n' | kproduce "$t" --format lines -k fixed -H src=test -H env=ci -q
  run kconsume "$t" -e -J -q --value-format raw
  [ "$status" -eq 0 ]
  ts=$(echo "${lines[0]}" | jq .timestamp)
  [ "${lines[0]}" = '{"key":"fixed","value":"hello world","timestamp":'"$ts"',"headers":[["src","test"],["env","ci"]],"topic":"'"$t"'","partition":0,"offset":0}' ]
  [ "$(echo "${lines[1]}" | jq -c '[.key,.value,.offset]')" = '["fixed","second line",1]' ]
}

@test "-K: KEY<delimiter>VALUE lines in and out, as kcat -K (keys checked by kcat)" {
  t=$(new_topic kd)
  # Split at the first delimiter: the value may hold it. A line without one has no key.
  printf 'u1\t{"tier":"gold"}\nno key here\nu2\ta\tb\n' | kproduce "$t" --format lines -K $'\t' -q
  run kcat -b "$B" -C -t "$t" -e -q -f '%k|%s\n'
  [ "$output" = $'u1|{"tier":"gold"}\n|no key here\nu2|a\tb' ]
  run kcat -b "$B" -C -t "$t" -e -q -o 1 -c 1 -f '%K\n'
  [ "$output" = "-1" ]  # kcat's key length: -1 is a null key, not an empty one
  run kconsume "$t" -e -q --value-format raw -K :
  [ "$output" = $'u1:{"tier":"gold"}\n:no key here\nu2:a\tb' ]
  # JSON values are parsed after the split; -K goes with neither -J nor CSV.
  run bash -c "printf 'k1:{\"a\":1}\n' | kproduce '$t' -K : -q && kconsume '$t' -e -q -K = --from offset:3"
  [ "$output" = 'k1={"a":1}' ]
  run kproduce "$t" -K : -J
  [ "$status" -eq 2 ]
  run bash -c "printf 'a,b\n1,2\n' | kproduce '$t' --format csv -K :"
  [ "$status" -eq 2 ]
  [[ "$output" == *"-K splits lines into key and value; CSV rows take their key with --key-field"* ]]
}

@test "kproduce -J writes explicit timestamps and headers" {
  t=$(new_topic env)
  echo '{"key":"k","value":{"n":1},"timestamp":"2024-01-01T00:00:00Z","headers":{"h":"v"}}' | kproduce "$t" -J -q
  run kconsume "$t" -e -J -q
  [ "$output" = '{"key":"k","value":{"n":1},"timestamp":1704067200000,"headers":[["h","v"]],"topic":"'"$t"'","partition":0,"offset":0}' ]
}

@test "kproduce: a malformed line fails with its line number (exit 3) or is skipped" {
  t=$(new_topic bad)
  printf '{"a":1}\n{"a":2}\nnot json\n{"a":4}\n' > "$BATS_TEST_TMPDIR/in"
  run kproduce "$t" "$BATS_TEST_TMPDIR/in"
  [ "$status" -eq 3 ]
  [[ "$output" == *"line 3: invalid JSON"* ]]
  run kproduce "$t" "$BATS_TEST_TMPDIR/in" --on-error skip
  [ "$status" -eq 0 ]
  [[ "$output" == *"4 in, 3 out, 1 skipped"* ]]
}

@test "interop: kcat -P -> kconsume and kproduce -> kcat -C" {
  t=$(new_topic kcat1)
  printf 'k1\t{"x":1}\nk2\t{"x":2}\n' | kcat -b "$B" -P -t "$t" -K $'\t'
  run kconsume "$t" -e -J -q
  [ "${lines[0]}" = '{"key":"k1","value":{"x":1},"timestamp":'"$(echo "${lines[0]}" | jq .timestamp)"',"topic":"'"$t"'","partition":0,"offset":0}' ]
  [ "$(echo "$output" | jq -c .value | tr -d '\n')" = '{"x":1}{"x":2}' ]
  t2=$(new_topic kcat2)
  printf '{"y":1}\n{"y":2}\n' | kproduce "$t2" -k kk -H a=b -q
  run kcat -b "$B" -C -t "$t2" -e -q -f '%k|%s|%h\n'
  [ "$output" = $'kk|{"y":1}|a=b\nkk|{"y":2}|a=b' ]
}

@test "unreachable broker: exit 1 within 5 s naming the address and where it came from" {
  # Five tools, each waiting its 5 s at once: a producer, a topic-to-topic stage (it asks the
  # broker several things before it runs: the first says it), a stateful stage, and the state
  # queries, which ask the group for a running copy first: unreachable there is the answer (it
  # was 15 s: the group, the store's second group, then the changelog each waited 5 s).
  d=$BATS_TEST_TMPDIR
  unreachable() {  # unreachable NAME COMMAND...: its exit status, seconds and stderr in $d
    local start=$SECONDS rc=0
    "${@:2}" >"$d/$1.out" 2>&1 </dev/null || rc=$?
    echo "$rc $((SECONDS - start))" >"$d/$1.rc"
  }
  unreachable kproduce bash -c "echo '{}' | kproduce t -b 127.0.0.1:1" &
  KT_BROKERS=127.0.0.1:1 unreachable kmap kmap -i a -o b -e --set x=1 &
  KT_BROKERS=127.0.0.1:1 unreachable ktable ktable -i a -o b --by x --agg count -e &
  KT_BROKERS=127.0.0.1:1 unreachable ktable-get ktable get -G g k &
  KT_BROKERS=127.0.0.1:1 unreachable kwindow-get kwindow get -G g k &
  wait
  for name in kproduce kmap ktable ktable-get kwindow-get; do
    read -r rc secs <"$d/$name.rc"
    echo "$name: exit $rc after $secs s: $(cat "$d/$name.out")"
    [ "$rc" -eq 1 ]
    [ "$secs" -le 7 ]
  done
  [[ "$(cat "$d/kproduce.out")" == *"cannot reach Kafka at 127.0.0.1:1 (brokers from -b) in 5s"* ]]
  [[ "$(cat "$d/kmap.out")" == *"cannot reach Kafka at 127.0.0.1:1 (brokers from \$KT_BROKERS) in 5s"* ]]
  [[ "$(cat "$d/ktable.out")" == *"cannot reach Kafka at 127.0.0.1:1"* ]]
  for name in ktable-get kwindow-get; do
    [[ "$(cat "$d/$name.out")" == *"cannot reach Kafka at 127.0.0.1:1 (brokers from \$KT_BROKERS) in 5s"* ]]
  done
}

@test "kproduce --partitions refuses an existing topic of another size" {
  t=$(new_topic size)
  echo '{}' | kproduce "$t" --partitions 2 -q
  run bash -c "echo '{}' | kproduce '$t' --partitions 3"
  [ "$status" -ne 0 ]
  [[ "$output" == *"exists with 2 partitions, not 3"* ]]
}

@test "kproduce: timestamp 0 cannot be written (librdkafka reads it as now): said once, nothing lost" {
  t=$(new_topic ts0)
  before=$(date +%s%3N)
  run --separate-stderr kproduce "$t" -J < <(printf '%s\n' '{"value":1,"timestamp":0}' '{"value":2,"timestamp":0}')
  [ "$status" -eq 0 ]
  [ "$(grep -c 'timestamp 0 (1970-01-01T00:00:00Z) is written with the current time' <<< "$stderr")" -eq 1 ]
  [ "$(kconsume "$t" -e -q | tr '\n' ' ')" = "1 2 " ]
  [ "$(kconsume "$t" -e -q -J | jq -s --argjson b "$before" 'map(.timestamp >= $b) | all')" = true ]
  # -q silences the warning
  run --separate-stderr kproduce "$t" -J -q < <(echo '{"value":3,"timestamp":0}')
  [ "$status" -eq 0 ]
  [ -z "$stderr" ]
}

@test "kproduce --rate paces records from the first: 11 records at 20/s span at least half a second, also when the input starts late" {
  need_kafka
  t=$(new_topic rate)
  run -0 kproduce "$t" --rate 20 -q < <(seq 1 11 | jq -c '{i: .}')
  run -0 bash -c "kconsume '$t' -e -q -J | jq -s -c '[(.[-1].timestamp - .[0].timestamp) >= 490, (map(.value.i) == [range(1; 12)])]'"
  [ "$output" = "[true,true]" ]
  # Input that starts late (here 0.7 s, longer than the 11 records' schedule) is paced from its
  # first record: the schedule does not run while nothing is there and then come out in a burst.
  t2=$(new_topic rate-late)
  run -0 kproduce "$t2" --rate 20 -q < <(sleep 0.7; seq 1 11 | jq -c '{i: .}')
  run -0 bash -c "kconsume '$t2' -e -q -J | jq -s -c '[(.[-1].timestamp - .[0].timestamp) >= 490, (map(.value.i) == [range(1; 12)])]'"
  [ "$output" = "[true,true]" ]
  run -2 kproduce "$t" --rate -1
  [[ "$output" == *"--rate: must be at least 0, not -1"* ]]
}
