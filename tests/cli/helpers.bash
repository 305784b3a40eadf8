# Shared setup for the CLI tests. Tools come from $KT_BIN (scripts/test sets it); Kafka tests
# use the broker scripts/test started ($KT_TEST_BROKERS). Without one they skip — except under
# CI=true, where a missing broker fails the test.
# scripts/test runs two files at a time against the one broker: a test names its own topics,
# groups and ports (new_topic, free_port). crash.bats (kill -9 bounces) runs after them, two of
# its tests at a time; only outage.bats, run alone last, may stop the broker.

: "${KT_BIN:=$BATS_TEST_DIRNAME/../../build/bin}"
export PATH="$KT_BIN:$PATH"
DATA="$BATS_TEST_DIRNAME/../data"
bats_require_minimum_version 1.5.0
unset KT_BROKERS KT_CONFIG

need_kafka() {
  if [ -z "${KT_TEST_BROKERS:-}" ]; then
    if [ "${CI:-}" = "true" ]; then
      echo "no Kafka broker (KT_TEST_BROKERS unset) and CI=true" >&2
      return 1
    fi
    skip "no Kafka broker (run scripts/test)"
  fi
  export KT_BROKERS="$KT_TEST_BROKERS"
  B="$KT_TEST_BROKERS"
}

# A topic name no other test uses.
new_topic() { echo "t${BATS_TEST_NUMBER}-$(basename "$BATS_TEST_FILENAME" .bats)-$1-$RANDOM$RANDOM"; }

# Number of partitions of a topic (empty when it does not exist). All topics' metadata, not the
# topic's own: a metadata request naming a missing topic makes the broker create it (1 partition).
partition_count() {
  kcat -b "$B" -L 2>/dev/null | sed -n "s/^  topic \"$1\" with \([0-9]*\) partitions.*/\1/p"
}

# Number of records in a topic: the sum of its partitions' end offsets (test topics start at
# offset 0). Unlike reading the topic with -e, this returns at once while it is being written.
topic_count() {
  local n p total=0
  n=$(partition_count "$1")
  [ -n "$n" ] || { echo 0; return; }
  for ((p = 0; p < n; p++)); do
    total=$((total + $(kcat -b "$B" -Q -t "$1:$p:-1" 2>/dev/null | sed -n 's/.* offset \([0-9-]*\).*/\1/p')))
  done
  echo "$total"
}

# wait_until SECONDS CMD...: polls CMD every 0.2 s until it succeeds; fails after SECONDS.
wait_until() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    [ $SECONDS -lt $deadline ] || { echo "timed out waiting for: $*" >&2; return 1; }
    sleep 0.2
  done
}

# Canonical JSON lines (sorted keys) for order-insensitive comparisons.
canon() { jq -cS . "$@"; }

# The secured listener of the test broker (SASL_SSL, SCRAM-SHA-512, a test CA, ACLs enforced):
# sets S (its address), CA (the CA certificate), ALICE_PW and BOB_PW, and SASL (the -X options
# of user alice, password not included). Fails like need_kafka when there is none.
need_sasl_kafka() {
  need_kafka
  local run=${KT_KAFKA_RUN:-}
  if [ -z "$run" ] || [ ! -s "$run/sasl_bootstrap" ]; then
    if [ "${CI:-}" = "true" ]; then echo "no secured listener (\$KT_KAFKA_RUN/sasl_bootstrap) and CI=true" >&2; return 1; fi
    skip "no secured listener (run scripts/test)"
  fi
  S=$(cat "$run/sasl_bootstrap")
  CA="$run/ssl/ca.crt"
  ALICE_PW=$(awk '$1 == "alice" {print $2}' "$run/sasl_users")
  BOB_PW=$(awk '$1 == "bob" {print $2}' "$run/sasl_users")
  SASL=(-X security.protocol=SASL_SSL -X sasl.mechanisms=SCRAM-SHA-512 -X "ssl.ca.location=$CA")
}

# Number of committed records in a topic, read whole (read_committed): unlike topic_count, it
# does not count transaction markers (a stateful tool writes its changelog in transactions).
record_count() {
  kcat -b "$B" -C -t "$1" -e -q -X isolation.level=read_committed -f 'x\n' 2>/dev/null | wc -l
}

# free_port: a free loopback port for --http, outside the kernel's ephemeral range (a tool's port
# inside it could be taken by a connection before the tool binds it).
. "$BATS_TEST_DIRNAME/../../scripts/lib/free-port.bash"

# metric PORT NAME [LABEL=VALUE...]: the sum of the matching samples of a tool's --http /metrics,
# read with prometheus_client's parser (tests/cli/prom.py); "none" when there are none.
metric() {
  local port=$1; shift
  curl -sf "http://127.0.0.1:$port/metrics" | /usr/bin/python3 "$BATS_TEST_DIRNAME/prom.py" "$@"
}

# Confluent's Python client (confluent-kafka, in the venv scripts/test made: $KT_TEST_PYCLIENTS),
# an independent client. Fails like need_kafka when there is none.
need_pyclients() {
  need_kafka
  if [ -z "${KT_TEST_PYCLIENTS:-}" ]; then
    [ "${CI:-}" != "true" ] || { echo "no Python clients (KT_TEST_PYCLIENTS) and CI=true" >&2; return 1; }
    skip "no Python clients (run scripts/test)"
  fi
}

# A gap as a cooperative rebalance cut short leaves it, made by an independent client (Confluent's
# Python client, tests/cli/static_member.py; needs need_pyclients). gap_start GROUP TOPIC: static
# member x holds TOPIC's 4 partitions (logs in $BATS_TEST_TMPDIR/die, /hold, /join). The caller
# then starts a member whose join moves 2 of them in two rounds. gap_finish: x dies in its revoke
# callback, between the rounds, and its replacement (same instance id) is handed the 2 the broker
# stored for x without a rebalance; the other 2 have no owner. Sets HELD_P and HELD_Q, the
# replacement's partitions. Both members' pids go to PIDS.
gap_member() {
  exec "$KT_TEST_PYCLIENTS/bin/python" "$BATS_TEST_DIRNAME/static_member.py" "$B" "$GAP_GROUP" "$GAP_TOPIC" "$1" \
    "$BATS_TEST_TMPDIR/$1"
}
gap_start() {
  GAP_GROUP=$1 GAP_TOPIC=$2
  gap_member die &
  GAP_X=$!
  PIDS+=("$GAP_X")
  gap_holds() { [ "$(cat "$BATS_TEST_TMPDIR/die" 2>/dev/null)" = "assigned 0 1 2 3" ]; }
  wait_until 60 gap_holds
}
gap_finish() {
  gap_dying() { grep -q "^revoked" "$BATS_TEST_TMPDIR/die"; }
  wait_until 60 gap_dying
  wait "$GAP_X"
  gap_member hold &
  PIDS+=($!)
  gap_held() { [ -s "$BATS_TEST_TMPDIR/hold" ]; }
  wait_until 30 gap_held
  local what rest
  read -r what HELD_P HELD_Q rest < "$BATS_TEST_TMPDIR/hold"
  [ "$what $rest" = "assigned " ] && [ -n "$HELD_Q" ]
}

# The Schema Registry scripts/test started (Apicurio, Confluent's API): sets REG (its URL) and
# SERDE (Confluent's own Python serializers, tests/registry/confluent_serde.py, in the venv
# scripts/test made: $KT_TEST_PYCLIENTS). Fails like need_kafka when there is none.
need_registry() {
  need_kafka
  if [ -z "${KT_TEST_REGISTRY:-}" ] || [ -z "${KT_TEST_PYCLIENTS:-}" ]; then
    if [ "${CI:-}" = "true" ]; then
      echo "no Schema Registry (KT_TEST_REGISTRY or KT_TEST_PYCLIENTS unset) and CI=true" >&2
      return 1
    fi
    skip "no Schema Registry (run scripts/test)"
  fi
  REG="$KT_TEST_REGISTRY"
  unset KT_REGISTRY
}
# The id of the latest schema of topic $1's values.
value_schema_id() { curl -sf "$REG/subjects/$1-value/versions/latest" | jq .id; }
serde() { "$KT_TEST_PYCLIENTS/bin/python" "$BATS_TEST_DIRNAME/../registry/confluent_serde.py" "$1" "$REG" "${@:2}"; }

# same_names LISTED BEFORE AFTER: a tool's list of every topic or group (LISTED, one name a
# line) against an independent client's lists taken just before and just after it, while other
# test files create and delete topics and groups on the same broker: every name seen both
# times is listed, and every name listed was seen at least once.
same_names() {
  local listed before after missing extra
  listed=$(echo "$1" | LC_ALL=C sort) before=$(echo "$2" | LC_ALL=C sort) after=$(echo "$3" | LC_ALL=C sort)
  missing=$(LC_ALL=C comm -23 <(LC_ALL=C comm -12 <(echo "$before") <(echo "$after")) <(echo "$listed"))
  extra=$(LC_ALL=C comm -23 <(echo "$listed") <(printf '%s\n%s\n' "$before" "$after" | LC_ALL=C sort -u))
  [ -z "$missing" ] && [ -z "$extra" ] || { echo "not listed: $missing; listed, never seen: $extra"; return 1; }
}
