#!/bin/sh
# --help exits 0 and prints a usage line naming the tool.
out=$("$1" --help) || { echo "--help exited $?"; exit 1; }
name=$(basename "$1")
echo "$out" | grep -q "Usage: .*$name" || { echo "no 'Usage: $name' in --help:"; echo "$out"; exit 1; }
