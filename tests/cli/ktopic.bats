#!/usr/bin/env bats
# ktopic against the real broker, checked against kafka-python's view of the same topics
# (kadmin.py, an independent client).
load helpers

setup() {
  need_kafka
  KADMIN="$BATS_TEST_DIRNAME/kadmin.py"
}

# $T: 3 partitions; partition 0 holds 5 records with keys k0..k4 at timestamps 1000..5000,
# partition 2 holds two records of key "a" (the second a tombstone); partition 1 is empty.
three_partitions() {
  T=$(new_topic t)
  ktopic create "$T" -p 3 -q
  for i in 0 1 2 3 4; do echo "{\"key\":\"k$i\",\"value\":{\"n\":$i,\"s\":\"x\"},\"timestamp\":$(( (i + 1) * 1000 ))}"; done |
    kproduce "$T" -J -p 0 -q
  printf '%s\n' '{"key":"a","value":[1,2],"timestamp":7000}' '{"key":"a","value":null,"timestamp":8000}' |
    kproduce "$T" -J -p 2 -q
}

@test "ktopic list: partitions, replication and record counts as kafka-python sees them; internal topics with -a" {
  three_partitions
  before=$("$KADMIN" topics | LC_ALL=C sort)
  run ktopic list
  after=$("$KADMIN" topics | LC_ALL=C sort)
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | jq -c "select(.topic == \"$T\")")" = "{\"topic\":\"$T\",\"partitions\":3,\"replication\":$("$KADMIN" replicas "$T"),\"records\":7}" ]
  listed=$(echo "$output" | jq -r .topic)
  [ "$listed" = "$(echo "$listed" | LC_ALL=C sort)" ]  # in name order
  same_names "$listed" "$(echo "$before" | grep -v '^_')" "$(echo "$after" | grep -v '^_')"
  before=$("$KADMIN" topics | LC_ALL=C sort)
  run ktopic list -a
  after=$("$KADMIN" topics | LC_ALL=C sort)
  same_names "$(echo "$output" | jq -r .topic)" "$before" "$after"
}

@test "ktopic describe: watermarks and first/last timestamps per partition equal kafka-python's; set configs only" {
  three_partitions
  # (Not retention.ms: these records of 1970 would be deleted while the test reads them.)
  ktopic alter "$T" --set max.message.bytes=200000 --set retention.bytes=1000000000 -q
  run ktopic describe "$T"
  [ "$status" -eq 0 ]
  diff <(echo "$output" | jq -r 'select(.partition != null) | "\(.partition) \(.low) \(.high)"') <("$KADMIN" marks "$T")
  diff <(echo "$output" | jq -r 'select(.partition != null) | "\(.partition) \(.first_timestamp // "-") \(.last_timestamp // "-")"') \
       <("$KADMIN" scan "$T" | head -3)
  [ "$(echo "$output" | jq -r 'select(.partition != null) | .leader' | sort -u)" -ge 0 ]
  diff <(echo "$output" | jq -r 'select(.config != null) | "\(.config)=\(.value) \(.source)"') - <<'EXPECTED'
max.message.bytes=200000 dynamic_topic
retention.bytes=1000000000 dynamic_topic
EXPECTED
  [ "$("$KADMIN" config "$T" max.message.bytes)" = 200000 ]
}

@test "ktopic alter: --unset keeps the other settings; -p grows, never shrinks" {
  three_partitions
  ktopic alter "$T" --set retention.ms=86400000 --set max.message.bytes=200000 -q
  ktopic alter "$T" --unset retention.ms -q
  [ "$("$KADMIN" config "$T" max.message.bytes)" = 200000 ]
  [ "$("$KADMIN" config "$T" retention.ms)" != 86400000 ]
  ktopic alter "$T" -p 5 -q
  [ "$("$KADMIN" marks "$T" | wc -l)" -eq 5 ]
  run ktopic alter "$T" -p 2
  [ "$status" -eq 2 ]
  [[ "$output" == *"has 5 partitions: Kafka cannot shrink a topic to 2"* ]]
  run ktopic alter "$T"
  [ "$status" -eq 2 ]
}

@test "ktopic stats: counts, keys, time range and value shape equal kafka-python's reading; a sample" {
  three_partitions
  run ktopic stats "$T" --sample 2
  [ "$status" -eq 0 ]
  read -r records tombstones distinct min max < <("$KADMIN" scan "$T" | tail -1)
  [ "$(echo "$output" | jq -c '[.records, .tombstones, .keys.distinct, .timestamps.first, .timestamps.last]')" = "[$records,$tombstones,$distinct,$min,$max]" ]
  [ "$(echo "$output" | jq -c '.values')" = '{"json_objects":5,"json_other":1,"not_json":0,"fields":{"n":{"count":5,"types":["number"]},"s":{"count":5,"types":["string"]}}}' ]
  [ "$(echo "$output" | jq -c '.sample | map([.partition, .offset, .key, .value.n])')" = '[[0,0,"k0",0],[0,1,"k1",1]]' ]
  [ "$(echo "$output" | jq -c '.bytes.keys')" -eq 12 ]
}

@test "ktopic create and delete: exists is an error unless --if-not-exists; delete needs -y off a terminal" {
  T=$(new_topic t)
  ktopic create "$T" -p 2 -c cleanup.policy=compact -q
  [ "$("$KADMIN" config "$T" cleanup.policy)" = compact ]
  [ "$("$KADMIN" marks "$T" | wc -l)" -eq 2 ]
  run ktopic create "$T" -p 2
  [ "$status" -eq 1 ]
  [[ "$output" == *"topic '$T' exists already"* ]]
  run ktopic create "$T" -p 2 --if-not-exists
  [ "$status" -eq 0 ]
  run ktopic delete "$T" < /dev/null
  [ "$status" -eq 2 ]
  [[ "$output" == *"needs --yes"* ]]
  "$KADMIN" topics | grep -qx "$T"
  run ktopic delete "$T" "$T-missing" -y
  [ "$status" -eq 1 ]
  [[ "$output" == *"topic '$T-missing' does not exist (nothing deleted)"* ]]
  "$KADMIN" topics | grep -qx "$T"
  run ktopic delete "$T" "$T-missing" -y --if-exists
  [ "$status" -eq 0 ]
  ! "$KADMIN" topics | grep -qx "$T"
}

@test "ktopic delete and create return once the broker lists the change: a topic is made again at once, with other partitions, empty" {
  T=$(new_topic t)
  for run in 1 2 3; do
    ktopic create "$T" -p 4 -q
    echo '{"a":1}' | kproduce "$T" -q
    ktopic delete "$T" -y -q
    ktopic create "$T" -p 2 -q
    [ "$("$KADMIN" marks "$T" | wc -l)" -eq 2 ]
    run kconsume "$T" -e -q
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    ktopic delete "$T" -y -q
  done
}

@test "ktopic: an unknown topic is exit 1; bad config pairs are exit 2; a table on a terminal" {
  run ktopic describe "no-such-topic-$RANDOM"
  [ "$status" -eq 1 ]
  [[ "$output" == *"does not exist"* ]]
  run ktopic stats "no-such-topic-$RANDOM"
  [ "$status" -eq 1 ]
  run ktopic create x -c nonsense
  [ "$status" -eq 2 ]
  [[ "$output" == *"--set nonsense: expected NAME=VALUE"* ]]
  three_partitions
  run script -qec "$KT_BIN/ktopic describe $T -b $KT_TEST_BROKERS" /dev/null
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == TOPIC*PARTITION*LEADER*REPLICAS*ISR*LOW*HIGH*FIRST_TIMESTAMP*LAST_TIMESTAMP* ]]
  [[ "${lines[1]}" == "$T"*0*5*1000*5000* ]]
}

# The generated completion scripts: beside the tools' bin directory, or in $KT_COMPLETIONS
# (scripts/test names the release build's when it runs the sanitizer build's tools, as the
# sanitizer build does not generate them).
completions=${KT_COMPLETIONS:-$KT_BIN/../completions}

# Completion words for a command line (bash, the generated completion).
complete_words() {
  bash -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    _kt_complete
    printf "%s\n" "${COMPREPLY[@]}"' _ "$completions/ktools.bash" "$@" | sort
}

@test "shell completion: options, subcommands and topic names from the broker; zsh's parses" {
  [ "$(complete_words kmap --dr)" = "--drop" ]
  [ "$(complete_words ktopic de | tr '\n' ' ')" = "delete describe " ]
  [ "$(complete_words kwindow get --a)" = "--agg
--all
--at" ] || [ "$(complete_words kwindow get --a | tr '\n' ' ')" = "--agg --at " ]
  T=$(new_topic t)
  ktopic create "$T" -p 1 -q
  [ "$(complete_words kmap -i "${T%???}")" = "$T" ]
  [ "$(complete_words kconsume "$T")" = "$T" ]
  zsh -n "$completions/_ktools"
  grep -q "^#compdef .*kbatch" "$completions/_ktools"
}

@test "ktopic list PATTERN: only the topics whose names match a shell pattern" {
  need_kafka
  p=$(new_topic pat)
  for s in a1 a2 b1; do echo '{}' | kproduce "$p-$s" -q; done
  run -0 ktopic list "$p-a*" --names
  [ "$(sort <<<"$output")" = "$(printf '%s\n' "$p-a1" "$p-a2")" ]
  run -0 bash -c "ktopic list '$p-?1' --json | jq -r .topic | sort"
  [ "$output" = "$(printf '%s\n' "$p-a1" "$p-b1")" ]
  run -0 ktopic list "$p-zz*" --json
  [ -z "$output" ]
}

@test "ktopic list PATTERN takes a regular expression after '^', as kcat and librdkafka do; a bad one is exit 2" {
  p=$(new_topic re)
  for s in a1 a2 b1; do echo '{}' | kproduce "$p-$s" -q; done
  run -0 ktopic list "^$p-(a2|b1)\$" --names
  [ "$(sort <<<"$output")" = "$(printf '%s\n' "$p-a2" "$p-b1")" ]
  run ktopic list '^(' --names
  [ "$status" -eq 2 ]
  [[ "$output" == *"topic pattern '^('"* ]]
}

@test "ktopic cluster: id, controller and brokers as kafka-python's describe_cluster sees them" {
  run -0 ktopic cluster --json
  [ "${#lines[@]}" -ge 2 ]
  "$KADMIN" cluster > "$BATS_TEST_TMPDIR/cluster"
  read -r id controller < "$BATS_TEST_TMPDIR/cluster"
  brokers=$(($(wc -l < "$BATS_TEST_TMPDIR/cluster") - 1))
  [ "$(echo "${lines[0]}" | jq -r '"\(.cluster) \(.controller) \(.brokers)"')" = "$id $controller $brokers" ]
  [ "$(echo "${lines[0]}" | jq '.topics >= 1 and .partitions >= .topics')" = true ]
  [ "$(echo "$output" | tail -n +2 | jq -r '"\(.broker) \(.host) \(.port)"')" = "$(tail -n +2 "$BATS_TEST_TMPDIR/cluster")" ]
  [ "$(echo "$output" | tail -n +2 | jq -r "select(.controller) | .broker")" = "$controller" ]
}
