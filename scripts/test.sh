#!/usr/bin/env bash
# Runs every test: the host unit tests (ctest), then the kernel's own tests booted in QEMU at
# -smp 1 and -smp 4. Any failure, panic, hang or missing summary fails the run. The last line
# is the sum over everything: `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
kernel=build/riscv/kernel/kernel.elf
passed=0 failed=0
log=build/test-logs
mkdir -p "$log"

count() {  # count NAME PASSED FAILED
    printf '%-28s %s passed, %s failed\n' "$1" "$2" "$3"
    passed=$((passed + $2)) failed=$((failed + $3))
}

# Host tests.
ctest --test-dir build/host --output-on-failure -j2 --timeout 300 >"$log/host.txt" 2>&1
summary=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log/host.txt")
if [ -n "$summary" ]; then
    total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$summary")
    bad=$(sed -E 's/.* ([0-9]+) tests failed.*/\1/' <<<"$summary")
    count "host (ctest)" $((total - bad)) "$bad"
    [ "$bad" = 0 ] || grep -E 'Failed|\*\*\*' "$log/host.txt"
else
    echo "host tests did not run:"; tail -20 "$log/host.txt"
    count "host (ctest)" 0 1
fi

# Guest tests: the kernel's in-kernel suite on one hart with little memory and on four with more.
for run in "1 128M" "4 2G"; do
    set -- $run; smp=$1 mem=$2
    out="$log/guest-smp$smp.txt"
    scripts/qemu.sh --smp "$smp" --mem "$mem" --timeout 180 --append test -- "$kernel" >"$out" 2>&1
    status=$?
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
    if [ -z "$line" ]; then
        echo "guest -smp $smp: no summary (exit $status): panic, hang or crash. Last output:"
        tail -30 "$out"
        count "guest -smp $smp" 0 1
        continue
    fi
    p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
    if [ "$status" != 0 ] && [ "$f" = 0 ]; then f=1; echo "guest -smp $smp: exit status $status"; fi
    [ "$f" = 0 ] || grep -E 'FAIL' "$out"
    count "guest -smp $smp" "$p" "$f"
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
