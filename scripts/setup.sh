#!/usr/bin/env bash
# One-time machine set-up for Riptide: Debian packages, pinned third-party sources, nothing else.
# Idempotent and quiet when everything is already there. Package hosts are never named here:
# every apt source this script adds is derived from the machine's own Debian source entry.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/versions.sh"
. "$here/scripts/apt-sources.sh"

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

our_sources=/etc/apt/sources.list.d/riptide.sources

write_sources() {
    local main sec keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    main=$(debian_uri); sec=$(security_uri)
    [ -n "$main" ] || { echo "setup: no bookworm entry in $machine_sources" >&2; exit 1; }
    {
        printf 'Types: deb deb-src\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: %s\n\n' "$main" "$keyring"
        printf 'Types: deb-src\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: %s\n' "$main" "$keyring"
        [ -z "$sec" ] || printf '\nTypes: deb-src\nURIs: %s\nSuites: bookworm-security\nComponents: main\nSigned-By: %s\n' "$sec" "$keyring"
    } > /tmp/riptide.sources.$$
    if ! cmp -s /tmp/riptide.sources.$$ "$our_sources" 2>/dev/null; then
        sudo_ cp /tmp/riptide.sources.$$ "$our_sources"
        sudo_ apt-get -qq update
    fi
    rm -f /tmp/riptide.sources.$$
}

packages=(build-essential cmake ninja-build gcc-riscv64-linux-gnu g++-riscv64-linux-gnu
          binutils-riscv64-linux-gnu dpkg-dev cpio expect python3)

need_packages() {
    local missing=()
    for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "setup: installing ${missing[*]}"
        sudo_ env DEBIAN_FRONTEND=noninteractive apt-get -qq install -y "${missing[@]}" >/dev/null
    fi
    # QEMU 10 from backports: bookworm's 7.2 flushes its TLB on every sstatus.SUM change.
    if ! qemu-system-riscv64 --version 2>/dev/null | grep -q "version ${QEMU_MAJOR}\."; then
        echo "setup: installing qemu-system-misc from bookworm-backports"
        sudo_ env DEBIAN_FRONTEND=noninteractive apt-get -qq install -y -t bookworm-backports \
            qemu-system-misc >/dev/null
    fi
}

write_sources
need_packages
"$here/scripts/fetch-deps.sh"
