#!/usr/bin/env bash
# install-busybox-testsuite.sh SRC BUSYBOX_DIR ROOT: lays busybox's test suite out in the guest
# root as runtest expects it, in /opt/busybox: testsuite/ from the source, and one level up the
# busybox it tests (a link to /bin/busybox), its .config (tests skip what is not built) and the
# two example files parse.tests reads. The in-guest driver is /opt/busybox/run-testsuite.
set -euo pipefail
src=$1 bb=$2 root=$3
here=$(cd "$(dirname "$0")/.." && pwd)
dest=$root/opt/busybox
rm -rf "$dest" && mkdir -p "$dest/examples/udhcp"
cp -a "$src/testsuite" "$dest/testsuite"
cp "$bb/.config" "$dest/.config"
ln -s ../../bin/busybox "$dest/busybox"
cp "$src/examples/inittab" "$dest/examples/inittab"
cp "$src/examples/udhcp/udhcpd.conf" "$dest/examples/udhcp/udhcpd.conf"
cp "$here/user/busybox/run-testsuite" "$dest/run-testsuite"
