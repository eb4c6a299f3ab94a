# Pinned third-party versions (Debian source packages). Sourced by setup.sh and fetch-deps.sh.
QEMU_MAJOR=10
UBOOT_VERSION=2023.01+dfsg-2+deb12u3
FMT_VERSION=9.1.0+ds1-2
GTEST_VERSION=1.12.1-0.2
MUSL_VERSION=1.2.3-1
CATCH2_VERSION=2.13.10-1
BUSYBOX_VERSION=1:1.35.0-4+deb12u1
