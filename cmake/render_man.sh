#!/bin/sh
# render_man.sh SCDOC OUT [--tool BIN] PAGE [FRAGMENT...] : concatenates the scdoc sources and
# renders them to OUT; the concatenation is kept as OUT.scd (the mansync test reads it).
# With --tool, an option entry of a FRAGMENT (a line starting "*-" and the tab-indented lines and
# blank line after it) stays only when BIN accepts one of its options: the shared fragment
# documents what each tool takes, no more.
scdoc=$1 out=$2
shift 2
tool=
if [ "$1" = "--tool" ]; then tool=$2; shift 2; fi
page=$1
shift
here=$(dirname "$0")
mkdir -p "$(dirname "$out")"
{
  cat "$page"
  for fragment in "$@"; do
    if [ -z "$tool" ]; then cat "$fragment"; continue; fi
    accepted=$("$here/tool_options.sh" "$tool" | tr '\n' ' ')
    awk -v mode=filter -v accepted=" $accepted " -f "$here/man_options.awk" "$fragment"
  done
} > "$out.scd.tmp" && mv "$out.scd.tmp" "$out.scd"
"$scdoc" < "$out.scd" > "$out.tmp" && mv "$out.tmp" "$out"
