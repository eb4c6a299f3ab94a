#!/usr/bin/env bash
# install-busybox.sh BUSYBOX_DIR ROOT: puts busybox in the guest root as /bin/busybox with a
# relative symbolic link for each applet where busybox.links says it goes (/bin/ls,
# /sbin/init, /usr/bin/sort...), as busybox's own `make install` lays them out. Links of an
# earlier install go first, so an applet that was dropped leaves nothing behind.
set -euo pipefail
bb=$1 root=$2
mkdir -p "$root/bin"
find "$root" -type l -lname '*bin/busybox' -delete
cp "$bb/busybox" "$root/bin/busybox.tmp" && mv "$root/bin/busybox.tmp" "$root/bin/busybox"
while read -r path; do
    [ -n "$path" ] || continue
    dir=${path%/*} up=""
    # One ../ for each directory between the root and the link.
    slashes=${dir//[^\/]/}
    for ((i = 0; i < ${#slashes}; i++)); do up+=../; done
    if [ -e "$root$path" ] && [ ! -L "$root$path" ]; then
        echo "install-busybox: $path is a guest program already, not replaced" >&2; exit 1
    fi
    mkdir -p "$root$dir"
    ln -sfn "${up}bin/busybox" "$root$path"
done < "$bb/busybox.links"
