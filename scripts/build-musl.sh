#!/usr/bin/env bash
# Cross-builds musl (static only) from the fetched source into a version-keyed install in the
# cache, once, and links it as build/third_party/musl (include/, lib/crt1.o, lib/libc.a...).
# Warm runs find the install and do nothing. Run by fetch-deps.sh after the source is fetched.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/versions.sh"
cache=${RIPTIDE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/riptide}
src=$cache/musl-src-$MUSL_VERSION
dest=$cache/musl-install-$MUSL_VERSION
if [ ! -f "$dest/.built" ]; then
    echo "build: musl $MUSL_VERSION for riscv64 (static)"
    work=$(mktemp -d "$cache/tmp.XXXXXX")
    # Out of tree, so the cached source stays pristine. Installed at its final path (musl-gcc's
    # specs name it); .built marks a finished install, so an interrupted one is redone.
    rm -rf "$dest"
    (cd "$work" && "$src/configure" --target=riscv64-linux-gnu CROSS_COMPILE=riscv64-linux-gnu- \
        --disable-shared --prefix="$dest" >configure.log 2>&1 &&
        make -j2 >make.log 2>&1 && make install >>make.log 2>&1) || {
        echo "build: musl failed; log in $work" >&2; exit 1; }
    touch "$dest/.built" && rm -rf "$work"
fi
ln -sfn "$dest" "$here/build/third_party/musl"
