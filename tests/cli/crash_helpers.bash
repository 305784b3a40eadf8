# Shared by crash.bats and outage.bats: runs one scenario of the independent verifier
# (tests/crash/crash.py; Kafka Streams' EosTest and SmokeTest are the model), which prints
# "crash: <scenario> ok" when what it read back equals what it recomputed.
load helpers

setup() {
  need_kafka
  export KT_BIN KT_KAFKA_SCRIPT="$BATS_TEST_DIRNAME/../../scripts/kafka"
}

# Each run takes a new seed, so that every run of the suite kills at other moments (Kafka Streams'
# system tests do the same); crash.py prints it first, and KT_CRASH_SEED=N runs that seed again.
crash() {
  local seed=${KT_CRASH_SEED:-$(( (RANDOM * 32768 + RANDOM) % 1000000 + 1 ))}
  run "$BATS_TEST_DIRNAME/../crash/crash.py" "$@" --seed "$seed"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"crash: $1 ok"* ]]
}
