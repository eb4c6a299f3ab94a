#!/usr/bin/env bash
# Debian's own dynamically linked riscv64 programs for the guest: downloads libc6, coreutils,
# bash and a few more with their dependencies from Debian's riscv64 archive (the suite
# linux-baseline boots), unpacks them into a version-keyed directory of the cache, once, links
# it as build/third_party/debian-userland and prints its path. Warm runs touch no network.
#
# The directory is a usr-merged root fragment: usr/bin, usr/sbin, usr/lib/riscv64-linux-gnu,
# usr/lib/ld-linux-riscv64-lp64d.so.1, etc/; what a package put in /bin, /sbin or /lib is moved
# under usr/, as Debian's usr-merge does (the guest's /lib is a link to usr/lib). MANIFEST lists
# each package and version; REQUEST the packages asked for, which is what a warm run matches.
# Delete the cache entry to fetch the archive's current versions again.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/debian-archive.sh"

cache=${RIPTIDE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/riptide}
link=$here/build/third_party/debian-userland
suites=${DEBIAN_USERLAND_SUITES:-trixie stable}
packages=(libc6 coreutils bash grep sed findutils mawk diffutils gzip tar)
# Dependencies left out: base-files carries the usr-merge links and /etc files its maintainer
# scripts finish (the guest has its own), debianutils only serves maintainer scripts here.
skipped=" base-files debianutils "
# Nothing these programs need at run time: documentation, translations, and iconv's charset
# modules (6 MiB; UTF-8 and ASCII are built into glibc).
pruned=(usr/share/doc usr/share/doc-base usr/share/man usr/share/info usr/share/locale
        usr/share/lintian usr/share/bug usr/share/menu usr/share/bash-completion usr/share/gcc
        usr/lib/riscv64-linux-gnu/gconv)

say() { echo "fetch-debian-userland: $*" >&2; }
die() { say "$*"; exit 1; }

request="packages: ${packages[*]}; skipped:$skipped; pruned: ${pruned[*]}"

# The newest cache entry made for this package list, if any.
cached_root() {
    local d
    for d in $(ls -dt "$cache"/debian-userland-*/ 2>/dev/null); do
        [ "$(cat "$d/REQUEST" 2>/dev/null)" = "$request" ] && { echo "${d%/}"; return 0; }
    done
    return 1
}

download() {
    mkdir -p "$cache"
    work=$(mktemp -d "$cache/.fetch.XXXXXX") # global: the trap runs after this function returns
    trap 'rm -rf "$work"' EXIT
    mkdir -p "$work"/{deb,out}

    say "fetching ${packages[*]} from Debian's riscv64 archive"
    debian_archive_open "$work" "$suites" || die "cannot read Debian's riscv64 archive"
    # apt resolves the dependencies against an empty system: every package it would install.
    apt-get -s -qq install --no-install-recommends "${packages[@]}" 2>"$work/resolve.log" |
        awk '$1 == "Inst" { v = $3; gsub(/[()]/, "", v); print $2, v }' |
        while read -r name version; do
            case $skipped in *" $name "*) continue ;; esac
            echo "$name $version"
        done | LC_ALL=C sort > "$work/out/MANIFEST"
    [ -s "$work/out/MANIFEST" ] || { cat "$work/resolve.log" >&2; die "apt resolved nothing"; }
    (cd "$work/deb" && awk '{ print $1 "=" $2 }' "$work/out/MANIFEST" | xargs apt-get -qq download) >&2

    local deb d
    for deb in "$work"/deb/*.deb; do dpkg-deb -x "$deb" "$work/out"; done
    # usr-merge: what is still under /bin, /sbin or /lib moves to /usr.
    for d in bin sbin lib; do
        [ -d "$work/out/$d" ] && [ ! -L "$work/out/$d" ] || continue
        mkdir -p "$work/out/usr/$d"
        cp -a "$work/out/$d/." "$work/out/usr/$d/" && rm -rf "${work:?}/out/$d"
    done
    for d in "${pruned[@]}"; do rm -rf "${work:?}/out/$d"; done
    echo "$request" > "$work/out/REQUEST"
    echo "$debian_suite" > "$work/out/SUITE"

    # Keyed by the versions; moved in whole, so an interrupted fetch leaves no half entry.
    local key dest
    key=$(sha256sum "$work/out/MANIFEST" | cut -c1-12)
    dest=$cache/debian-userland-$debian_suite-$key
    [ -d "$dest" ] || mv "$work/out" "$dest"
    echo "$dest"
}

root=$(cached_root) || root=$(download)
mkdir -p "$(dirname "$link")"
ln -sfn "$root" "$link"
echo "$root"
