#!/bin/sh
# --version exits 0 and names the tool and ktools.
out=$("$1" --version) || { echo "--version exited $?"; exit 1; }
name=$(basename "$1")
echo "$out" | head -1 | grep -q "^$name (ktools) " || { echo "bad --version: $out"; exit 1; }
