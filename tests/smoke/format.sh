#!/bin/sh
# Every C++ source follows .clang-format (Google style, 110 columns, sorted includes): fails
# naming the files clang-format would change. Fix with:
#   clang-format-14 -i $(git ls-files '*.cpp' '*.hpp')
root=${1:-$(dirname "$0")/../..}
fmt=${KT_CLANG_FORMAT:-clang-format-14}
command -v "$fmt" >/dev/null || { echo "format: $fmt not found (run scripts/setup)"; exit 1; }
cd "$root" || exit 1
files=$(find libcommon tools tests bench -name '*.cpp' -o -name '*.hpp' | sort)
bad=$("$fmt" --dry-run $files 2>&1 | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: warning:.*/\1/p' | sort -u)
[ -z "$bad" ] && exit 0
echo "format: clang-format ($fmt) would change:"
echo "$bad" | sed 's/^/  /'
exit 1
