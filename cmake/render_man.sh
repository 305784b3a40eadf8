#!/bin/sh
# render_man.sh SCDOC OUT SRC... : concatenates the scdoc sources and renders them to OUT.
scdoc=$1 out=$2
shift 2
mkdir -p "$(dirname "$out")"
cat "$@" | "$scdoc" > "$out.tmp" && mv "$out.tmp" "$out"
