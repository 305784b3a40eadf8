#!/bin/sh
# mansync.sh TOOL PAGE.scd: the tool and its man page (the scdoc source as rendered, shared
# fragments included) agree both ways: every option TOOL's --help shows (its subcommands' too)
# is in the page, and every option an entry of the page names (a line starting "*-") exists.
tool=$1 page=$2
here=$(dirname "$0")
name=$(basename "$tool")
accepted=$("$here/../../cmake/tool_options.sh" "$tool")
missing=0
for opt in $accepted; do
  # scdoc escapes nothing in option names; look for the option as a word.
  if ! grep -qE -- "(^|[^A-Za-z0-9-])$opt([^A-Za-z0-9-]|$)" "$page"; then
    echo "$name: option $opt is in --help but not in its man page ($page)"
    missing=1
  fi
done
tab=$(printf '\t')
awk -v mode=list -f "$here/../../cmake/man_options.awk" "$page" | {
  bad=0
  while IFS="$tab" read -r where opt; do
    if ! echo "$accepted" | grep -qx -- "$opt"; then
      echo "$name: the man page documents $opt ($where), which the tool does not take"
      bad=1
    fi
  done
  exit $bad
} || missing=1
exit $missing
