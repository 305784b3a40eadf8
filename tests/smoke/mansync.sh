#!/bin/sh
# Every option the tool's --help shows must be documented in its man page (scdoc sources:
# the page and the shared fragments it is built from).
tool=$1
shift
missing=0
# Option names come from the first column of --help's option lines ("  -i,--input TEXT  ...").
for opt in $("$tool" --help | grep -E '^ +-' | sed -E 's/^ +//; s/  .*//' |
             grep -oE -- '(^|,)--?[A-Za-z][A-Za-z0-9-]*' | tr -d , | sort -u); do
  # scdoc escapes nothing in option names; look for the option as a word.
  if ! cat "$@" | grep -qE -- "(^|[^A-Za-z0-9-])$opt([^A-Za-z0-9-]|$)"; then
    echo "$(basename "$tool"): option $opt is in --help but not in its man page ($*)"
    missing=1
  fi
done
exit $missing
