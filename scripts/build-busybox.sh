#!/usr/bin/env bash
# Cross-builds busybox from the fetched Debian source into a version-keyed directory in the cache,
# once, and links it as build/third_party/busybox: busybox (static riscv64), .config (the test
# suite reads it to skip what is not built) and busybox.links (where each applet goes: /bin/ls,
# /usr/bin/sort...). Warm runs find it and do nothing. Run by fetch-deps.sh after the fetch.
#
# The configuration is busybox's `make defconfig` (every applet it enables by default) with one
# change: CONFIG_STATIC=y, because a static binary needs no loader or libraries in the guest.
# The cross prefix is given on make's command line instead of CONFIG_CROSS_COMPILER_PREFIX, so
# the .config the test suite reads is defconfig's but for that one line.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/versions.sh"
cache=${RIPTIDE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/riptide}
version=${BUSYBOX_VERSION#*:}
src=$cache/busybox-src-$version
dest=$cache/busybox-build-$version
if [ ! -f "$dest/.built" ]; then
    echo "build: busybox $version for riscv64 (static, defconfig)"
    work=$(mktemp -d "$cache/tmp.XXXXXX")
    make_() { make -C "$work" CROSS_COMPILE=riscv64-linux-gnu- "$@"; }
    # Out of tree (O=), so the cached source stays pristine.
    (make -C "$src" O="$work" defconfig &&
        sed -i 's/^# CONFIG_STATIC is not set$/CONFIG_STATIC=y/' "$work/.config" &&
        make_ oldconfig </dev/null && grep -qx CONFIG_STATIC=y "$work/.config" &&
        make_ -j2 busybox busybox.links) >"$work/make.log" 2>&1 || {
        echo "build: busybox failed; log in $work/make.log" >&2; exit 1; }
    rm -rf "$dest" && mkdir -p "$dest"
    cp "$work/busybox" "$work/.config" "$work/busybox.links" "$dest/"
    touch "$dest/.built" && rm -rf "$work"
fi
ln -sfn "$dest" "$here/build/third_party/busybox"
