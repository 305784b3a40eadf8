#!/usr/bin/env bats
# Issue 32: poison values and large records through a stateful stage (ktable --by, in place and
# through a repartition topic): an overflowing sum, an expression giving no number, a value
# nested too deep, a 2 MB record the input topic takes. Every output and changelog record is
# valid JSON, the table holds exactly the good records, and no lag is left behind.
load helpers

setup() { STATE="$BATS_TEST_TMPDIR/state"; }
kadmin() { "$BATS_TEST_DIRNAME/kadmin.py" "$@"; }

@test "poison: overflow, no number, deep nesting and a 2 MB record through ktable --by; valid JSON everywhere, no lag" {
  need_kafka
  in=$(new_topic in)
  kadmin create "$in" 2 max.message.bytes=5000000
  big=$(head -c 2000000 /dev/zero | tr '\0' 'x')
  deep=$(printf '%.0s[' $(seq 1 1000))1$(printf '%.0s]' $(seq 1 1000))
  {
    echo '{"uri":"/a","n":1e308}'
    echo '{"uri":"/a","n":1e308}'     # the sum would overflow: a bad record, the state unchanged
    echo '{"uri":"/a","n":5}'
    echo '{"uri":"/b","n":"x"}'       # not a number: skipped by sum, counted
    echo "{\"uri\":\"/deep\",\"n\":1,\"d\":$deep}"   # deeper than JSON readers take: a bad record
    echo "{\"uri\":\"/big\",\"n\":7,\"pad\":\"$big\"}"
  } > "$BATS_TEST_TMPDIR/in.ndjson"
  kproduce "$in" "$BATS_TEST_TMPDIR/in.ndjson" -q -X message.max.bytes=5000000 --on-error skip
  # At-least-once, a batch run reads the input in place; exactly-once, through the repartition topic.
  for mode in at-least-once exactly-once; do
    out=$(new_topic "out-$mode"); g=$(new_topic "g-$mode")
    eos=(); [ "$mode" = exactly-once ] && eos=(--exactly-once)
    run ktable -i "$in" -o "$out" -G "$g" --by uri --agg count --agg 'sum(n)' --on-error skip -e \
      --state-dir "$STATE" "${eos[@]}"
    [ "$status" -eq 0 ]
    [[ "$output" == *"sum_n: 1e308 + 1e308 is beyond what a double holds"* ]]
    # Every output and changelog record is JSON.
    for t in "$out" "$g-table-changelog"; do
      kcat -b "$B" -C -t "$t" -e -q -f '%s\n' -X isolation.level=read_committed > "$BATS_TEST_TMPDIR/t"
      jq -e . "$BATS_TEST_TMPDIR/t" > /dev/null
    done
    run ktable dump -G "$g"
    [ "$status" -eq 0 ]
    [ "$(echo "$output" | grep '"/a"')" = '{"key":"/a","count":2,"sum_n":1e308}' ]
    [ "$(echo "$output" | grep '"/b"')" = '{"key":"/b","count":1}' ]
    [ "$(echo "$output" | grep '"/big"')" = '{"key":"/big","count":1,"sum_n":7}' ]
    [ -z "$(echo "$output" | grep '"/deep"')" ]
    # The internal topics take what the input takes, and nothing is left unread.
    if [ "$mode" = exactly-once ]; then  # (a batch run in place does not make it)
      [ "$(kadmin config "$g-table-repartition" max.message.bytes)" = 5000000 ]
    fi
    [ "$(kadmin config "$g-table-changelog" max.message.bytes)" = 5000000 ]
    stage=$g; [ "$mode" = exactly-once ] && stage=$g-table
    kgroup describe "$stage" --json -q > "$BATS_TEST_TMPDIR/lag"
    [ "$(jq -s '[.[] | select(.lag != null) | .lag] | add' "$BATS_TEST_TMPDIR/lag")" = 0 ]
  done
}

@test "a 2 MB record goes through kmap to a topic it creates, sized as its input" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out)
  kadmin create "$in" 1 max.message.bytes=5000000
  big=$(head -c 2000000 /dev/zero | tr '\0' 'y')
  echo "{\"pad\":\"$big\"}" | kproduce "$in" -q -X message.max.bytes=5000000
  run kmap -i "$in" -o "$out" --set n=1 -e
  [ "$status" -eq 0 ]
  [[ "$output" == *"1 in, 1 out, 0 skipped, 0 dead-lettered"* ]]
  [ "$(kadmin config "$out" max.message.bytes)" = 5000000 ]
  [ "$(kconsume "$out" -e -q | jq -r '.pad | length')" = 2000000 ]
}

@test "ktable --exactly-once -e leaves no lag behind its transactional repartition topic" {
  need_kafka
  in=$(new_topic in); out=$(new_topic out); g=$(new_topic g)
  kproduce "$in" "$DATA/clickevents.ndjson" --key-field email --partitions 4 -q
  run ktable -i "$in" -o "$out" -G "$g" --by uri --agg count --exactly-once -e --state-dir "$STATE"
  [ "$status" -eq 0 ]
  kgroup describe "$g-table" --json -q > "$BATS_TEST_TMPDIR/lag"
  [ "$(jq -s '[.[] | select(.lag != null) | .lag] | add' "$BATS_TEST_TMPDIR/lag")" = 0 ]
  [ "$(jq -s '[.[] | select(.lag != null)] | length' "$BATS_TEST_TMPDIR/lag")" = 4 ]
}
