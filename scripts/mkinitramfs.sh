#!/usr/bin/env bash
# mkinitramfs.sh ROOT OUT: packs the directory ROOT into a cpio "newc" archive (the -initrd).
set -euo pipefail
root=$1 out=$2
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc --owner=0:0) > "$out.tmp"
mv "$out.tmp" "$out"
