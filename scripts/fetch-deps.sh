#!/usr/bin/env bash
# Fetches the pinned third-party sources with `apt-get source` into a version-keyed cache outside
# the repo, and links them under build/third_party. Nothing third-party is ever committed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/versions.sh"
cache=${RIPTIDE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/riptide}
out=$here/build/third_party
mkdir -p "$cache" "$out"

# fetch NAME PKG VERSION [SUBDIR]: keep SUBDIR (default: all) of the unpacked source as
# $cache/NAME-VERSION (the version without its epoch: a colon in a path confuses make and PATH).
fetch() {
    local name=$1 pkg=$2 version=$3 subdir=${4:-} dest="$cache/$1-${3#*:}"
    if [ ! -d "$dest" ]; then
        echo "fetch: $pkg $version"
        local tmp; tmp=$(mktemp -d "$cache/tmp.XXXXXX")
        (cd "$tmp" && apt-get -qq source --only-source "$pkg=$version" >/dev/null 2>&1) || {
            echo "fetch: apt-get source $pkg=$version failed" >&2; rm -rf "$tmp"; exit 1; }
        local top; top=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -1)
        mv "$top${subdir:+/$subdir}" "$dest.part"
        mv "$dest.part" "$dest"
        rm -rf "$tmp"
    fi
    ln -sfn "$dest" "$out/$name"
}

fetch libfdt u-boot "$UBOOT_VERSION" scripts/dtc/libfdt
fetch fmt fmtlib "$FMT_VERSION"
fetch googletest googletest "$GTEST_VERSION"
# Catch2 2 is one header: keep single_include/, so programs say #include "catch2/catch.hpp".
fetch catch2 catch2 "$CATCH2_VERSION" single_include
# musl's source; build-musl.sh turns it into a riscv64 libc, itself cached by version.
fetch musl-src musl "$MUSL_VERSION"
"$here/scripts/build-musl.sh"
# busybox's source; build-busybox.sh turns it into a static riscv64 busybox, cached by version.
fetch busybox-src busybox "$BUSYBOX_VERSION"
"$here/scripts/build-busybox.sh"
