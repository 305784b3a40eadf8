#!/usr/bin/env bats
# The protobuf format through a real Schema Registry (Apicurio, started once by scripts/test),
# checked both ways against Confluent's own Protobuf serializers (confluent-kafka, PyPI), whose
# message classes protoc builds from the same .proto files (not ktools' parser).

load helpers

PROTO="$BATS_TEST_DIRNAME/../data/protobuf"

# protoc's descriptors for a .proto under tests/data/protobuf.
descriptors() { protoc -I "$PROTO" --include_imports --descriptor_set_out="$BATS_TEST_TMPDIR/$1.desc" "$1"; }
proto_values() { kconsume "$1" --value-format protobuf --registry "$REG" -e -q; }

@test "protobuf: kproduce writes what Confluent's deserializer reads, every kind of field; kconsume reads it back" {
  need_registry
  t=$(new_topic all)
  run kproduce "$t" "$PROTO/everything.ndjson" --value-format protobuf --value-schema "$PROTO/everything.proto" \
    --registry "$REG" --partitions 1
  [ "$status" -eq 0 ]
  descriptors everything.proto
  # Map entries have no order: compare objects with sorted keys.
  diff <(kconsume "$t" --value-format binary -e -q |
    serde decode-proto "$t" "$BATS_TEST_TMPDIR/everything.proto.desc" ktools.test.Everything | jq -S -c .) \
    <(jq -S -c . "$PROTO/everything.ndjson")
  # ktools prints exactly the canonical JSON it was given (64-bit integers as strings, enums by name).
  diff <(proto_values "$t") "$PROTO/everything.ndjson"
  curl -sf "$REG/subjects/$t-value/versions/latest" | jq -e '.schemaType == "PROTOBUF" and (.schema | contains("message Everything"))'
  # The first message: message indexes [0], written as the single byte 0 after the schema id.
  kconsume "$t" --value-format binary -e -q -n 1 | base64 -d | od -An -tx1 -j5 -N1 | grep -qx ' 00'
}

@test "protobuf: kconsume reads what Confluent's serializer wrote, also a nested and a second message" {
  need_registry
  t=$(new_topic fromconfluent)
  kproduce "$t" --value-format protobuf --value-schema "$PROTO/everything.proto" --registry "$REG" \
    --partitions 1 -q <<<'{"uri":"/registered"}'
  descriptors everything.proto
  desc="$BATS_TEST_TMPDIR/everything.proto.desc"
  serde encode-proto "$t" "$desc" ktools.test.Everything <"$PROTO/everything.ndjson" |
    kproduce "$t" --value-format binary -q
  # Message indexes [1] (Other) and [0, 1] (Everything.Geo).
  echo '{"name":"second"}' | serde encode-proto "$t" "$desc" ktools.test.Other | kproduce "$t" --value-format binary -q
  echo '{"country":"PT","lat":38.7}' | serde encode-proto "$t" "$desc" ktools.test.Everything.Geo |
    kproduce "$t" --value-format binary -q
  run proto_values "$t"
  [ "$status" -eq 0 ]
  diff <(echo "$output" | tail -n +2 | jq -S -c .) \
    <(jq -S -c . "$PROTO/everything.ndjson"; echo '{"name":"second"}'; echo '{"country":"PT","lat":38.7}')
}

@test "protobuf: kfilter writes with the schema it read; kmap with a new .proto; Confluent reads both" {
  need_registry
  in=$(new_topic clicks); out=$(new_topic big); mapped=$(new_topic mapped)
  head -500 "$DATA/clickevents.ndjson" >"$BATS_TEST_TMPDIR/in.ndjson"
  kproduce "$in" "$BATS_TEST_TMPDIR/in.ndjson" --value-format protobuf --value-schema "$PROTO/clickevent.proto" \
    --registry "$REG" --partitions 1 -q
  run kfilter -i "$in" -o "$out" 'number >= 100 and uri ~ "^/c"' --value-format protobuf --registry "$REG" -e -q
  [ "$status" -eq 0 ]
  descriptors clickevent.proto
  diff <(kconsume "$out" --value-format binary -e -q |
    serde decode-proto "$out" "$BATS_TEST_TMPDIR/clickevent.proto.desc" ktools.demo.ClickEvent) \
    <(jq -c 'select(.number >= 100 and (.uri | test("^/c")))' "$BATS_TEST_TMPDIR/in.ndjson")
  [ "$(curl -sf "$REG/subjects/$out-value/versions/latest" | jq -r .schema)" = \
    "$(curl -sf "$REG/subjects/$in-value/versions/latest" | jq -r .schema)" ]
  # Another schema for the output (the message renamed: another id). The source built only the
  # filter's documents, so every record's text is made from its bytes here and encoded again.
  sed 's/message ClickEvent/message Click2/' "$PROTO/clickevent.proto" >"$BATS_TEST_TMPDIR/click2.proto"
  out2=$(new_topic big2)
  run kfilter -i "$in" -o "$out2" 'number >= 100 and uri ~ "^/c"' --value-format protobuf --registry "$REG" \
    --value-schema "$BATS_TEST_TMPDIR/click2.proto" -e -q
  [ "$status" -eq 0 ]
  [ "$(value_schema_id "$out2")" != "$(value_schema_id "$in")" ]
  protoc -I "$BATS_TEST_TMPDIR" --descriptor_set_out="$BATS_TEST_TMPDIR/click2.desc" click2.proto
  diff <(kconsume "$out2" --value-format binary -e -q |
    serde decode-proto "$out2" "$BATS_TEST_TMPDIR/click2.desc" ktools.demo.Click2) \
    <(jq -c 'select(.number >= 100 and (.uri | test("^/c")))' "$BATS_TEST_TMPDIR/in.ndjson")
  cat >"$BATS_TEST_TMPDIR/short.proto" <<'P'
syntax = "proto3";
message Short { string uri = 1; int64 n = 2; }
P
  run kmap -i "$in" -o "$mapped" --set 'n=number * 2' --keep uri,n -e --value-format protobuf --registry "$REG" \
    --value-schema "$BATS_TEST_TMPDIR/short.proto" -q
  [ "$status" -eq 0 ]
  protoc -I "$BATS_TEST_TMPDIR" --descriptor_set_out="$BATS_TEST_TMPDIR/short.desc" short.proto
  diff <(kconsume "$mapped" --value-format binary -e -q | serde decode-proto "$mapped" "$BATS_TEST_TMPDIR/short.desc" Short) \
    <(jq -c '{uri: .uri, n: (.number * 2 | tostring)}' "$BATS_TEST_TMPDIR/in.ndjson")
}

@test "protobuf: ktable reads Protobuf on 3 partitions and writes its table with a .proto; Confluent reads it" {
  need_registry
  in=$(new_topic clicks); out=$(new_topic stats)
  head -2000 "$DATA/clickevents.ndjson" >"$BATS_TEST_TMPDIR/in.ndjson"
  kproduce "$in" "$BATS_TEST_TMPDIR/in.ndjson" --value-format protobuf --value-schema "$PROTO/clickevent.proto" \
    --registry "$REG" --partitions 3 --key-field email -q
  run ktable -i "$in" --by uri --agg count --agg 'sum(number)' -o "$out" --value-format protobuf --registry "$REG" \
    --value-schema "$PROTO/uri_stats.proto" -G "$(new_topic g)" --state-dir "$BATS_TEST_TMPDIR/state" -e -q
  [ "$status" -eq 0 ]
  descriptors uri_stats.proto
  # The last update per key, as Confluent's deserializer reads it, is the table.
  kconsume "$out" --value-format binary -e -q -J >"$BATS_TEST_TMPDIR/out.json"
  paste -d ' ' <(jq -r .key "$BATS_TEST_TMPDIR/out.json") \
    <(jq -r .value "$BATS_TEST_TMPDIR/out.json" | serde decode-proto "$out" "$BATS_TEST_TMPDIR/uri_stats.proto.desc" ktools.demo.UriStats |
      jq -c '[(.count | tonumber), (.sum_number | tonumber)]') |
    awk '{ last[$1] = $2 } END { for (k in last) print k, last[k] }' | sort >"$BATS_TEST_TMPDIR/got"
  diff "$BATS_TEST_TMPDIR/got" \
    <(jq -s -r 'group_by(.uri) | map("\(.[0].uri) [\(length),\(map(.number) | add)]") | .[]' "$BATS_TEST_TMPDIR/in.ndjson" | sort)
}

@test "protobuf: kjoin enriches a Protobuf stream with a Protobuf global table" {
  need_registry
  clicks=$(new_topic clicks); users=$(new_topic users)
  head -300 "$DATA/clickevents.ndjson" >"$BATS_TEST_TMPDIR/in.ndjson"
  jq -c 'select(.number % 2 == 0) | {email: .email, plan: (if .number % 4 == 0 then "PRO" else "FREE" end)}' \
    "$BATS_TEST_TMPDIR/in.ndjson" | jq -s -c 'unique_by(.email) | .[]' >"$BATS_TEST_TMPDIR/users.ndjson"
  kproduce "$users" "$BATS_TEST_TMPDIR/users.ndjson" --key-field email --value-format protobuf \
    --value-schema "$PROTO/user.proto" --registry "$REG" --partitions 1 -q
  kproduce "$clicks" "$BATS_TEST_TMPDIR/in.ndjson" --value-format protobuf --value-schema "$PROTO/clickevent.proto" \
    --registry "$REG" --partitions 1 -q
  run kjoin -i "$clicks" --global "$users" --on email --join left --merge -o - --value-format protobuf \
    --registry "$REG" --store memory -e -q
  [ "$status" -eq 0 ]
  diff <(echo "$output" | jq -c '[.email, .number, .plan]') \
    <(jq -c -n --slurpfile u "$BATS_TEST_TMPDIR/users.ndjson" \
      'inputs | . as $c | [.email, .number, ($u | map(select(.email == $c.email)) | .[0].plan)]' \
      "$BATS_TEST_TMPDIR/in.ndjson")
}

@test "protobuf: two schema versions, both directions: Confluent's v2 read as v1 by ktools, ktools' v1 read as v2" {
  need_registry
  t=$(new_topic evolve)
  head -20 "$DATA/clickevents.ndjson" >"$BATS_TEST_TMPDIR/v1.ndjson"
  # ktools writes v1; Confluent's deserializer with v2's class reads it: the added field at its default.
  kproduce "$t" "$BATS_TEST_TMPDIR/v1.ndjson" --value-format protobuf --value-schema "$PROTO/clickevent.proto" \
    --registry "$REG" --partitions 1 -q
  descriptors clickevent_v2.proto
  diff <(kconsume "$t" --value-format binary -e -q |
    serde decode-proto "$t" "$BATS_TEST_TMPDIR/clickevent_v2.proto.desc" ktools.demo.ClickEvent) \
    <(jq -c '{email, timestamp, uri, clicks: .number, country: ""}' "$BATS_TEST_TMPDIR/v1.ndjson")
  # v2 becomes the subject's latest; Confluent's serializer writes v2 records with it.
  echo '{"email":"x@y","clicks":1,"country":"PT"}' | kproduce "$t" --value-format protobuf \
    --value-schema "$PROTO/clickevent_v2.proto" --registry "$REG" -q
  jq -c '{email, timestamp, uri, clicks: .number, country: "NL"}' "$BATS_TEST_TMPDIR/v1.ndjson" |
    serde encode-proto "$t" "$BATS_TEST_TMPDIR/clickevent_v2.proto.desc" ktools.demo.ClickEvent |
    kproduce "$t" --value-format binary -q
  # ktools reads all 41 as v1 (fields by number: clicks is number, country is dropped), and each as written.
  diff <(kconsume "$t" --value-format protobuf --value-reader-schema "$PROTO/clickevent.proto" --registry "$REG" -e -q) \
    <(cat "$BATS_TEST_TMPDIR/v1.ndjson"; echo '{"email":"x@y","timestamp":"","uri":"","number":1}'; cat "$BATS_TEST_TMPDIR/v1.ndjson")
  kconsume "$t" --value-format protobuf --registry "$REG" -e -q --from offset:20 -n 2 |
    jq -s -e '.[0] == {email: "x@y", timestamp: "", uri: "", clicks: 1, country: "PT"} and .[1].country == "NL"'
}

@test "protobuf: a value that does not fit names the field; bad bytes are bad records at their offset; nothing lost" {
  need_registry
  t=$(new_topic mixed)
  run --separate-stderr kproduce "$t" --value-format protobuf --value-schema "$PROTO/clickevent.proto" \
    --registry "$REG" --partitions 1 --on-error skip <<'J'
{"email":"a@x","uri":"/ok","number":1}
{"email":"b@x","uri":5}
{"email":"c@x","nubmer":2}
{"email":"d@x","number":"many"}
{"email":"e@x","uri":"/ok2","number":2}
J
  [ "$status" -eq 0 ]
  [[ "$stderr" == *"line 2: "*"ktools.demo.ClickEvent: at uri: expected a string, got a number"* ]]
  [[ "$stderr" == *"line 3: "*"at nubmer: ktools.demo.ClickEvent has no such field"* ]]
  [[ "$stderr" == *"line 4: "*"at number: 'many' is not an integer"* ]]
  # Bytes that are not this format: plain JSON, a message index the file does not have, a cut message.
  printf '{"a":1}\n' | kproduce "$t" --value-format raw -q
  id=$(curl -sf "$REG/subjects/$t-value/versions/latest" | jq .id)
  printf '\0\0\0\0%b\x02\x0a' "\\x$(printf %02x "$id")" | base64 -w0 | kproduce "$t" --value-format binary -q
  printf '\0\0\0\0%b\x00\x0a\x09/cut' "\\x$(printf %02x "$id")" | base64 -w0 | kproduce "$t" --value-format binary -q
  run kconsume "$t" --value-format protobuf --registry "$REG" -e -q
  [ "$status" -eq 3 ]
  [[ "$output" == *"topic $t partition 0 offset 2: value: not Confluent's wire format: the first byte is 123, not 0"* ]]
  run --separate-stderr kconsume "$t" --value-format protobuf --registry "$REG" -e --on-error skip
  [ "$status" -eq 0 ]
  diff <(echo "$output") - <<'J'
{"email":"a@x","timestamp":"","uri":"/ok","number":1}
{"email":"e@x","timestamp":"","uri":"/ok2","number":2}
J
  [[ "$stderr" == *"offset 3: value: Protobuf (schema id $id): message index 5 names no message in the schema's file"* ]]
  [[ "$stderr" == *"offset 4: value: Protobuf (schema id $id): not a ktools.demo.ClickEvent message"* ]]
  [[ "$stderr" == *"3 skipped"* ]]
}

@test "protobuf: a bad .proto or an import ktools cannot resolve is exit 2 naming the line or the import" {
  need_registry
  printf 'syntax = "proto3";\nmessage A {\n  strin x = 1;\n}\n' >"$BATS_TEST_TMPDIR/bad.proto"
  run kproduce "$(new_topic t)" --value-format protobuf --value-schema "$BATS_TEST_TMPDIR/bad.proto" --registry "$REG" </dev/null
  [ "$status" -eq 2 ]
  [[ "$output" == *"bad.proto: A.x: \"strin\" is not defined"* ]]
  printf 'syntax = "proto3";\nmessage A {\n  string x = 1\n}\n' >"$BATS_TEST_TMPDIR/syntax.proto"
  run kproduce "$(new_topic t)" --value-format protobuf --value-schema "$BATS_TEST_TMPDIR/syntax.proto" --registry "$REG" </dev/null
  [ "$status" -eq 2 ]
  [[ "$output" == *"syntax.proto: not a .proto schema: line 4:1: Expected \";\"."* ]]
  printf 'syntax = "proto3";\nimport "other.proto";\nmessage A { string x = 1; }\n' >"$BATS_TEST_TMPDIR/imp.proto"
  run kproduce "$(new_topic t)" --value-format protobuf --value-schema "$BATS_TEST_TMPDIR/imp.proto" --registry "$REG" </dev/null
  [ "$status" -eq 2 ]
  [[ "$output" == *"imports \"other.proto\""*"schema references are not supported"* ]]
  # protobuf is not chained, and --value-reader-schema is for avro and protobuf only.
  run kconsume "$(new_topic t)" --value-format 'protobuf|binary' --registry "$REG" -e
  [ "$status" -eq 2 ]
  run kconsume "$(new_topic t)" --value-format jsonschema --value-reader-schema id:1 --registry "$REG" -e
  [ "$status" -eq 2 ]
  [[ "$output" == *"--value-reader-schema is for --value-format avro or protobuf"* ]]
}
