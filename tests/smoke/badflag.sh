#!/bin/sh
# An unknown flag is a usage error: exit 2, a message on stderr, a suggestion for a near miss.
"$1" --no-such-flag >/dev/null 2>/tmp/kt-badflag.$$; rc=$?
err=$(cat /tmp/kt-badflag.$$); rm -f /tmp/kt-badflag.$$
[ "$rc" -eq 2 ] || { echo "exit $rc, want 2"; echo "$err"; exit 1; }
echo "$err" | grep -q "no-such-flag" || { echo "stderr does not name the flag: $err"; exit 1; }
"$1" --verbse >/dev/null 2>/tmp/kt-badflag.$$; rc=$?
err=$(cat /tmp/kt-badflag.$$); rm -f /tmp/kt-badflag.$$
[ "$rc" -eq 2 ] || { echo "--verbse: exit $rc, want 2"; exit 1; }
echo "$err" | grep -q "did you mean '--verbose'" || { echo "no suggestion for --verbse: $err"; exit 1; }
