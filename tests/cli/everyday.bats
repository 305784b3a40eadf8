#!/usr/bin/env bats
# Everyday use without traps (issue 27): which runs join a group, ad-hoc runs that leave no
# trace, kconsume on any value, messages for runs that read nothing and for misspelled fields.

load helpers

# clickevents.ndjson's first N records into a new topic of P partitions, keyed by uri.
clicks_topic() {
  local t n=$2 p=$3
  t=$(new_topic "$1")
  kgen clickevents -n 1 -o "$t" --partitions "$p" -q >/dev/null  # creates it with P partitions
  head -n "$n" "$DATA/clickevents.ndjson" | kproduce "$t" --key-field uri -q
  echo "$t"
}

@test "an ad-hoc run (topic to stdout, no -G) commits nothing: run twice, same records; no group left" {
  need_kafka
  t=$(clicks_topic adhoc 200 3)
  run -0 bash -c "kfilter -i '$t' 'number >= 100' -e -q | wc -l"
  first=$output
  [ "$first" -gt 0 ]
  [ "$first" -eq "$(kconsume "$t" -e -q | jq -c 'select(.number? >= 100)' | wc -l)" ]
  run -0 bash -c "kfilter -i '$t' 'number >= 100' -e -q | wc -l"
  [ "$output" -eq "$first" ]
  run -0 kgroup list --json
  [[ "$output" != *"$t"* ]]
}

@test "two jobs on one input with different outputs each get every record, in groups named after both" {
  need_kafka
  t=$(clicks_topic two 300 4)
  kmap -i "$t" -o "$t-a" --set a=1 -e -q
  kmap -i "$t" -o "$t-b" --set b=1 -e -q
  [ "$(topic_count "$t-a")" -eq 301 ]
  [ "$(topic_count "$t-b")" -eq 301 ]
  run -0 kgroup list --json
  grep -F "\"ktools-kmap-$t-to-$t-a\"" <<<"$output"
  grep -F "\"ktools-kmap-$t-to-$t-b\"" <<<"$output"
}

@test "an output topic a tool creates gets its input's partition count, or --partitions" {
  need_kafka
  t=$(clicks_topic parts 20 4)
  kmap -i "$t" -o "$t-same" --set x=1 -e -q
  [ "$(partition_count "$t-same")" -eq 4 ]
  kmap -i "$t" -o "$t-two" --set x=1 -e -q --partitions 2
  [ "$(partition_count "$t-two")" -eq 2 ]
  # an existing topic of another size is an error when --partitions asked for one
  run -2 kmap -i "$t" -o "$t-two" --set x=1 -e -q --partitions 3
  [[ "$output" == *"$t-two"*"2 partitions"* ]]
}

@test "a run that ends with nothing new says why, naming the group and how to read again" {
  need_kafka
  t=$(clicks_topic nothing 10 1)
  kmap -i "$t" -o "$t-out" --set x=1 -e -q
  run -0 kmap -i "$t" -o "$t-out" --set x=1 -e
  [[ "$output" == *"nothing new for group 'ktools-kmap-$t-to-$t-out'"* ]]
  [[ "$output" == *"$t partition 0: 11"* ]]
  [[ "$output" == *"kgroup reset ktools-kmap-$t-to-$t-out --to-earliest --execute"* ]]
  # -q: no word
  run -0 kmap -i "$t" -o "$t-out" --set x=1 -e -q
  [ -z "$output" ]
}

@test "kconsume prints any value: JSON as JSON, text as it is, other bytes as base64; auto round-trips" {
  need_kafka
  t=$(new_topic anyvalue)
  printf 'hello world\nplain\ttab\n{"a":1}\n' | kproduce "$t" --value-format raw -q
  printf '/w==\n' | kproduce "$t" --value-format binary -q
  run -0 kconsume "$t" -e -q
  [ "$output" = "$(printf 'hello world\nplain\ttab\n{"a":1}\n{"base64":"/w=="}')" ]
  run -0 bash -c "kconsume '$t' -e -q -J | jq -c .value"
  [ "$output" = "$(printf '"hello world"\n"plain\\ttab"\n{"a":1}\n{"base64":"/w=="}')" ]
  # envelopes written back with --value-format auto give the same bytes
  kconsume "$t" -e -q -J | kproduce "$t-copy" -J --value-format auto -q
  [ "$(kcat -b "$B" -C -t "$t-copy" -e -q | od -c)" = "$(kcat -b "$B" -C -t "$t" -e -q | od -c)" ]
  # --value-format json insists, and the error names the codecs that read text
  run -3 kconsume "$t" -e -q --value-format json
  [[ "$output" == *"partition 0 offset 0"*"invalid JSON"*"--value-format raw or auto"* ]]
}

@test "an expression that reads @headers on bare NDJSON stdin is refused with the -J hint" {
  run -2 kfilter '@headers.source == "web"' <<<'{"a":1}'
  [[ "$output" == *"@headers"*"-J"* ]]
  run -0 kfilter -J -q '@headers.source == "web"' <<<'{"value":{"a":1},"headers":[["source","web"]]}'
  [ "$(jq -c .value <<<"$output")" = '{"a":1}' ]
}

@test "a field that no record has is named at the end, with the nearest field; -q silences it" {
  run -0 kfilter 'nubmer > 100' < <(head -n 50 "$DATA/clickevents.ndjson")
  [[ "$output" == *"field 'nubmer' was in none of the 50 records"*"did you mean 'number'?"* ]]
  run -0 kbatch --max 10 --by emial < <(head -n 20 "$DATA/clickevents.ndjson")
  [[ "$output" == *"field 'emial'"*"did you mean 'email'?"* ]]
  # fields that --set makes are not reported
  run -0 kmap --set 'n2=number * 2' --set 'n3=n2 + 1' < <(head -n 5 "$DATA/clickevents.ndjson")
  [[ "$output" != *"warning"* ]]
  run -0 kfilter 'nubmer > 100' -q < <(head -n 50 "$DATA/clickevents.ndjson")
  [ -z "$output" ]
  run -0 bash -c "kfilter 'nubmer > 100' --stats json < <(head -n 5 '$DATA/clickevents.ndjson') 2>&1 >/dev/null | grep '^{' | jq -c .missing_fields"
  [ "$output" = '["nubmer"]' ]
}

@test "ad-hoc ktable --by over 4 partitions is exact in memory and leaves no group, topic or state" {
  need_kafka
  t=$(clicks_topic table 400 4)
  # Topics named for a group of this input: another file's tests create their own ktools-
  # topics meanwhile (the suite runs two files at a time).
  before=$(kcat -b "$B" -L -J | jq -r '.topics[].topic' | grep -c -- "ktools-ktable-$t" || true)
  state=$(mktemp -d)
  run -0 bash -c "ktable -i '$t' --by uri --agg count --agg 'sum(number)' -e -q --state-dir '$state' | jq -c '{k: .key, c: .count, s: .sum_number}' | jq -s -c 'group_by(.k) | map(last) | sort_by(.k)'"
  got=$output
  want=$(kconsume "$t" -e -q | jq -s -c 'group_by(.uri) | map({k: .[0].uri, c: length, s: (map(.number) | add)}) | sort_by(.k)')
  [ "$got" = "$want" ]
  after=$(kcat -b "$B" -L -J | jq -r '.topics[].topic' | grep -c -- "ktools-ktable-$t" || true)
  [ "$before" = "$after" ]
  run -0 kgroup list --json
  [[ "$output" != *"$t"* ]]
  [ -z "$(ls -A "$state")" ]
  rm -rf "$state"
}

@test "ad-hoc kjoin --by/--right-by matches what a grouped run writes" {
  need_kafka
  t=$(clicks_topic joinl 300 4)
  u=$(new_topic joinr)
  kconsume "$t" -e -q | jq -r .email | sort -u | head -n 40 |
    jq -c -R '{key: ("id-" + .), value: {email: ., tier: (if test("^[a-m]") then "gold" else "basic" end)}, timestamp: 1}' |
    kproduce "$u" -J -q --partitions 2
  run -0 bash -c "kjoin -i '$t' --table '$u' --by email --right-by email -e -q | jq -c '[.left.email, .right.tier]' | sort"
  adhoc=$output
  [ -n "$adhoc" ]
  kjoin -i "$t" --table "$u" --by email --right-by email -o "$t-joined" -e -q --store memory
  [ "$(kconsume "$t-joined" -e -q | jq -c '[.left.email, .right.tier]' | sort)" = "$adhoc" ]
}

@test "usage errors: one line each, in words; kcat habits get the ktools way; a unitless duration is refused" {
  run -2 ktopic create x -p 0
  [ "${lines[0]}" = "ktopic: error: --partitions: must be at least 1, not 0" ]
  [ "${#lines[@]}" -eq 2 ]
  run -2 kwindow --tumbling 10s --hopping 1m --agg count
  [ "${lines[0]}" = "kwindow: error: --tumbling and --hopping cannot be used together: give one of --tumbling, --hopping, --sliding or --session" ]
  [ "${#lines[@]}" -eq 2 ]
  run -2 kmap --sett x=1
  [ "${lines[0]}" = "kmap: error: unknown option '--sett'; did you mean '--set'?" ]
  [ "${#lines[@]}" -eq 2 ]
  run -2 kconsume -t clicks
  [ "${lines[0]}" = "kconsume: error: unknown option '-t': the topic is an argument: kconsume TOPIC (kcat's -t)" ]
  run -2 kconsume clicks -o end
  [[ "${lines[0]}" == "kconsume: error: unknown option '-o': where to start is --from: beginning, end"* ]]
  run -2 kfilter -t clicks 'true'
  [ "${lines[0]}" = "kfilter: error: unknown option '-t': the input topic is -i TOPIC (kcat's -t)" ]
  run -2 kwindow --tumbling 10 --by uri --agg count
  [ "${lines[0]}" = "kwindow: error: --tumbling: duration '10' has no unit: 10s or 10ms? (units: ms, s, m, h, d)" ]
  run -2 kjoin -i a --stream b --within 5
  [[ "$output" == *"duration '5' has no unit"* ]]
}

@test "kgen --rate R --start now is live: every event time is the wall clock when it was made" {
  before=$(date +%s%3N)
  run -0 bash -c "kgen clickevents --rate 20 --start now -n 10 -J -q | jq -r .timestamp"
  after=$(date +%s%3N)
  # about half a second of records; at 200 ms per event the old clock ran 2 s ahead
  [ "$(awk -v b="$before" -v a="$after" '$1 < b - 2100 || $1 > a {bad++} END {print bad + 0}' <<<"$output")" -eq 0 ]
  # without --rate, --start now is the first record's time and the generator's own steps follow
  run -0 bash -c "kgen clickevents --start now -n 200 -J -q | jq -r .timestamp | tail -1"
  [ "$output" -gt "$(($(date +%s%3N) + 10000))" ]
}

@test "a number compared with a string is said once per operator; the result follows the rules" {
  run -0 --separate-stderr kfilter 'n > 100' < <(printf '%s\n' '{"n":"150"}' '{"n":"50"}' '{"n":150}')
  [ "$output" = '{"n":150}' ]
  [ "$(grep -c 'a number was compared with a string (string > number)' <<<"$stderr")" -eq 1 ]
  run -0 --separate-stderr kfilter 'int(n) > 100' < <(printf '%s\n' '{"n":"150"}' '{"n":"50"}')
  [ "$output" = '{"n":"150"}' ]
  [[ "$stderr" != *"compared with a string"* ]]
  run -0 --separate-stderr kfilter -q 'n > 100' < <(echo '{"n":"150"}')
  [ -z "$stderr" ]
}
