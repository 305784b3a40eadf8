#!/bin/sh
# The bats tests assert what they seem to: `! cmd` as a statement never fails a test (bash's
# errexit ignores a negated command), so it is allowed only as the last line of a test or
# function, whose status bats does check. Elsewhere write `run cmd` and check $status, or
# `[ -z "$(cmd)" ]`. Fails naming every offending line.
root=${1:-$(dirname "$0")/../..}
awk '
  FNR == 1 { pending = "" }
  pending != "" && NF > 0 {
    if ($0 !~ /^}/) { print "bats-lint: " pending ": `! cmd` mid-test never fails; use run and $status"; bad = 1 }
    pending = ""
  }
  /^[ \t]+! / { pending = FILENAME ":" FNR }
  END { exit bad }
' "$root"/tests/cli/*.bats "$root"/tests/cli/*.bash
