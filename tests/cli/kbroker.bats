#!/usr/bin/env bats
# kbroker: the embedded mock cluster (no real Kafka needed).
load helpers

# Its control file ($XDG_RUNTIME_DIR/ktools-kbroker-PORT) in the test's own directory: a broker
# killed with -9 leaves it behind.
start_kbroker() {
  export XDG_RUNTIME_DIR="$BATS_TEST_TMPDIR/run"
  mkdir -p "$XDG_RUNTIME_DIR"
  kbroker --addr-file "$BATS_TEST_TMPDIR/addr" "$@" > "$BATS_TEST_TMPDIR/stdout" 2> "$BATS_TEST_TMPDIR/stderr" &
  KB_PID=$!
  wait_until 10 test -s "$BATS_TEST_TMPDIR/addr"
  MB=$(cat "$BATS_TEST_TMPDIR/addr")
}

teardown() { [ -z "${KB_PID:-}" ] || kill "$KB_PID" 2>/dev/null || true; }

@test "kbroker prints its address first and serves kproduce/kmap/kconsume" {
  start_kbroker
  [ "$(head -1 "$BATS_TEST_TMPDIR/stdout")" = "$MB" ]
  kgen clickevents -n 300 --seed 5 -o clicks -b "$MB" -q
  kmap -b "$MB" -i clicks -o clean --drop email -e -q
  diff <(kconsume clean -b "$MB" -e -q | sort) <(kgen clickevents -n 300 --seed 5 -q | jq -c 'del(.email)' | sort)
  kill -TERM "$KB_PID"
  wait "$KB_PID"
  KB_PID=
}

@test "on kbroker a -e stage with a group reads by direct assignment and commits; kgroup describes and resets it, the rest fails at once" {
  # kbroker (librdkafka's mock cluster) has no DescribeGroups: asking cost every -e stage 5 s,
  # and joining the group 3 s more (the demo took 79 s, 6 s now).
  start_kbroker
  kgen clickevents -n 50 --seed 5 -o clicks -b "$MB" -q
  run kmap -b "$MB" -i clicks -o clean -G stage --drop email -e -v
  [ "$status" -eq 0 ]
  [[ "$output" == *"group stage has no members: reading its partitions by direct assignment"* ]]
  [[ "$output" == *"50 in, 50 out"* ]]
  echo '{"i":1}' | kproduce clicks -b "$MB" -q
  run kmap -b "$MB" -i clicks -G stage -e -q -o -
  [ "$status" -eq 0 ]
  [ "$output" = '{"i":1}' ]
  # describe: the committed offsets (every record read), without state or members
  run -0 --separate-stderr kgroup describe stage -b "$MB" --json
  [ "$(jq -s -c 'map(select(.topic == "clicks")) | [(map(.committed) | add), (map(.lag) | add)]' <<<"$output")" = "[51,0]" ]
  [[ "$stderr" == *"kbroker cannot tell its state or members"* ]]
  # reset moves them; the next -e run reads everything again
  run -0 kgroup reset stage --to-earliest --execute -b "$MB"
  [[ "$output" == *"moved the offsets of "*" partitions of group stage"* ]]  # those with a commit
  run -0 bash -c "kmap -b '$MB' -i clicks -G stage -e -q -o - | wc -l"
  [ "$output" -eq 51 ]
  run -1 kgroup list -b "$MB"
  [[ "$output" == *"kbroker, librdkafka's mock cluster, cannot list groups"* ]]
  run -1 kgroup delete stage -y -b "$MB"
  [[ "$output" == *"cannot delete groups"* ]]
}

@test "SIGTERM with the broker gone: the stop says after 5 s what it waits for; a second SIGTERM stops at once (130)" {
  start_kbroker
  kgen clickevents -n 100 --seed 5 -o clicks -b "$MB" -q
  # With the broker there, a stop is done at once and says nothing of the kind.
  kmap -b "$MB" -i clicks -o first -G first 2> "$BATS_TEST_TMPDIR/first.err" &
  local first=$!
  wait_until 30 bash -c "[ \$(kconsume first -b '$MB' -e -q | wc -l) -eq 100 ]"
  kill -TERM "$first"
  wait "$first"
  run -1 grep -q "still stopping" "$BATS_TEST_TMPDIR/first.err"
  kmap -b "$MB" -i clicks -o clean -G stage --commit-interval 1h 2> "$BATS_TEST_TMPDIR/err" &
  local pid=$!
  wait_until 30 bash -c "[ \$(kconsume clean -b '$MB' -e -q | wc -l) -eq 100 ]"
  kill -9 "$KB_PID"
  KB_PID=
  kill -TERM "$pid"
  wait_until 20 grep -q "still stopping: writing the last records and committing their offsets waits for Kafka" "$BATS_TEST_TMPDIR/err"
  kill -0 "$pid"  # still there: the notice came before the stop was done
  kill -TERM "$pid"
  local rc=0
  wait "$pid" || rc=$?
  [ "$rc" -eq 130 ]
  grep -q "^kmap: error: stopped at once by a second signal (exit 130): a restart reads again what was not committed$" "$BATS_TEST_TMPDIR/err"
}

@test "kbroker --topic pre-creates partitions and --brokers runs a cluster" {
  start_kbroker --brokers 3 --topic keyed:4
  printf '{"k":"a"}\n{"k":"b"}\n{"k":"c"}\n{"k":"d"}\n{"k":"e"}\n' | kproduce keyed --key-field k -b "$MB" -q
  run bash -c "kconsume keyed -b '$MB' -e -J -q | jq -r .partition | sort -u | wc -l"
  [ "$output" -gt 1 ]
  [ "$(kconsume keyed -b "$MB" -e -q | wc -l)" -eq 5 ]
}

@test "kbroker's man page says it is in-memory and for demos" {
  grep -qi "in-memory" "$BATS_TEST_DIRNAME/../../man/kbroker.1.scd"
  grep -qi "demo" "$BATS_TEST_DIRNAME/../../man/kbroker.1.scd"
}

@test "on kbroker ktopic create and the topics tools create get their partitions; what it cannot do fails at once" {
  start_kbroker
  port=${MB##*:}
  [ -s "$XDG_RUNTIME_DIR/ktools-kbroker-$port" ]
  run -0 ktopic create clicks -p 4 -b "$MB"
  kgen clickevents -n 200 --seed 5 -o clicks -b "$MB" -q
  # an output created with its input's partition count, a stateful stage's changelog too
  kmap -b "$MB" -i clicks -o clean --drop email -e -q
  ktable -b "$MB" -i clicks -o per_uri --by uri --agg count --store memory -e -q
  run -0 ktopic list -b "$MB" --json
  [ "$(jq -r 'select(.topic == "clicks" or .topic == "clean" or .topic == "per_uri") | "\(.topic) \(.partitions)"' <<<"$output" | sort | tr '\n' ' ')" = "clean 4 clicks 4 per_uri 4 " ]
  [ "$(jq -s 'map(select(.topic | endswith("-changelog")) | .partitions) | unique' <<<"$output" | jq -c .)" = "[4]" ]
  [ "$(ktable dump -b "$MB" -G ktools-ktable-clicks-to-per_uri | jq -s 'map(.count) | add')" -eq 200 ]
  # describe shows partitions without configs; alter and delete say why they cannot
  run -0 ktopic describe clicks -b "$MB" --json
  [ "$(grep -c '"partition"' <<<"$output")" -eq 4 ]
  [[ "$output" == *"kbroker, the in-memory dev broker, cannot show topic configs"* ]]
  run -1 ktopic alter clicks --set retention.ms=1000 -b "$MB"
  [[ "$output" == *"cannot change topic configs"* ]]
  run -1 ktopic delete clicks -y -b "$MB"
  [[ "$output" == *"cannot delete topics"* ]]
  kill -TERM "$KB_PID"
  wait "$KB_PID"
  KB_PID=
  # the control file goes with it
  [ ! -e "$XDG_RUNTIME_DIR/ktools-kbroker-$port" ]
}

@test "kbroker serves a Schema Registry: avro without --registry, and Confluent's serializers use it too" {
  [ -n "${KT_TEST_PYCLIENTS:-}" ] || [ "${CI:-}" != "true" ] || { echo "KT_TEST_PYCLIENTS unset and CI=true" >&2; false; }
  start_kbroker
  wait_until 10 grep -q "schema registry at" "$BATS_TEST_TMPDIR/stderr"
  REG=$(sed -n 's/.*schema registry at \([^ ]*\) .*/\1/p' "$BATS_TEST_TMPDIR/stderr")
  head -20 "$DATA/clickevents.ndjson" >"$BATS_TEST_TMPDIR/in.ndjson"
  kproduce clicks "$BATS_TEST_TMPDIR/in.ndjson" -b "$MB" --value-format avro --value-schema "$DATA/avro/click.avsc" -q
  run -0 kconsume clicks -b "$MB" --value-format avro -e -q
  diff <(echo "$output" | jq -c 'del(.source)' | sort) <(sort "$BATS_TEST_TMPDIR/in.ndjson")
  curl -sf "$REG/subjects" | jq -e '. == ["clicks-value"]'
  if [ -n "${KT_TEST_PYCLIENTS:-}" ]; then  # Confluent's deserializer against kbroker's registry
    diff <(kconsume clicks -b "$MB" --value-format binary -e -q |
      "$KT_TEST_PYCLIENTS/bin/python" "$BATS_TEST_DIRNAME/../registry/confluent_serde.py" decode "$REG" clicks | sort) \
      <(echo "$output" | sort)
  fi
}
