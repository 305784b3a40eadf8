#!/usr/bin/env bats
# Pipelines on stdin/stdout only: no broker. Also run under ASan+UBSan by scripts/test.
load helpers

@test "kgen | kmap --drop email | kconsume-free pipeline: exact records" {
  run bash -c 'kgen clickevents -n 50 --seed 7 -q | kmap --drop email -q'
  [ "$status" -eq 0 ]
  expected=$(kgen clickevents -n 50 --seed 7 -q | jq -c 'del(.email)')
  [ "$output" = "$expected" ]
}

@test "kmap keep, drop and rename on the seed click events" {
  run bash -c "kmap --keep uri,number,email --drop email --rename number=n -q < '$DATA/clickevents.ndjson'"
  [ "$status" -eq 0 ]
  expected=$(jq -c '{uri, n: .number}' "$DATA/clickevents.ndjson")
  [ "$output" = "$expected" ]
  [ "$(echo "$output" | wc -l)" -eq 5000 ]
}

@test "kmap renames in place (field order kept) and replaces an existing field" {
  run bash -c "echo '{\"a\":1,\"b\":2,\"c\":3}' | kmap --rename a=c -q"
  [ "$output" = '{"c":1,"b":2}' ]
}

@test "kmap passes tombstones and non-objects need a step to fail" {
  run bash -c "printf '%s\n' '{\"key\":\"k\",\"value\":null}' | kmap -J --drop x -q"
  [ "$status" -eq 0 ]
  [ "$output" = '{"key":"k","value":null,"timestamp":null}' ]
  run bash -c "echo '[1,2]' | kmap -q"
  [ "$output" = '[1,2]' ]
  run bash -c "echo '[1,2]' | kmap --drop x"
  [ "$status" -eq 3 ]
  [[ "$output" == *"line 1: value is not a JSON object"* ]]
}

@test "a value nested 200,000 deep is a bad record, not a crash; --on-error skip goes on" {
  python3 -c "print('{\"a\":1}'); print('[' * 200000 + ']' * 200000); print('{\"a\":3}')" > "$BATS_TEST_TMPDIR/deep"
  run kfilter 'true' < "$BATS_TEST_TMPDIR/deep"
  [ "$status" -eq 3 ]
  [[ "$output" == *"line 2: invalid JSON at column 1002: arrays and objects nested deeper than 1000 levels"* ]]
  run kmap --on-error skip -q < "$BATS_TEST_TMPDIR/deep"
  [ "$status" -eq 0 ]
  [ "$output" = $'{"a":1}\n{"a":3}' ]
}

@test "kmap --set and --rename write no field name that is not UTF-8 (a record no JSON reader takes): exit 2" {
  run kmap --set $'a.\xff=1' < /dev/null
  [ "$status" -eq 2 ]
  [[ "$output" == *"--set: field path 'a."$'\xef\xbf\xbd'"' is not UTF-8 text"* ]]
  run kmap --rename $'a=\xfe' < /dev/null
  [ "$status" -eq 2 ]
  [[ "$output" == *"--rename 'a="$'\xef\xbf\xbd'"': not UTF-8 text"* ]]
  run kscore --field $'s\xc3' 1 < /dev/null
  [ "$status" -eq 2 ]
  [[ "$output" == *"is not UTF-8 text"* ]]
  run bash -c "echo '{\"a\":1}' | kmap --set 'café=2' --rename 'a=ü' -q"
  [ "$status" -eq 0 ]
  [ "$output" = '{"ü":1,"café":2}' ]
}

@test "kmap --set writes no record deeper than JSON readers take: a path of 1001 fields exits 2, a too-deep value is a bad record" {
  deep=$(python3 -c "print('.'.join(['a'] * 1001))")
  run kmap --set "$deep=1" < /dev/null
  [ "$status" -eq 2 ]
  [[ "$output" == *"--set: field path of 1001 fields: its value would nest deeper than JSON readers (ktools, Jackson) take, 1000 levels"* ]]
  # 1000 fields deep with a number: the deepest record a reader takes, and ours reads it back.
  run bash -c "echo '{\"x\":1}' | kmap --set '${deep#a.}=1' -q | kmap --drop x -q"
  [ "$status" -eq 0 ]
  [ "$output" = "$(python3 -c "print('{\"a\":' * 1000 + '1' + '}' * 1000)")" ]
  # A copy of a value 1000 levels deep, one field down: skipped, the records around it written.
  python3 -c "print('{\"a\":1}'); print('{\"d\":' + '[' * 999 + ']' * 999 + '}'); print('{\"a\":3}')" > "$BATS_TEST_TMPDIR/deep"
  run kmap --set 'copy=@value' --on-error skip < "$BATS_TEST_TMPDIR/deep"
  [ "$status" -eq 0 ]
  [[ "$output" == *"skipped line 2: the value for field 'copy' nests 1000 levels or more, at a depth of 1"* ]]
  [[ "$output" == *'{"a":1,"copy":{"a":1}}'* ]]
  [[ "$output" == *'{"a":3,"copy":{"a":3}}'* ]]
}

@test "-J envelopes round-trip every value a record may hold: numbers as written, 1000 levels deep" {
  python3 -c "print('{\"key\":\"a\",\"value\":{\"big\":123456789012345678901234567890,\"pi\":3.14159265358979323846,\"x\":1.50},\"timestamp\":5}'); print('{\"key\":\"b\",\"value\":' + '[' * 1000 + ']' * 1000 + ',\"timestamp\":6}')" > "$BATS_TEST_TMPDIR/env"
  # Before, the envelope reader wrote the value back from its parse (1.2345678901234568e29,
  # 3.141592653589793, 1.5) and counted the envelope as a level, refusing the second value.
  run bash -c "kmap -J -q < '$BATS_TEST_TMPDIR/env' | kfilter -J -q true"
  [ "$status" -eq 0 ]
  [ "$output" = "$(cat "$BATS_TEST_TMPDIR/env")" ]
  # The deep value is read as a value (an array, so --set cannot take it), not refused for depth.
  run bash -c "kmap -J -q < '$BATS_TEST_TMPDIR/env' | kmap -J --set y=1 --on-error skip"
  [[ "$output" == *'"value":{"big":123456789012345678901234567890,"pi":3.14159265358979323846,"x":1.50,"y":1}'* ]]
  [[ "$output" == *"skipped line 2: value is not a JSON object (it is an array)"* ]]
}

@test "ktable and kwindow: first, last, min and max keep a record's number as written" {
  # Before, the aggregate state dropped the texts: 1.2345678901234568e29, 1.5, 3.141592653589793.
  printf '%s\n' '{"k":"a","t":0,"n":123456789012345678901234567890,"p":1.50,"o":{"x":3.14159265358979323846}}' \
    '{"k":"a","t":120000,"n":7,"p":2.50}' '{"k":"a","t":60000,"n":1e3,"p":0.50}' > "$BATS_TEST_TMPDIR/in"
  run ktable --by k --agg 'first(n)' --agg 'first(o)' --agg 'max(p)' --agg 'last(n)' --store memory -q < "$BATS_TEST_TMPDIR/in"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = '{"key":"a","first_n":123456789012345678901234567890,"first_o":{"x":3.14159265358979323846},"max_p":1.50,"last_n":123456789012345678901234567890}' ]
  [ "${lines[2]}" = '{"key":"a","first_n":123456789012345678901234567890,"first_o":{"x":3.14159265358979323846},"max_p":2.50,"last_n":1e3}' ]
  # Windows, one record each (tumbling) and merged (sessions: the third record joins the two).
  run kwindow --time t --by k --tumbling 1m --agg 'first(p)' --agg 'last(n)' --store memory -q < "$BATS_TEST_TMPDIR/in"
  [ "${lines[0]}" = '{"key":"a","window":{"start":0,"end":60000},"first_p":1.50,"last_n":123456789012345678901234567890}' ]
  run kwindow --time t --by k --session 1m --grace 2m --agg 'first(p)' --agg 'min(p)' --agg 'first(o)' --store memory -q < "$BATS_TEST_TMPDIR/in"
  [ "${lines[-1]}" = '{"key":"a","window":{"start":0,"end":120000},"first_p":1.50,"min_p":0.50,"first_o":{"x":3.14159265358979323846}}' ]
  run kwindow --time t --by k --session 1m --grace 2m --agg 'first(p)' --agg 'first(n)' --store memory --emit final --close-at-end -q < "$BATS_TEST_TMPDIR/in"
  [ "$output" = '{"key":"a","window":{"start":0,"end":120000},"first_p":1.50,"first_n":123456789012345678901234567890}' ]
}

@test "@value: the whole value in expressions, whatever it is: filters on bare values, a table of each key's latest value" {
  run bash -c "printf '5\n150\n\"x\"\n[200]\n' | kfilter '@value > 100' -q"
  [ "$status" -eq 0 ]
  [ "$output" = "150" ]
  # ktable --agg 'last(@value)': each key's latest value (a KTable of the topic), with its count.
  run bash -c "printf '%s\n' '{\"k\":\"a\",\"v\":1}' '{\"k\":\"b\",\"v\":2}' '{\"k\":\"a\",\"v\":1.50}' | ktable --by k --agg 'latest=last(@value)' --agg count --store memory -q"
  [ "${lines[2]}" = '{"key":"a","latest":{"k":"a","v":1.50},"count":2}' ]
  run bash -c "echo '{\"k\":\"a\"}' | kmap --set 'copy=@value' --set 'n=@value.k' -q"
  [ "$output" = '{"k":"a","copy":{"k":"a"},"n":"a"}' ]
  # Fields still need an object; @value alone does not.
  run bash -c "printf '[1]\n' | kfilter '@value[0] == 1 or number > 1' -q"
  [ "$status" -eq 3 ]
}

@test "blank lines are skipped: empty ones always, whitespace-only ones where lines are JSON" {
  # A file edited by hand or joined with echo: before, "  " and a tab were bad records while an
  # empty line (and "\r\n") was skipped. Line numbers still count them.
  run bash -c "printf '{\"a\":1}\r\n\r\n  \n\t\n{\"a\":2}\n\n[\n' | kmap -q"
  [ "$status" -eq 3 ]
  [ "${lines[0]}" = '{"a":1}' ]
  [ "${lines[1]}" = '{"a":2}' ]
  [[ "$output" == *"line 7: invalid JSON"* ]]
  run bash -c "printf '{\"value\":1}\n \n{\"value\":2}\n' | kmap -J -q"
  [ "$output" = $'{"key":null,"value":1,"timestamp":null}\n{"key":null,"value":2,"timestamp":null}' ]
  # Raw values are text: spaces are a value; only an empty line is none.
  run bash -c "printf 'a\n  \n\nb\n' | kmap --value-format raw -q | od -An -c | tr -s ' '"
  [ "$output" = " a \n \n b \n" ]
}

@test "an envelope timestamp before 1970 is a bad record (not silently the time of sending)" {
  run bash -c "printf '%s\n' '{\"value\":1,\"timestamp\":-5}' '{\"value\":2,\"timestamp\":0}' | kmap -J --on-error skip"
  [ "$status" -eq 0 ]
  [[ "$output" == *"skipped line 1: envelope: envelope timestamp -5 is before 1970: Kafka record times are ms since the epoch (null for none)"* ]]
  [[ "$output" == *'{"key":null,"value":2,"timestamp":0}'* ]]
}

@test "bad JSON on stdin: fail names the line and exits 3" {
  run bash -c "printf '{\"a\":1}\n{oops\n{\"a\":3}\n' | kmap --drop a"
  [ "$status" -eq 3 ]
  [[ "$output" == *"line 2: invalid JSON at column 2"* ]]
}

@test "bad JSON on stdin: skip continues and the summary counts it" {
  run bash -c "printf '{\"a\":1}\n{oops\n{\"a\":3}\n' | kmap --on-error skip 2>&1 >/dev/null"
  [ "$status" -eq 0 ]
  [[ "$output" == *"skipped line 2"* ]]
  [[ "$output" == *"3 in, 2 out, 1 skipped"* ]]
}

@test "a stdin line over 64 MiB is a bad record naming its line and size, read in bounded memory" {
  # 1 GiB without a newline between two records: the line's first 64 MiB are kept, the rest read past.
  run bash -c "{ echo '{\"a\":1}'; head -c 1073741824 /dev/zero; printf '\n{\"a\":3}\n'; } |
    /usr/bin/time -f 'peak %M kB' kmap --on-error skip 2>'$BATS_TEST_TMPDIR/err'"
  [ "$status" -eq 0 ]
  [ "$output" = $'{"a":1}\n{"a":3}' ]
  grep -F 'skipped line 2: the line has 1073741824 bytes, more than the 64 MiB a record'"'"'s line may have' "$BATS_TEST_TMPDIR/err"
  peak=$(sed -n 's/^peak \([0-9]*\) kB$/\1/p' "$BATS_TEST_TMPDIR/err")
  [ "$peak" -lt 700000 ]  # the line is 1 GiB; the kept 64 MiB in a doubling buffer (and ASan's quarantine)
  run bash -c "{ echo '{\"a\":1}'; head -c 67108865 /dev/zero; } | kmap 2>'$BATS_TEST_TMPDIR/err'"
  [ "$status" -eq 3 ]
  [ "$output" = '{"a":1}' ]
  grep -F 'line 2: the line has 67108865 bytes, more than the 64 MiB' "$BATS_TEST_TMPDIR/err"
}

@test "-J envelopes round trip losslessly through kmap" {
  line='{"key":"k1","value":{"a":1,"b":"x"},"timestamp":1700000000000,"headers":[["h","1"],["h","2"],["n",null]],"topic":"src","partition":2,"offset":9}'
  run bash -c "echo '$line' | kmap -J -q"
  [ "$status" -eq 0 ]
  [ "$output" = "$line" ]
}

@test "-J rejects bare values instead of losing them" {
  run bash -c "head -1 '$DATA/clickevents.ndjson' | kmap -J"
  [ "$status" -eq 3 ]
  [[ "$output" == *"unknown field 'email'"* ]]
}

@test "--schema validates values" {
  schema="$BATS_TEST_TMPDIR/s.json"
  echo '{"type":"object","required":["number"],"properties":{"number":{"type":"integer","maximum":150}}}' > "$schema"
  run bash -c "kmap --schema '$schema' --on-error skip < '$DATA/clickevents.ndjson' 2>/dev/null | wc -l"
  expected=$(jq -c 'select(.number <= 150)' "$DATA/clickevents.ndjson" | wc -l)
  [ "$output" -eq "$expected" ]
  run bash -c "echo '{\"number\":200}' | kmap --schema '$schema'"
  [ "$status" -eq 3 ]
  [[ "$output" == *"schema violation: 'maximum' failed at #/number"* ]]
}

@test "--schema: a pattern is checked or the schema refused, never dropped; a schema that loops, names a member twice or lists a dependency that is not a name is refused, not a crash" {
  schema="$BATS_TEST_TMPDIR/s.json"
  echo '{"properties":{"uri":{"type":"string","pattern":"^/[a-z]+$"}}}' > "$schema"
  run bash -c "jq -c '{uri}' '$DATA/clickevents.ndjson' | kfilter true --schema '$schema' --on-error skip -q | wc -l"
  [ "$output" -eq "$(jq -c 'select(.uri | test("^/[a-z]+$"))' "$DATA/clickevents.ndjson" | wc -l)" ]
  [ "$output" -lt "$(wc -l < "$DATA/clickevents.ndjson")" ]  # the pattern refused some
  # RapidJSON's engine has no \d: the pattern used to be dropped and every value passed.
  echo '{"properties":{"n":{"type":"string","pattern":"^\\d+$"}}}' > "$schema"
  run bash -c "echo '{\"n\":\"abc\"}' | kfilter true --schema '$schema'"
  [ "$status" -eq 2 ]
  [[ "$output" == *"schema $schema: the pattern '^\\d+\$' at #/properties/n/pattern is not one the validator can check"*"write [0-9]"* ]]
  # A schema that applies itself to the same value overflowed the stack (exit 139).
  schema_refused '{"anyOf":[{"type":"null"},{"$ref":"#"}]}' "the \$ref '#' makes a loop"
  schema_refused '{"not":1}' "#/not is not a schema (a JSON object, or true or false)"
  # A schema dependency named twice: RapidJSON read a validator it never made (a crash, exit 139).
  schema_refused '{"dependencies":{"a":{"type":"object"},"a":{"required":["b"]}}}' \
    "the object at #/dependencies has the member 'a' twice (JSON parsers disagree on which one counts): write it once"
  # A property dependency of something not a name: RapidJSON read it as a string (exit 139).
  schema_refused '{"dependencies":{"a":[1]}}' "#/dependencies/a is not an array of property names (strings)"
}

# schema_refused SCHEMA MESSAGE: kfilter --schema with the JSON text SCHEMA (in $schema) is a usage
# error before any record, saying "schema FILE: MESSAGE".
schema_refused() {
  echo "$1" > "$schema"
  run bash -c "echo '{\"a\":1}' | kfilter true --schema '$schema'"
  [ "$status" -eq 2 ]
  [[ "$output" == *"schema $schema: $2"* ]]
}

@test "--schema: draft-07's const, contains, if/then/else and numeric exclusive bounds are checked; propertyNames too; patternProperties beside additionalProperties false does not crash; prefixItems refuses the schema" {
  schema="$BATS_TEST_TMPDIR/s.json"
  # RapidJSON's validator knows draft-04 and skipped these: every value passed.
  cat > "$schema" <<'JSON'
{"$schema":"http://json-schema.org/draft-07/schema#","properties":{
  "uri":{"const":"/help"},"number":{"exclusiveMinimum":50},
  "if":{"if":{"const":"x"},"then":false}}}
JSON
  run bash -c "kmap --schema '$schema' --on-error skip -q < '$DATA/clickevents.ndjson' | wc -l"
  [ "$output" -eq "$(jq -c 'select(.uri == "/help" and .number > 50)' "$DATA/clickevents.ndjson" | wc -l)" ]
  [ "$output" -gt 0 ]
  run bash -c "echo '{\"uri\":\"/help\",\"number\":50}' | kmap --schema '$schema'"
  [ "$status" -eq 3 ]
  [[ "$output" == *"schema violation: 'exclusiveMinimum' failed at #/number (schema #/properties/number)"* ]]
  run bash -c "echo '{\"uri\":\"/a\"}' | kmap --schema '$schema'"
  [ "$status" -eq 3 ]
  [[ "$output" == *"schema violation: 'const' failed at #/uri (schema #/properties/uri)"* ]]
  run bash -c "echo '{\"uri\":\"/help\",\"number\":60,\"if\":\"x\"}' | kmap --schema '$schema'"
  [ "$status" -eq 3 ]
  [[ "$output" == *"schema violation: 'if/then/else' failed at #/if (schema #/properties/if)"* ]]
  echo '{"properties":{"tags":{"contains":{"const":"x"}}}}' > "$schema"
  run bash -c "printf '%s\n' '{\"tags\":[\"y\",\"x\"]}' '{\"tags\":[\"y\"]}' | kfilter true --schema '$schema' --on-error skip"
  [ "$status" -eq 0 ]
  [[ "$output" == *'{"tags":["y","x"]}'* ]]
  [[ "$output" != *'{"tags":["y"]}'* ]]
  [[ "$output" == *"schema violation: 'contains' failed at #/tags (schema #/properties/tags)"* ]]
  # patternProperties beside "additionalProperties": false crashed RapidJSON 1.1 (exit 139) on a
  # name a pattern matched.
  echo '{"patternProperties":{"^x-":{"type":"string"}},"additionalProperties":false}' > "$schema"
  run bash -c "printf '%s\\n' '{\"x-a\":\"s\"}' '{\"x-b\":1}' '{\"y\":1}' | kfilter true --schema '$schema' --on-error skip"
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | grep -c '^{')" -eq 1 ]
  [[ "$output" == *'{"x-a":"s"}'* ]]
  [[ "$output" == *"'patternProperties' failed at #/x-b"* ]]
  [[ "$output" == *"'additionalProperties' failed at #/y (schema #/additionalProperties)"* ]]
  echo '{"propertyNames":{"maxLength":3}}' > "$schema"
  run bash -c "printf '%s\\n' '{\"abc\":1}' '{\"abcd\":1}' | kfilter true --schema '$schema' --on-error skip"
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | grep -c '^{')" -eq 1 ]
  [[ "$output" == *'{"abc":1}'* ]]
  [[ "$output" == *"schema violation: 'propertyNames' failed at # (the value) (schema #)"* ]]
  # A $ref through a member named "5" left RapidJSON 1.1's schema unset: a crash on the first value.
  echo '{"properties":{"5":{"if":{"type":"string"},"then":{"maxLength":1}}}}' > "$schema"
  run bash -c "printf '%s\\n' '{\"5\":\"a\"}' '{\"5\":\"ab\"}' | kfilter true --schema '$schema' --on-error skip"
  [ "$status" -eq 0 ]
  [[ "$output" == *'{"5":"a"}'* ]]
  [[ "$output" == *"'if/then/else' failed at #/5 (schema #/properties/5)"* ]]
  echo '{"definitions":{"5":{}},"not":{"$ref":"#/definitions/5"}}' > "$schema"
  run bash -c "echo '{}' | kfilter true --schema '$schema'"
  [ "$status" -eq 2 ]
  [[ "$output" == *"the \$ref '#/definitions/5' at #/not goes through the member named '5'"* ]]
  echo '{"properties":{"a":{"prefixItems":[{"type":"string"}]}}}' > "$schema"
  run bash -c "echo '{\"a\":1}' | kfilter true --schema '$schema'"
  [ "$status" -eq 2 ]
  [[ "$output" == *"schema $schema: 'prefixItems' at #/properties/a is a keyword of a JSON Schema draft after draft-04 that the validator cannot check"* ]]
}

@test "kgen is deterministic per seed and differs across seeds" {
  a=$(kgen clickevents -n 200 --seed 3 -q | md5sum)
  b=$(kgen clickevents -n 200 --seed 3 -q | md5sum)
  c=$(kgen clickevents -n 200 --seed 4 -q | md5sum)
  [ "$a" = "$b" ]
  [ "$a" != "$c" ]
}

@test "kgen click events have the seed data's shape" {
  run bash -c "kgen clickevents -n 1000 -q | jq -r '[(keys_unsorted|join(\",\")), (.number|type), (.timestamp|test(\"^2026-11-20T09:[0-9:.]+Z$\"))] | @tsv' | sort -u"
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf 'email,timestamp,uri,number\tnumber\ttrue')" ]
  # about 3 % of events are out of order
  late=$(kgen clickevents -n 10000 -q | jq -r .timestamp | awk 'prev > $0 {n++} {if ($0 > prev) prev = $0} END {print n+0}')
  [ "$late" -gt 150 ] && [ "$late" -lt 500 ]
}

@test "kgen taxi rides have the TLC columns and amounts that add up" {
  header=$(head -1 "$DATA/yellow_tripdata_sample.csv")
  run bash -c "kgen taxi -n 500 -q | jq -r 'keys_unsorted|join(\",\")' | sort -u"
  [ "$output" = "$header" ]
  bad=$(kgen taxi -n 500 -q | jq 'select(((.fare_amount + .extra + .mta_tax + .tip_amount + .tolls_amount + .improvement_surcharge + .congestion_surcharge) * 100 | round) != (.total_amount * 100 | round))' | wc -l)
  [ "$bad" -eq 0 ]
}

@test "kgen -J carries the event time as the record timestamp" {
  run bash -c "kgen clickevents -n 20 -J -q | jq -r '(.value.timestamp | sub(\"\\\\.[0-9]+Z$\"; \"Z\") | fromdate) == (.timestamp / 1000 | floor)' | sort -u"
  [ "$output" = "true" ]
}

@test "a closed stdout ends a tool quietly with exit 0" {
  run bash -c "kgen clickevents -q | head -3 >/dev/null; echo \${PIPESTATUS[0]}"
  [ "$output" = "0" ]
}

@test "SIGTERM stops a stdin pipeline cleanly with exit 0" {
  mkfifo "$BATS_TEST_TMPDIR/in"
  kmap -q < "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out" &
  pid=$!
  exec 4> "$BATS_TEST_TMPDIR/in"  # fd 3 belongs to bats
  echo '{"a":1}' >&4
  wait_until 10 grep -q a "$BATS_TEST_TMPDIR/out"
  kill -TERM $pid
  wait $pid
  exec 4>&-
  [ "$(cat "$BATS_TEST_TMPDIR/out")" = '{"a":1}' ]
}

@test "SIGTERM with stdout unread: after 5 s the stop says it waits for stdout's reader; a second SIGTERM stops at once (130)" {
  kgen clickevents -n 5000 --seed 3 -q > "$BATS_TEST_TMPDIR/in"  # ~500 KB, more than a pipe holds
  mkfifo "$BATS_TEST_TMPDIR/out"
  exec 4<> "$BATS_TEST_TMPDIR/out"  # a reader that reads nothing (fd 3 belongs to bats)
  kmap < "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err" &
  local pid=$!
  wait_until 20 grep -q pipe_write "/proc/$pid/wchan"  # its write waits for the reader
  kill -TERM "$pid"
  wait_until 20 grep -q "still stopping" "$BATS_TEST_TMPDIR/err"
  grep -qx "kmap: still stopping: writing the last records waits for the reader of stdout; a second Ctrl-C or SIGTERM stops at once (exit 130), and the records read but not yet written are not in the output" "$BATS_TEST_TMPDIR/err"
  kill -0 "$pid"  # still there: the notice came before the stop was done
  kill -TERM "$pid"
  local rc=0
  wait "$pid" || rc=$?
  exec 4<&-
  [ "$rc" -eq 130 ]
  grep -qx "kmap: error: stopped at once by a second signal (exit 130): the records read but not yet written are not in the output" "$BATS_TEST_TMPDIR/err"
}

@test "unknown flags exit 2 with a suggestion" {
  for t in kmap kgen kproduce kconsume kbroker; do
    run $t --exit-at-ned
    [ "$status" -eq 2 ]
    run $t --verbos
    [ "$status" -eq 2 ]
    [[ "$output" == *"did you mean '--verbose'"* ]]
  done
}

@test "--commit-interval takes a duration; anything else exits 2 naming the flag" {
  for bad in soon -1s 5x ''; do
    run kmap --commit-interval "$bad" </dev/null
    [ "$status" -eq 2 ]
    [[ "$output" == *"--commit-interval"* ]]
  done
  printf '{"a":1}\n' | kmap --commit-interval 250ms --drop a >"$BATS_TEST_TMPDIR/out"
  [ "$(cat "$BATS_TEST_TMPDIR/out")" = "{}" ]
}

@test "-X dump masks secrets and honours config precedence" {
  conf="$BATS_TEST_TMPDIR/k.conf"
  printf 'bootstrap.servers=fromfile:9092\nsasl.password=hunter2\nclient.id=c1\n' > "$conf"
  run kmap -F "$conf" -X dump
  [ "$status" -eq 0 ]
  [[ "$output" == *"bootstrap.servers=fromfile:9092"* ]]
  [[ "$output" == *"sasl.password=********"* ]]
  [[ "$output" != *hunter2* ]]
  run env KT_CONFIG="$conf" KT_BROKERS=env:1 kmap -X dump
  [[ "$output" == *"bootstrap.servers=env:1"* ]]
  [[ "$output" == *"client.id=c1"* ]]
  run env KT_CONFIG="$conf" KT_BROKERS=env:1 kmap -b flag:1 -X client.id=c2 -X dump
  [[ "$output" == *"bootstrap.servers=flag:1"* ]]
  [[ "$output" == *"client.id=c2"* ]]
}

@test "--profile NAME reads ~/.config/ktools/NAME.conf; a missing one is exit 2 naming the path" {
  home="$BATS_TEST_TMPDIR/home"
  mkdir -p "$home/.config/ktools"
  printf 'bootstrap.servers=prod:9093\nsasl.password=hunter2\n' > "$home/.config/ktools/prod.conf"
  printf 'bootstrap.servers=dev:9092\n' > "$home/.config/ktools/dev.conf"
  run env -u KT_BROKERS -u KT_CONFIG HOME="$home" kmap --profile prod -X dump
  [ "$status" -eq 0 ]
  [[ "$output" == *"config file $home/.config/ktools/prod.conf (profile prod)"* ]]
  [[ "$output" == *"bootstrap.servers=prod:9093"* ]]
  [[ "$output" != *hunter2* ]]
  run env -u KT_BROKERS -u KT_CONFIG HOME="$home" KT_PROFILE=dev kfilter true -X dump
  [[ "$output" == *"bootstrap.servers=dev:9092"* ]]
  run env -u KT_BROKERS -u KT_CONFIG HOME="$home" KT_PROFILE=dev kfilter true --profile prod -X dump
  [[ "$output" == *"bootstrap.servers=prod:9093"* ]]  # the flag beats the environment
  run env -u KT_BROKERS HOME="$home" kconsume t --profile staging
  [ "$status" -eq 2 ]
  [ "$output" = "kconsume: error: --profile 'staging': no file $home/.config/ktools/staging.conf (a profile is a config file there; -F names any other)" ]
  run env HOME="$home" kmap --profile prod -F "$home/.config/ktools/dev.conf" -X dump
  [ "$status" -eq 2 ]
  [[ "$output" == "kmap: error: --config excludes --profile"* ]]
}

@test "kmap --set, --key and steps in command-line order" {
  run bash -c "head -3 '$DATA/clickevents.ndjson' | kmap -q --set 'score=number * 0.5' --set 'big=score > 60' --drop email,timestamp --rename uri=path | jq -c ."
  [ "$output" = "$(head -3 "$DATA/clickevents.ndjson" | jq -c '{path: .uri, number, score: (.number * 0.5), big: (.number * 0.5 > 60)}')" ]
  # --key before --drop sees the field; the key rule turns numbers into text
  run bash -c "echo '{\"uri\":\"/a\",\"n\":7}' | kmap -J -q --key uri --drop uri < <(echo '{\"key\":null,\"value\":{\"uri\":\"/a\",\"n\":7}}')"
  [ "$output" = '{"key":"/a","value":{"n":7},"timestamp":null}' ]
  run bash -c "echo '{\"key\":\"k\",\"value\":{\"n\":7}}' | kmap -J -q --key 'n * 2'"
  [ "$output" = '{"key":"14","value":{"n":7},"timestamp":null}' ]
  run bash -c "echo '{\"key\":\"k\",\"value\":{\"n\":7}}' | kmap -J -q --key 'missing'"
  [ "$output" = '{"key":null,"value":{"n":7},"timestamp":null}' ]
}

@test "kmap --set with a bad expression exits 2 with a caret" {
  run kmap --set 'x=(1 +'
  [ "$status" -eq 2 ]
  [[ "${lines[0]}" == "kmap: error: --set x: invalid expression at column 5: expected an operand"* ]]
  [ "${lines[2]}" = "      ^" ]
}

@test "kbatch on stdin: --within writes a partial batch on time" {
  mkfifo "$BATS_TEST_TMPDIR/in"
  kbatch --max 10 --within 200ms --by k -q < "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out" &
  pid=$!
  exec 4> "$BATS_TEST_TMPDIR/in"
  printf '%s\n' '{"k":1,"i":1}' '{"k":2,"i":2}' '{"k":1,"i":3}' >&4
  two() { [ "$(wc -l < "$BATS_TEST_TMPDIR/out")" -eq 2 ]; }
  wait_until 10 two
  exec 4>&-
  wait $pid
  diff <(jq -c 'map(.i)' "$BATS_TEST_TMPDIR/out" | sort) - <<'EXPECTED'
[1,3]
[2]
EXPECTED
}

@test "kbatch on stdin: SIGTERM writes the open batches before it exits" {
  mkfifo "$BATS_TEST_TMPDIR/in"
  kbatch --max 2 --by k -q < "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out" &
  pid=$!
  exec 4> "$BATS_TEST_TMPDIR/in"
  # Key 2's full batch, written at once, shows that record 1 (before it) was read.
  printf '%s\n' '{"k":1,"i":1}' '{"k":2,"i":2}' '{"k":2,"i":3}' >&4
  wait_until 10 grep -q 3 "$BATS_TEST_TMPDIR/out"
  kill -TERM $pid
  wait $pid
  exec 4>&-
  [ "$(jq -c 'map(.i)' "$BATS_TEST_TMPDIR/out" | tr '\n' ' ')" = "[2,3] [1] " ]
}

@test "--stats json: one JSON line on stderr with the counts, the tool's counters and the exit status, even with -q" {
  run --separate-stderr kfilter 'a > 1' --on-error skip --stats json -q < <(printf '%s\n' '{"a":1}' '{"a":2}' '{broken')
  [ "$status" -eq 0 ]
  [ "$output" = '{"a":2}' ]
  [ "$(echo "$stderr" | jq -c 'del(.duration_ms, .records_per_s)')" = '{"tool":"kfilter","in":3,"out":1,"skipped":1,"dead_lettered":0,"delivery_errors":0,"bytes_in":21,"filtered":1,"lag":null,"exit":0}' ]
  run --separate-stderr kmap --drop x --stats json < <(printf '%s\n' '{"a":1}' '{broken')
  [ "$status" -eq 3 ]
  [ "$(echo "$stderr" | grep '^{' | jq -c '[.in, .out, .exit]')" = '[2,1,3]' ]
  run kmap --stats yaml
  [ "$status" -eq 2 ]
}

@test "the progress line: on a terminal, stderr shows the running counts" {
  mkfifo "$BATS_TEST_TMPDIR/in"
  # A run that lasts over the 500 ms between progress lines, on a pseudo-terminal.
  { echo '{"a":1}'; sleep 1.2; echo '{"a":2}'; } > "$BATS_TEST_TMPDIR/in" &
  run script -qec "$KT_BIN/kmap --drop x < $BATS_TEST_TMPDIR/in > /dev/null" /dev/null
  [ "$status" -eq 0 ]
  [[ "$output" == *$'\r\e[Kkmap: 1 in, 1 out, 0 skipped, 0 dead-lettered, '* ]]
  [[ "$output" == *"kmap: 2 in, 2 out, 0 skipped, 0 dead-lettered"* ]]
}
