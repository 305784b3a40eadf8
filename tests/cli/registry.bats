#!/usr/bin/env bats
# The avro format through a real Schema Registry (Apicurio, Confluent's API, started once by
# scripts/test), checked both ways against Confluent's own serializers (confluent-kafka, PyPI).

load helpers

AVRO="$BATS_TEST_DIRNAME/../data/avro"

# The topic's values as JSON lines, in offset order (one partition), read as avro.
avro_values() { kconsume "$1" --value-format avro --registry "$REG" -e -q; }

@test "registry: kproduce writes Avro that Confluent's deserializer reads, every type and logical type" {
  need_registry
  t=$(new_topic all)
  run kproduce "$t" "$AVRO/everything.ndjson" --value-format avro --value-schema "$AVRO/everything.avsc" \
    --registry "$REG" --partitions 1
  [ "$status" -eq 0 ]
  # Confluent's AvroDeserializer, on the bytes as they are on the topic.
  diff <(kconsume "$t" --value-format binary -e -q | serde decode "$t") "$AVRO/everything.ndjson"
  # ktools reads them back the same.
  diff <(avro_values "$t") "$AVRO/everything.ndjson"
  # The schema is registered under the topic's subject (TopicNameStrategy).
  curl -sf "$REG/subjects/$t-value/versions/latest" | jq -e '.id > 0'
}

@test "registry: kconsume reads what Confluent's serializer wrote" {
  need_registry
  t=$(new_topic fromconfluent)
  serde encode "$t" "$AVRO/everything.avsc" <"$AVRO/everything.ndjson" |
    kproduce "$t" --value-format binary --partitions 1 -q
  diff <(avro_values "$t") "$AVRO/everything.ndjson"
  # -J envelopes carry the decoded value as JSON.
  kconsume "$t" --value-format avro --registry "$REG" -e -q -J -n 1 | jq -e '.value.e == "GREEN" and .value.multi.x == 5'
}

@test "registry: kfilter and kmap over an Avro topic; output with the schema read, or with --value-schema" {
  need_registry
  in=$(new_topic clicks); out=$(new_topic big); mapped=$(new_topic mapped)
  head -500 "$DATA/clickevents.ndjson" | jq -c '. + {source: "web"}' >"$BATS_TEST_TMPDIR/in.ndjson"
  kproduce "$in" "$BATS_TEST_TMPDIR/in.ndjson" --value-format avro --value-schema "$AVRO/click.avsc" \
    --registry "$REG" --partitions 1 -q
  # No schema for the output: it is written with the schema its records were read with.
  run kfilter -i "$in" -o "$out" 'number >= 100 and source == "web"' --value-format avro --registry "$REG" -e
  [ "$status" -eq 0 ]
  diff <(kconsume "$out" --value-format binary -e -q | serde decode "$out") \
    <(jq -c 'select(.number >= 100)' "$BATS_TEST_TMPDIR/in.ndjson")
  diff <(curl -sf "$REG/subjects/$out-value/versions/latest" | jq -c '.schema | fromjson') \
    <(curl -sf "$REG/subjects/$in-value/versions/latest" | jq -c '.schema | fromjson')
  # Another schema for the output (the record renamed: another id). The source built only the
  # filter's documents, so every record's text is made from its bytes here and encoded again.
  jq -c '.name = "Click2"' "$AVRO/click.avsc" >"$BATS_TEST_TMPDIR/click2.avsc"
  out2=$(new_topic big2)
  run kfilter -i "$in" -o "$out2" 'number >= 100 and source == "web"' --value-format avro --registry "$REG" \
    --value-schema "$BATS_TEST_TMPDIR/click2.avsc" -e -q
  [ "$status" -eq 0 ]
  [ "$(value_schema_id "$out2")" != "$(value_schema_id "$in")" ]
  diff <(kconsume "$out2" --value-format binary -e -q | serde decode "$out2") \
    <(jq -c 'select(.number >= 100)' "$BATS_TEST_TMPDIR/in.ndjson")
  # A new shape with its own schema.
  cat >"$BATS_TEST_TMPDIR/short.avsc" <<'EOF'
{"type":"record","name":"Short","fields":[{"name":"uri","type":"string"},{"name":"n","type":"long"}]}
EOF
  run kmap -i "$in" -o "$mapped" --set 'n=number * 2' --keep uri,n -e --value-format avro --registry "$REG" \
    --value-schema "$BATS_TEST_TMPDIR/short.avsc" -q
  [ "$status" -eq 0 ]
  diff <(kconsume "$mapped" --value-format binary -e -q | serde decode "$mapped") \
    <(jq -c '{uri: .uri, n: (.number * 2)}' "$BATS_TEST_TMPDIR/in.ndjson")
}

@test "registry: ktable over an Avro topic on 3 partitions equals a recomputation" {
  need_registry
  in=$(new_topic clicks); out=$(new_topic counts)
  head -2000 "$DATA/clickevents.ndjson" >"$BATS_TEST_TMPDIR/in.ndjson"
  kproduce "$in" "$BATS_TEST_TMPDIR/in.ndjson" --value-format avro --value-schema "$AVRO/click.avsc" \
    --registry "$REG" --partitions 3 --key-field email -q
  run ktable -i "$in" --by uri --agg count --agg 'sum(number)' -o - --value-format avro --registry "$REG" \
    -G "$(new_topic g)" --state-dir "$BATS_TEST_TMPDIR/state" -e -J -q
  [ "$status" -eq 0 ]
  # The last update per key is the table.
  diff <(echo "$output" | jq -c '[.key, .value.count, .value.sum_number]' | jq -s -c 'reverse | unique_by(.[0]) | .[]') \
    <(jq -s -c 'group_by(.uri) | map([.[0].uri, length, (map(.number) | add)]) | .[]' "$BATS_TEST_TMPDIR/in.ndjson")
}

@test "registry: ktable writes its table as Avro with the schema given; Confluent's deserializer reads it" {
  need_registry
  in=$(new_topic clicks); out=$(new_topic stats)
  head -1000 "$DATA/clickevents.ndjson" >"$BATS_TEST_TMPDIR/in.ndjson"
  kproduce "$in" "$BATS_TEST_TMPDIR/in.ndjson" --value-format avro --value-schema "$AVRO/click.avsc" \
    --registry "$REG" --partitions 2 -q
  run ktable -i "$in" --by uri --agg count --agg 'sum(number)' -o "$out" --value-format avro --registry "$REG" \
    --value-schema "$AVRO/uri_stats.avsc" --state-dir "$BATS_TEST_TMPDIR/state" -e -q
  [ "$status" -eq 0 ]
  # The last update per key, as ktools and as Confluent's deserializer read it, is the table.
  kconsume "$out" --value-format avro --registry "$REG" -e -q -J >"$BATS_TEST_TMPDIR/out.json"
  diff <(jq -c '[.key, .value.count, .value.sum_number]' "$BATS_TEST_TMPDIR/out.json" | jq -s -c 'reverse | unique_by(.[0]) | .[]') \
    <(jq -s -c 'group_by(.uri) | map([.[0].uri, length, (map(.number) | add)]) | .[]' "$BATS_TEST_TMPDIR/in.ndjson")
  diff <(kconsume "$out" --value-format binary -e -q -J | jq -r .value | serde decode "$out" | sort) \
    <(jq -c .value "$BATS_TEST_TMPDIR/out.json" | sort)
  curl -sf "$REG/subjects/$out-value/versions/latest" | jq -e '.schema | fromjson | .name == "UriStats"'
}

@test "registry: kjoin enriches an Avro stream with an Avro global table" {
  need_registry
  clicks=$(new_topic clicks); users=$(new_topic users)
  head -300 "$DATA/clickevents.ndjson" >"$BATS_TEST_TMPDIR/in.ndjson"
  jq -c 'select(.number % 2 == 0) | {email: .email, plan: (if .number % 4 == 0 then "PRO" else "FREE" end)}' \
    "$BATS_TEST_TMPDIR/in.ndjson" | jq -s -c 'unique_by(.email) | .[]' >"$BATS_TEST_TMPDIR/users.ndjson"
  kproduce "$users" "$BATS_TEST_TMPDIR/users.ndjson" --key-field email --value-format avro \
    --value-schema "$AVRO/user.avsc" --registry "$REG" --partitions 1 -q
  kproduce "$clicks" "$BATS_TEST_TMPDIR/in.ndjson" --value-format avro --value-schema "$AVRO/click.avsc" \
    --registry "$REG" --partitions 1 -q
  run kjoin -i "$clicks" --global "$users" --on email --join left --merge -o - --value-format avro \
    --registry "$REG" --store memory -e -q
  [ "$status" -eq 0 ]
  diff <(echo "$output" | jq -c '[.email, .number, .plan]') \
    <(jq -c -n --slurpfile u "$BATS_TEST_TMPDIR/users.ndjson" \
      'inputs | . as $c | [.email, .number, ($u | map(select(.email == $c.email)) | .[0].plan)]' \
      "$BATS_TEST_TMPDIR/in.ndjson")
}

@test "registry: bad Avro records are bad records at their offset: exit 3, or skipped, nothing lost" {
  need_registry
  t=$(new_topic mixed)
  head -3 "$DATA/clickevents.ndjson" >"$BATS_TEST_TMPDIR/good.ndjson"
  kproduce "$t" "$BATS_TEST_TMPDIR/good.ndjson" --value-format avro --value-schema "$AVRO/click.avsc" \
    --registry "$REG" --partitions 1 -q
  id=$(curl -sf "$REG/subjects/$t-value/versions/latest" | jq .id)
  # A JSON value (wrong magic byte), an unknown schema id, a truncated payload.
  printf '{"a":1}\n' | kproduce "$t" --value-format raw -q
  printf 'AAAAJxAA\n' | kproduce "$t" --value-format binary -q
  kconsume "$t" --value-format binary -e -q -n 1 | base64 -d | head -c 9 | base64 -w0 |
    kproduce "$t" --value-format binary -q
  head -1 "$BATS_TEST_TMPDIR/good.ndjson" | kproduce "$t" --value-format avro --registry "$REG" --value-schema "id:$id" -q
  run kconsume "$t" --value-format avro --registry "$REG" -e -q
  [ "$status" -eq 3 ]
  [[ "$output" == *"topic $t partition 0 offset 3: value: not Confluent's wire format: the first byte is 123, not 0"* ]]
  run --separate-stderr kconsume "$t" --value-format avro --registry "$REG" -e --on-error skip
  [ "$status" -eq 0 ]
  diff <(echo "$output") <(cat "$BATS_TEST_TMPDIR/good.ndjson" <(head -1 "$BATS_TEST_TMPDIR/good.ndjson") |
    jq -c '. + {source: null}')
  [[ "$stderr" == *"unknown schema id 10000"* ]]
  [[ "$stderr" == *"past the end of the payload"* || "$stderr" == *"truncated"* ]]
  [[ "$stderr" == *"3 skipped"* ]]
}

@test "registry: a value that does not fit the schema is a bad record naming the field" {
  need_registry
  t=$(new_topic fit)
  run kproduce "$t" --value-format avro --value-schema "$AVRO/click.avsc" --registry "$REG" --partitions 1 <<'EOF'
{"email":"a@x","timestamp":"t","uri":"/","number":1}
{"email":"b@x","timestamp":"t","uri":"/","number":"many"}
EOF
  [ "$status" -eq 3 ]
  [[ "$output" == *"line 2"* ]]
  [[ "$output" == *"at number: expected a long, got a string"* ]]
  run kproduce "$t" --value-format avro --value-schema "$AVRO/click.avsc" --registry "$REG" --on-error skip <<'EOF'
{"email":"c@x","timestamp":"t","uri":"/"}
{"email":"d@x","timestamp":"t","uri":"/","number":4}
EOF
  [ "$status" -eq 0 ]
  [[ "$output" == *"at number: missing, and the schema gives no default"* ]]
  diff <(avro_values "$t" | jq -c '[.email, .source]') - <<'EXPECTED'
["a@x",null]
["d@x",null]
EXPECTED
}

@test "registry: usage and registry errors in words: no registry, unknown subject, incompatible schema, unreachable" {
  need_registry
  t=$(new_topic err)
  run kconsume "$t" --value-format avro -e
  [ "$status" -eq 2 ]
  [[ "$output" == *"the avro, protobuf and jsonschema formats need a Schema Registry: --registry URL, \$KT_REGISTRY"* ]]
  run kfilter -i - -o - 'true' --value-schema x.avsc
  [ "$status" -eq 2 ]
  [[ "$output" == *"--value-schema is for --value-format avro, protobuf or jsonschema"* ]]
  run kproduce "$t" --value-format avro --value-schema "$BATS_TEST_DIRNAME/helpers.bash" --registry "$REG" </dev/null
  [ "$status" -eq 2 ]
  [[ "$output" == *"helpers.bash: Avro schema: not JSON"* ]]
  # No --value-schema and nothing under the subject: a value that is not an object cannot give
  # a schema; an object gives one, said once.
  run kproduce "$t" --value-format avro --registry "$REG" <<<'[1]'
  [ "$status" -ne 0 ]
  [[ "$output" == *"cannot infer an Avro schema from a value that is not a JSON object: give --value-schema FILE"* ]]
  inf=$(new_topic inferred)
  run --separate-stderr kproduce "$inf" --value-format avro --registry "$REG" --partitions 1 <<'EOF'
{"a":1,"b":"x","c":{"d":[true]}}
{"a":2.5}
EOF
  [ "$status" -eq 0 ]
  [[ "$stderr" == *"no schema for subject '$inf-value': registered one inferred from the first record"* ]]
  diff <(avro_values "$inf") - <<'EXPECTED'
{"a":1,"b":"x","c":{"d":[true]}}
{"a":2.5,"b":null,"c":null}
EXPECTED
  # An incompatible second version: the registry's own words (Apicurio's default rules allow
  # anything, so the subject is given a BACKWARD rule first).
  echo '{"email":"a@x","timestamp":"t","uri":"/","number":1}' |
    kproduce "$t" --value-format avro --value-schema "$DATA/avro/click.avsc" --registry "$REG" -q
  curl -sf -X PUT -H 'Content-Type: application/json' -d '{"compatibility":"BACKWARD"}' "$REG/config/$t-value" >/dev/null
  echo '{"type":"record","name":"Click","namespace":"ktools.demo","fields":[{"name":"email","type":"long"}]}' >"$BATS_TEST_TMPDIR/bad.avsc"
  run kproduce "$t" --value-format avro --value-schema "$BATS_TEST_TMPDIR/bad.avsc" --registry "$REG" <<<'{"email":1}'
  [ "$status" -ne 0 ]
  [[ "$output" == *"incompatible schema"* ]]
  # Unreachable: an answer within the 5 s timeout, naming the URL.
  port=$(free_port)
  start=$SECONDS
  run kconsume "$t" --value-format avro --registry "http://127.0.0.1:$port" -e
  [ "$status" -ne 0 ]
  [ $((SECONDS - start)) -lt 15 ]
  [[ "$output" == *"schema registry at http://127.0.0.1:$port is unreachable"* ]]
}

@test "registry: the URL and basic auth come from the config file; -X dump masks the secret" {
  need_registry
  t=$(new_topic cfg)
  printf 'schema.registry.url=%s\nschema.registry.basic.auth.user.info=me:s3cret\n' "$REG" >"$BATS_TEST_TMPDIR/k.conf"
  run kproduce "$t" --value-format avro --value-schema "$AVRO/click.avsc" -F "$BATS_TEST_TMPDIR/k.conf" -X dump
  [ "$status" -eq 0 ]
  [[ "$output" == *"schema.registry.basic.auth.user.info=********"* ]]
  [[ "$output" != *"s3cret"* ]]
  head -2 "$DATA/clickevents.ndjson" |
    kproduce "$t" --value-format avro --value-schema "$AVRO/click.avsc" -F "$BATS_TEST_TMPDIR/k.conf" --partitions 1 -q
  KT_REGISTRY="$REG" run kconsume "$t" --value-format avro -e -q
  [ "$status" -eq 0 ]
  diff <(echo "$output" | jq -c 'del(.source)') <(head -2 "$DATA/clickevents.ndjson")
}

@test "registry: jsonschema: values checked against a JSON Schema on write; Confluent's JSON serializers agree both ways" {
  need_registry
  t=$(new_topic js); back=$(new_topic jsback)
  head -50 "$DATA/clickevents.ndjson" >"$BATS_TEST_TMPDIR/in.ndjson"
  run kproduce "$t" "$BATS_TEST_TMPDIR/in.ndjson" --value-format jsonschema \
    --value-schema "$DATA/avro/click.schema.json" --registry "$REG" --partitions 1 -q
  [ "$status" -eq 0 ]
  curl -sf "$REG/subjects/$t-value/versions/latest" | jq -e '.schemaType == "JSON"'
  diff <(kconsume "$t" --value-format binary -e -q | serde decode-json "$t") "$BATS_TEST_TMPDIR/in.ndjson"
  serde encode-json "$back" "$DATA/avro/click.schema.json" <"$BATS_TEST_TMPDIR/in.ndjson" |
    kproduce "$back" --value-format binary --partitions 1 -q
  diff <(kfilter -i "$back" 'number >= 0' --value-format jsonschema --registry "$REG" -e -q | jq -c .) "$BATS_TEST_TMPDIR/in.ndjson"
  # A value the schema refuses is a bad record naming the keyword and where.
  run kproduce "$t" --value-format jsonschema --value-schema "$DATA/avro/click.schema.json" --registry "$REG" <<'EOF2'
{"email":"a@x","uri":"home","number":1}
EOF2
  [ "$status" -eq 3 ]
  [[ "$output" == *"does not fit JSON schema id"*"'pattern' failed at #/uri"* ]]
  # Avro bytes read as jsonschema: the id names an AVRO schema.
  a=$(new_topic av)
  head -1 "$BATS_TEST_TMPDIR/in.ndjson" |
    kproduce "$a" --value-format avro --value-schema "$DATA/avro/click.avsc" --registry "$REG" --partitions 1 -q
  run kconsume "$a" --value-format jsonschema --registry "$REG" -e
  [ "$status" -eq 3 ]
  [[ "$output" == *"is AVRO, not JSON"* ]]
}

@test "registry: jsonschema: a draft-07 schema refuses on write what Confluent's JSON serializer refuses (const, contains, if/then/else, exclusive bounds, false)" {
  need_registry
  t=$(new_topic d7); c=$(new_topic d7c)
  cat >"$BATS_TEST_TMPDIR/d7.json" <<'EOF2'
{"$schema": "http://json-schema.org/draft-07/schema#", "title": "Rule", "type": "object",
 "properties": {"kind": {"const": "click"}, "n": {"exclusiveMinimum": 0, "exclusiveMaximum": 10},
                "tags": {"contains": {"const": "x"}}, "secret": false},
 "if": {"properties": {"n": {"const": 5}}}, "then": {"required": ["tags"]}}
EOF2
  cat >"$BATS_TEST_TMPDIR/values.ndjson" <<'EOF2'
{"kind":"click","n":1}
{"kind":"view","n":1}
{"kind":"click","n":0}
{"kind":"click","n":10}
{"kind":"click","n":9.5}
{"kind":"click","n":5,"tags":["y","x"]}
{"kind":"click","n":5}
{"kind":"click","n":2,"tags":["y"]}
{"kind":"click","n":2,"tags":[]}
{"kind":"click","secret":null}
{"n":3,"tags":["x"]}
EOF2
  serde check-json "$c" "$BATS_TEST_TMPDIR/d7.json" <"$BATS_TEST_TMPDIR/values.ndjson" >"$BATS_TEST_TMPDIR/verdicts"
  [ "$(grep -c '^ok$' "$BATS_TEST_TMPDIR/verdicts")" -eq 4 ]
  [ "$(grep -c '^refused$' "$BATS_TEST_TMPDIR/verdicts")" -eq 7 ]
  run kproduce "$t" "$BATS_TEST_TMPDIR/values.ndjson" --value-format jsonschema \
    --value-schema "$BATS_TEST_TMPDIR/d7.json" --registry "$REG" --partitions 1 --on-error skip
  [ "$status" -eq 0 ]
  [ "$(grep -c 'does not fit JSON schema id' <<<"$output")" -eq 7 ]
  diff <(kconsume "$t" --value-format jsonschema --registry "$REG" -e -q | jq -c .) \
    <(paste -d' ' "$BATS_TEST_TMPDIR/verdicts" "$BATS_TEST_TMPDIR/values.ndjson" | sed -n 's/^ok //p')
}

@test "registry: two schema versions in one topic, read as either one (Avro schema resolution), Confluent's writer and ours" {
  need_registry
  t=$(new_topic evolve)
  head -2 "$DATA/clickevents.ndjson" | jq -c '. + {source: null}' >"$BATS_TEST_TMPDIR/v1.ndjson"
  sed -n 3,4p "$DATA/clickevents.ndjson" | jq -c '. + {source: "web", country: "DE"}' >"$BATS_TEST_TMPDIR/v2.ndjson"
  serde encode "$t" "$AVRO/click.avsc" <"$BATS_TEST_TMPDIR/v1.ndjson" | kproduce "$t" --value-format binary --partitions 1 -q
  kproduce "$t" "$BATS_TEST_TMPDIR/v2.ndjson" --value-format avro --value-schema "$AVRO/click_v2.avsc" --registry "$REG" -q
  # As written: two shapes. Confluent's deserializer agrees.
  diff <(avro_values "$t") <(cat "$BATS_TEST_TMPDIR/v1.ndjson" "$BATS_TEST_TMPDIR/v2.ndjson")
  diff <(kconsume "$t" --value-format binary -e -q | serde decode "$t") <(cat "$BATS_TEST_TMPDIR/v1.ndjson" "$BATS_TEST_TMPDIR/v2.ndjson")
  # Forward: every record as the subject's latest (v2): the old ones take the default country.
  run -0 kconsume "$t" --value-format avro --registry "$REG" --value-reader-schema latest -e -q
  diff <(echo "$output") <(jq -c '. + {country: "??"}' "$BATS_TEST_TMPDIR/v1.ndjson"; cat "$BATS_TEST_TMPDIR/v2.ndjson")
  # Backward: every record as v1: the new field is skipped.
  run -0 kconsume "$t" --value-format avro --registry "$REG" --value-reader-schema "$AVRO/click.avsc" -e -q
  diff <(echo "$output") <(cat "$BATS_TEST_TMPDIR/v1.ndjson"; jq -c 'del(.country)' "$BATS_TEST_TMPDIR/v2.ndjson")
  # A reader that needs a field neither version has, without a default: a bad record naming it.
  jq -c '.fields += [{"name": "region", "type": "string"}]' "$AVRO/click_v2.avsc" >"$BATS_TEST_TMPDIR/v3.avsc"
  run kconsume "$t" --value-format avro --registry "$REG" --value-reader-schema "$BATS_TEST_TMPDIR/v3.avsc" -e
  [ "$status" -eq 3 ]
  [[ "$output" == *"offset 0: value: Avro (schema id "*"): at region: the writer's record has no such field"* ]]
}

@test "registry: a union value keeps its branch through ktools: Confluent's double 3.0 in [long, double] is written back a double" {
  need_registry
  in=$(new_topic union); out=$(new_topic union2)
  cat >"$BATS_TEST_TMPDIR/u.avsc" <<'EOF2'
{"type":"record","name":"U","fields":[{"name":"v","type":["long","double"]},{"name":"n","type":"long"}]}
EOF2
  printf '%s\n' '{"v":3,"n":1}' '{"v":3.0,"n":2}' '{"v":2.5,"n":3}' >"$BATS_TEST_TMPDIR/u.ndjson"
  serde encode "$in" "$BATS_TEST_TMPDIR/u.avsc" <"$BATS_TEST_TMPDIR/u.ndjson" | kproduce "$in" --value-format binary --partitions 1 -q
  # Read, the double keeps a fraction: written back, JSON's 3 would be the long branch.
  diff <(avro_values "$in") "$BATS_TEST_TMPDIR/u.ndjson"
  # kmap encodes every value again, with the schema read: the same bytes after the schema id.
  run -0 kmap -i "$in" -o "$out" --set 'n=n' -e --value-format avro --registry "$REG" -q
  payloads() { kconsume "$1" --value-format binary -e -q | while read -r b64; do base64 -d <<<"$b64" | tail -c +6 | xxd -p; done; }
  [ "$(payloads "$in" | wc -l)" -eq 3 ]
  diff <(payloads "$out") <(payloads "$in")
}
