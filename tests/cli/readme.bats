#!/usr/bin/env bats
# README runs as a script: every command of its sh blocks, in order, on a kbroker of its own
# (tests/cli/readme_run.py says what each step must show).
load helpers

@test "README runs as a script on kbroker: every command in order gives output, or the exit status it documents" {
  run python3 "$BATS_TEST_DIRNAME/readme_run.py" "$BATS_TEST_DIRNAME/../../README.md" "$KT_BIN" "$DATA"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"readme: "*" steps, 0 failed"* ]]
}
