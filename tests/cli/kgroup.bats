#!/usr/bin/env bats
# kgroup against the real broker, checked against kafka-python's view of the same groups
# (kadmin.py, an independent client).
load helpers

setup() {
  need_kafka
  KADMIN="$BATS_TEST_DIRNAME/kadmin.py"
  PIDS=()
}

teardown() {
  [ -z "${member:-}" ] || kill -TERM "$member" 2>/dev/null || true
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
}

# A topic of 3 partitions with 10 records each, and group $G that has read 4 of each.
group_at_4() {
  T=$(new_topic t); G=$(new_topic g)
  for p in 0 1 2; do seq 0 9 | jq -c '{i: .}' | kproduce "$T" -p $p --partitions 3 -q; done
  for p in 0 1 2; do kconsume "$T" -G "$G" --partition $p -n 4 -q > /dev/null; done
}

@test "kgroup describe: committed, end and lag per partition equal kafka-python's offsets and the topic's ends" {
  group_at_4
  run kgroup describe "$G"
  [ "$status" -eq 0 ]
  [[ "$output" == *"group $G is Empty with 0 members; lag 18 over 3 partitions"* ]]
  diff <(echo "$output" | grep '^{' | jq -r '"\(.topic) \(.partition) \(.committed)"') <("$KADMIN" offsets "$G")
  diff <(echo "$output" | grep '^{' | jq -c '[.partition, .end, .lag]') - <<'EXPECTED'
[0,10,6]
[1,10,6]
[2,10,6]
EXPECTED
  before=$("$KADMIN" groups)
  run kgroup list
  after=$("$KADMIN" groups)
  [ "$status" -eq 0 ]
  same_names "$(echo "$output" | jq -r .group)" "$before" "$after"
  [[ "$output" == *"{\"group\":\"$G\",\"state\":\"Empty\""* ]]
}

@test "kgroup reset: a dry run changes nothing; --execute moves exactly the planned offsets" {
  group_at_4
  before=$("$KADMIN" offsets "$G")
  run kgroup reset "$G" --to-earliest
  [ "$status" -eq 0 ]
  [[ "$output" == *"dry run"* ]]
  [ "$("$KADMIN" offsets "$G")" = "$before" ]
  run kgroup reset "$G" --shift-by -3 --partition 1 --execute -q
  [ "$status" -eq 0 ]
  [ "$output" = "{\"group\":\"$G\",\"topic\":\"$T\",\"partition\":1,\"from\":4,\"to\":1}" ]
  [ "$("$KADMIN" offsets "$G")" = "$T 0 4
$T 1 1
$T 2 4" ]
  # Shifts stay within the partition; --to-latest skips everything; a time before every record
  # is the start.
  run kgroup reset "$G" --shift-by 100 --topic "$T" --execute -q
  [ "$("$KADMIN" offsets "$G" | awk '{print $3}' | sort -u)" = 10 ]
  run kgroup reset "$G" --to-time 1970-01-02T00:00:00Z --execute -q
  [ "$status" -eq 0 ]
  [ "$("$KADMIN" offsets "$G" | awk '{print $3}' | sort -u)" = 0 ]
  # The group reads from there: all 30 records again.
  [ "$(kconsume "$T" -G "$G" -e -q | wc -l)" -eq 30 ]
}

@test "kgroup reset --execute is refused while the group has members; nothing changes" {
  group_at_4
  kconsume "$T" -G "$G" -q > /dev/null 2>&1 &
  member=$!
  wait_until 30 bash -c "kgroup describe '$G' 2>&1 | grep -q 'with 1 members'"
  before=$("$KADMIN" offsets "$G")
  run kgroup reset "$G" --to-earliest --execute
  [ "$status" -eq 1 ]
  [[ "$output" == *"active members: stop them before moving its offsets (nothing changed)"* ]]
  [ "$("$KADMIN" offsets "$G")" = "$before" ]
  # describe names the member (its client id: the tool and this copy) and what it reads
  run -0 bash -c "kgroup describe '$G' --json 2>/dev/null | jq -c 'select(.member) | {client_id, assignment, instance_id}'"
  [[ "$(jq -r .client_id <<< "$output")" == "kconsume;id=$(hostname)-"* ]]
  [ "$(jq -c 'del(.client_id)' <<< "$output")" = "{\"assignment\":\"$T:0,1,2\",\"instance_id\":null}" ]
  # every partition has its member: no warning
  run -0 kgroup describe "$G"
  [[ "$output" != *"to no member"* ]]
}

# Independent clients (Confluent's Python client, tests/cli/static_member.py) leave a Stable
# group with partitions no member is assigned, as http.bats' GroupRepair test does with a copy.
@test "kgroup describe: a Stable group that assigns some partitions to no member is warned about, with them" {
  need_pyclients
  in=$(new_topic in); g=$(new_topic g)
  kproduce "$in" --partitions 4 -q < /dev/null
  # A dynamic member's join is the one a rebalance cut short leaves 2 partitions without an owner.
  gap_start "$g" "$in"
  gap_member join &
  PIDS+=($!)
  gap_finish
  [ ! -s "$BATS_TEST_TMPDIR/join" ]  # the dynamic member was given nothing
  others=$(for i in 0 1 2 3; do [ "$i" = "$HELD_P" ] || [ "$i" = "$HELD_Q" ] || echo "$i"; done | paste -sd, | sed 's/,/, /g')
  run -0 kgroup describe "$g"
  [[ "$output" == *"is Stable with 2 members"* ]]
  [[ "$output" == *"group $g is Stable but assigns $in partition $others to no member: nothing reads them"* ]]
}

@test "kgroup: unknown groups exit 1, bad times exit 2, delete needs -y off a terminal" {
  run kgroup describe "$(new_topic nosuch)"
  [ "$status" -eq 1 ]
  [[ "$output" == *"does not exist"* ]]
  group_at_4
  run kgroup reset "$G" --to-time 2999-01-01T00:00:00Z
  [ "$status" -eq 2 ]
  [[ "$output" == *"in the future"* ]]
  run kgroup reset "$G" --to-time yesterday
  [ "$status" -eq 2 ]
  run kgroup reset "$G" --to-earliest --to-latest
  [ "$status" -eq 2 ]
  run kgroup reset "$G"
  [ "$status" -eq 2 ]
  run kgroup
  [ "$status" -eq 2 ]
  run kgroup delete "$G" < /dev/null
  [ "$status" -eq 2 ]
  [[ "$output" == *"needs --yes"* ]]
  [ -n "$("$KADMIN" offsets "$G")" ]
  run kgroup delete "$G" -y
  [ "$status" -eq 0 ]
  [ -z "$("$KADMIN" offsets "$G")" ]
}

@test "kgroup describe: a ktable group's changelog and repartition topics and its local state" {
  T=$(new_topic t); G=$(new_topic g); STATE="$BATS_TEST_TMPDIR/state"
  printf '%s\n' '{"uri":"/a"}' '{"uri":"/b"}' '{"uri":"/a"}' | kproduce "$T" --partitions 2 -q
  # Exactly-once, so through the repartition topic (a batch run in place does not make it).
  ktable -i "$T" -o "$G-out" -G "$G" --by uri --agg count --state-dir "$STATE" -e -q --exactly-once
  run kgroup describe "$G" --state-dir "$STATE"
  [ "$status" -eq 0 ]
  rows=$(echo "$output" | grep '^{')
  records() { "$KADMIN" marks "$1" | awk '{ n += $3 - $2 } END { print n }'; }
  diff <(echo "$rows" | jq -c 'select(.internal_topic) | [.internal_topic, .kind, .partitions, .records]') - <<EXPECTED
["$G-table-changelog","changelog",2,$(records "$G-table-changelog")]
["$G-table-repartition","repartition",2,$(records "$G-table-repartition")]
EXPECTED
  [ "$(echo "$rows" | jq -c 'select(.local_state) | [.store, .local_state, .partitions]')" = "[\"table\",\"$STATE/$G/table\",2]" ]
}

@test "kgroup start-over: a dry run changes nothing; --execute makes the next ktable run recompute everything" {
  in=$(new_topic in); out=$(new_topic out); g=$(new_topic g); st="$BATS_TEST_TMPDIR/st"
  head -n 300 "$DATA/clickevents.ndjson" > "$BATS_TEST_TMPDIR/all"
  kproduce "$in" "$BATS_TEST_TMPDIR/all" --key-field uri --partitions 2 -q
  ktable -i "$in" -o "$out" -G "$g" --by email --agg count --state-dir "$st" -e -q
  want=$(jq -s -c 'group_by(.email)[] | {key: .[0].email, count: length}' "$BATS_TEST_TMPDIR/all" | sort)
  [ "$(ktable dump -G "$g" | sort)" = "$want" ]
  # kgroup reset alone is not enough: the state has every record and skips them when read again
  run -0 kgroup start-over "$g" --state-dir "$st" --json
  plan=$output
  # (a batch run reads in place: it made no repartition topic, and group $g-table never ran)
  [ "$(jq -r '.delete + " " + .name' <<<"$plan" | sort)" = "$(printf '%s\n' "group $g" "local_state $st/$g" "topic $g-table-changelog" | sort)" ]
  [ -d "$st/$g" ]
  [ "$(ktable dump -G "$g" | sort)" = "$want" ]
  # refused while the stage runs; nothing changes
  ktable -i "$in" -o "$out" -G "$g" --by email --agg count --state-dir "$st" -q &
  member=$!
  has_members() { kgroup describe "$g" 2>&1 | grep -q 'with [1-9][0-9]* members'; }
  wait_until 30 has_members
  run -1 kgroup start-over "$g" --state-dir "$st" --execute
  [[ "$output" == *"active members: stop the stage first (nothing changed)"* ]]
  kill -TERM "$member"; wait "$member"; member=
  [ "$(ktable dump -G "$g" | sort)" = "$want" ]
  run -0 kgroup start-over "$g" --state-dir "$st" --execute
  [ ! -d "$st/$g" ]
  [ -z "$(ktopic list --names | grep -x "$g-table-changelog")" ]
  run -0 kgroup list --json
  [[ "$output" != *"\"$g\""* ]]
  # the next run reads everything again into an empty state: the same table, not doubled
  ktable -i "$in" -o "$out" -G "$g" --by email --agg count --state-dir "$st" -e -q
  [ "$(ktable dump -G "$g" | sort)" = "$want" ]
  run -1 kgroup start-over "$(new_topic none)"
  [[ "$output" == *"nothing of group"* ]]
}
