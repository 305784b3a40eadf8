# Shared by crash.bats and outage.bats: runs one scenario of the independent verifier
# (tests/crash/crash.py; Kafka Streams' EosTest and SmokeTest are the model), which prints
# "crash: <scenario> ok" when what it read back equals what it recomputed.
load helpers

setup() {
  need_kafka
  export KT_BIN KT_KAFKA_SCRIPT="$BATS_TEST_DIRNAME/../../scripts/kafka"
}

crash() {
  run "$BATS_TEST_DIRNAME/../crash/crash.py" "$@"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"crash: $1 ok"* ]]
}
