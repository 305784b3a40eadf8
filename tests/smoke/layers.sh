#!/bin/sh
# libcommon's layers point one way (docs/ARCHITECTURE.md): a file in layer N may include
# kt/<layer>/ headers only of layers 0..N. Fails naming every include that points up.
root=${1:-$(dirname "$0")/../..}
layers="core codec expr io kafka run state stream app"
rank() { i=0; for l in $layers; do [ "$l" = "$1" ] && { echo $i; return; }; i=$((i + 1)); done; echo 99; }
bad=0
for dir in "$root"/libcommon/include/kt "$root"/libcommon/src; do
  for layer in $layers; do
    [ -d "$dir/$layer" ] || continue
    mine=$(rank "$layer")
    for f in $(find "$dir/$layer" -name '*.hpp' -o -name '*.cpp'); do
      for inc in $(sed -n 's|^#include "kt/\([a-z_]*\)/.*|\1|p' "$f" | sort -u); do
        if [ "$(rank "$inc")" -gt "$mine" ]; then
          echo "layers: ${f#$root/} ($layer) includes from $inc, a higher layer"
          bad=1
        fi
      done
    done
  done
done
# No header outside a layer folder.
for f in $(find "$root"/libcommon/include/kt "$root"/libcommon/src -maxdepth 1 -type f); do
  echo "layers: ${f#$root/} is not in a layer folder"; bad=1
done
exit $bad
