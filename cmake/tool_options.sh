#!/bin/sh
# tool_options.sh TOOL: every option TOOL accepts, one per line, sorted: from its --help and from
# each subcommand's (render_man.sh keeps the shared fragment's entries a tool accepts; the
# mansync test checks the man page against it both ways).
tool=$1
opts() {
  "$tool" "$@" --help | grep -E '^ +-' | sed -E 's/^ +//; s/  .*//' |
    grep -oE -- '(^|,)--?[A-Za-z][A-Za-z0-9-]*' | tr -d ,
}
{
  opts
  for sub in $("$tool" --help | sed -n '/^Subcommands:/,$p' | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'); do
    opts "$sub"
  done
} | sort -u
