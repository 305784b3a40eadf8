#!/bin/sh
# package.sh BUILD_DIR: builds the Debian package with CPack and checks what it installs:
# extracted into a temporary root, a tool runs (--version), its man page renders, and the
# bash and zsh completions are where the shells look for them.
set -eu
build=$1
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
cd "$build"
cpack -G DEB -B "$root/out" >"$root/cpack.log" 2>&1 || { cat "$root/cpack.log"; exit 1; }
deb=$(ls "$root"/out/ktools_*.deb)
dpkg-deb --info "$deb" | grep -q "Package: ktools"
dpkg-deb --info "$deb" | grep -E "Depends:.*librdkafka" >/dev/null || { echo "no librdkafka dependency"; exit 1; }
dpkg-deb -x "$deb" "$root/fs"
for t in kmap kfilter ktopic kgroup kbatch kjoin kbroker; do
  "$root/fs/usr/bin/$t" --version | grep -q "$t" || { echo "$t --version failed"; exit 1; }
  [ -f "$root/fs/usr/share/bash-completion/completions/$t" ] || { echo "no bash completion for $t"; exit 1; }
done
MANWIDTH=80 man -l "$root/fs/usr/share/man/man1/kmap.1" 2>/dev/null | grep -q "kmap - reshape JSON records" || { echo "kmap(1) does not render"; exit 1; }
MANWIDTH=80 man -l "$root/fs/usr/share/man/man7/ktools.7" 2>/dev/null | grep -q "kbatch" || { echo "ktools(7) does not render"; exit 1; }
[ -f "$root/fs/usr/share/zsh/vendor-completions/_ktools" ] || { echo "no zsh completion"; exit 1; }
[ -f "$root/fs/usr/share/doc/ktools/examples/ktools-ktable@.service" ] || { echo "no example systemd unit"; exit 1; }
[ -x "$root/fs/usr/share/doc/ktools/examples/entrypoint.sh" ] || { echo "no example container entrypoint"; exit 1; }
echo "package ok: $(basename "$deb"), $(dpkg-deb --info "$deb" | sed -n 's/^ Installed-Size: //p') KiB installed"
