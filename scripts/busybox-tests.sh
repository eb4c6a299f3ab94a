#!/usr/bin/env bash
# busybox's own test suite in the guest (make busybox-tests): boots a kernel with the full
# initramfs and runs /opt/busybox/run-testsuite, then prints the PASS, FAIL, SKIPPED, UNTESTED
# and TIMEOUT counts and the names of the cases that failed, read from the serial output (kept
# in build/busybox-tests/KERNEL.log).
#   busybox-tests.sh [--kernel riptide|linux] [--smp N] [--mem SIZE] [--timeout SECONDS]
# Linux (the baseline: Debian's kernel, same QEMU and initramfs) gives the goal figure. After a
# Linux run, a Riptide run also lists the cases that pass on Linux but not on Riptide
# (build/busybox-tests/missing.txt).
# Exit status: 0 when the suite ran to its end (whatever its failures), 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
kernel=riptide smp=1 mem=1G timeout=3600
while [ $# -gt 0 ]; do
    case $1 in
    --kernel) kernel=$2; shift 2 ;;
    --smp) smp=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    *) echo "busybox-tests.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
initrd=build/riscv/initramfs-full.cpio
out=build/busybox-tests
mkdir -p "$out"
log=$out/$kernel.log

start=$(date +%s)
case $kernel in
riptide)
    # Riptide's init= takes no #! script yet: busybox's sh is the first process and reads the
    # driver's path from the console.
    scripts/qemu.sh --smp "$smp" --mem "$mem" --timeout "$timeout" --initrd "$initrd" \
        --append init=/bin/sh --input $'/opt/busybox/run-testsuite\n' \
        -- build/riscv/kernel/kernel.elf >"$log" 2>&1 ;;
linux)
    scripts/linux-baseline run --smp "$smp" --mem "$mem" --timeout "$timeout" --initrd "$initrd" \
        --append "quiet rdinit=/opt/busybox/run-testsuite" >"$log" 2>&1 ;;
*) echo "busybox-tests.sh: --kernel is riptide or linux" >&2; exit 2 ;;
esac
status=$?

# The suite's own lines, between the driver's markers, without the serial line's carriage returns.
tr -d '\r' <"$log" | sed -n '/^busybox-tests: start$/,/^busybox-tests: end$/p' >"$out/$kernel.results"
count() { grep -c "^$1: " "$out/$kernel.results"; }
echo "busybox test suite on $kernel ($(($(date +%s) - start)) s, exit status $status):" \
    "$(count PASS) passed, $(count FAIL) failed, $(count SKIPPED) skipped," \
    "$(count UNTESTED) untested, $(count TIMEOUT) timed out"
grep -E '^(FAIL|TIMEOUT): ' "$out/$kernel.results" | sed 's/^/  /'
if [ "$kernel" = riptide ] && [ -s "$out/linux.results" ]; then
    passes() { grep '^PASS: ' "$1" | sed 's/^PASS: //' | LC_ALL=C sort; }
    LC_ALL=C comm -23 <(passes "$out/linux.results") <(passes "$out/riptide.results") \
        >"$out/missing.txt"
    echo "passing on Linux but not on Riptide: $(wc -l <"$out/missing.txt") (in $out/missing.txt)"
fi
if ! grep -q '^busybox-tests: end$' "$out/$kernel.results"; then
    echo "the suite did not run to its end; the last output:"
    tail -20 "$log"
    exit 1
fi
