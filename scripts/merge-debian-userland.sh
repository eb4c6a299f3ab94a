#!/usr/bin/env bash
# merge-debian-userland.sh BASE DEBIAN OUT: makes OUT, the root of the full initramfs, from the
# base guest root (test programs, busybox and its links, /etc) and Debian's programs and
# libraries (fetch-debian-userland.sh). Usr-merged as Debian expects (/lib -> usr/lib, so the
# loader is /lib/ld-linux-riscv64-lp64d.so.1), except /bin and /sbin: they stay busybox's
# directories. Where both have a program (/usr/bin/sort...), Debian's replaces the busybox link;
# any other clash is an error.
set -euo pipefail
base=$1 debian=$2 out=$3
rm -rf "$out" && mkdir -p "$out"
cp -a "$base/." "$out/"
(cd "$debian" && find usr etc ! -type d) | while read -r f; do
    if [ -e "$out/$f" ] || [ -L "$out/$f" ]; then
        case $(readlink "$out/$f" 2>/dev/null) in
        *bin/busybox) rm "$out/$f" ;;
        *) echo "merge-debian-userland: $f is in both roots" >&2; exit 1 ;;
        esac
    fi
done
cp -a "$debian/usr" "$debian/etc" "$out/"
ln -s usr/lib "$out/lib"
# For scripts that start #!/bin/bash.
ln -s ../usr/bin/bash "$out/bin/bash"
