#!/usr/bin/env bats
# Differential tests: kjoin and kwindow against Kafka Streams 3.9 itself (tests/oracle), on the
# real broker. Seeded inputs (tests/oracle/gen.py: out-of-order timestamps, several partitions,
# null keys, null values and tombstones, late records) go through both; the outputs must be
# identical: keys, values, timestamps and the order of each key's records (compare.py; the one
# documented difference of stream-stream left/outer joins is normalised with --spurious).
load helpers

ORACLE="$BATS_TEST_DIRNAME/../oracle"

setup_file() {
  # Maven resolves and compiles the oracle once (cached outside the repository).
  "$BATS_TEST_DIRNAME/../oracle/oracle" build
}

setup() {
  need_kafka
  cd "$BATS_TEST_TMPDIR"
}

# inputs KIND SEED N PARTITIONS: generated inputs written to fresh topics $L and $R (join) or $IN.
inputs() {
  python3 "$ORACLE/gen.py" "$1" "$2" "$3"
  if [ "$1" = join ]; then
    L=$(new_topic left); R=$(new_topic right)
    kproduce "$L" -J --partitions "$4" -q < left.ndjson
    kproduce "$R" -J --partitions "$4" -q < right.ndjson
  else
    IN=$(new_topic in)
    kproduce "$IN" -J --partitions "$4" -q < in.ndjson
  fi
}

# same_as_oracle [--spurious] KTOOLS_TOPIC -- ORACLE ARGS (with OUT for its output topic):
# runs the oracle, then compares both output topics.
same_as_oracle() {
  local flags=() ours theirs
  [ "$1" = --spurious ] && { flags=(--spurious); shift; }
  ours=$1; shift 2
  theirs=$(new_topic oracle)
  # As many partitions as ours, so that each key's partition compares too.
  ktopic create "$theirs" --partitions "$(ktopic describe "$ours" --json | wc -l)" -q
  "$ORACLE/oracle" "$B" "$(new_topic app)" "${@//OUT/$theirs}"
  kconsume "$ours" -e -J -q > ours.ndjson
  kconsume "$theirs" -e -J -q > theirs.ndjson
  run python3 "$ORACLE/compare.py" "${flags[@]}" ours.ndjson theirs.ndjson
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == "identical: "* ]]
  [[ "$output" != "identical: 0 records"* ]]
}

@test "oracle: stream-stream joins (inner, left, outer; asymmetric window, grace) equal Kafka Streams'" {
  inputs join 1 400 3
  for type in inner left outer; do
    out=$(new_topic out)
    kjoin -i "$L" --stream "$R" --join $type --before 300ms --after 500ms --grace 1s -o "$out" -G "$(new_topic g)" --store memory -e -q
    same_as_oracle --spurious "$out" -- join-stream $type "$L" "$R" OUT 300 500 1000
  done
}

@test "oracle: stream-table joins (inner, left) equal Kafka Streams'" {
  inputs join 2 400 3
  for type in inner left; do
    out=$(new_topic out)
    kjoin -i "$L" --table "$R" --join $type -o "$out" -G "$(new_topic g)" --store memory -e -q
    same_as_oracle "$out" -- join-table $type "$L" "$R" OUT
  done
}

@test "oracle: table-table joins (inner, left, outer) with tombstones equal Kafka Streams'" {
  inputs join 3 400 3
  for type in inner left outer; do
    out=$(new_topic out)
    kjoin -i "$L" --left-table --table "$R" --join $type -o "$out" -G "$(new_topic g)" --store memory -e -q
    same_as_oracle "$out" -- join-tables $type "$L" "$R" OUT
  done
}

@test "oracle: global-table joins (inner, left; --on a field) equal Kafka Streams'" {
  inputs join 4 400 3
  # The table: the right side re-keyed by e-mail, on another partition count.
  T=$(new_topic table)
  jq -c 'select(.value != null) | .key = .value.email' right.ndjson | kproduce "$T" -J --partitions 2 -q
  for type in inner left; do
    out=$(new_topic out)
    kjoin -i "$L" --global "$T" --on email --join $type -o "$out" -G "$(new_topic g)" -e -q
    same_as_oracle "$out" -- join-global $type "$L" "$T" OUT email
  done
}

# window_case TYPE SIZE STEP GRACE [kwindow window flags...]: kwindow count and sum(n) with both
# --emit update and --emit final, each against the oracle.
window_case() {
  local type=$1 size=$2 step=$3 grace=$4; shift 4
  for emit in update final; do
    out=$(new_topic out)
    kwindow -i "$IN" "$@" --grace "${grace}ms" --emit $emit --agg count --agg 'sum(n)' -o "$out" -G "$(new_topic g)" --store memory -e -q
    same_as_oracle "$out" -- window "$type" "$IN" OUT "$size" "$step" "$grace" $emit
  done
}

@test "oracle: tumbling windows (update and final, grace) equal Kafka Streams'" {
  inputs window 5 500 3
  window_case tumbling 5000 0 2000 --tumbling 5s
}

@test "oracle: hopping windows (update and final, grace) equal Kafka Streams'" {
  inputs window 6 500 3
  window_case hopping 6000 4000 2000 --hopping 6s --step 4s
}

@test "oracle: session windows (merges, update and final, grace) equal Kafka Streams'" {
  inputs window 7 500 3
  window_case session 1500 0 2000 --session 1500ms
}

@test "oracle: sliding windows (update and final, grace) equal Kafka Streams'" {
  inputs window 8 500 3
  window_case sliding 3000 0 2000 --sliding 3s
}
