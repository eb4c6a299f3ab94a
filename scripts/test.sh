#!/usr/bin/env bash
# Runs every test: the host unit tests (ctest), then the kernel's own tests booted in QEMU at
# -smp 1 and -smp 4, the user programs through the in-guest runner, the console under a
# pseudo-terminal, busybox's shell and the panic path. Any failure, panic, hang or missing
# summary fails the run. The last line is the sum over everything: `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
kernel=build/riscv/kernel/kernel.elf
initrd=build/riscv/initramfs.cpio
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

# Guest tests: the kernel's in-kernel suite ("test") on one hart with little memory, on four
# with more, and on two whose harts lack Sstc (timers through SBI instead); then the user
# programs through the in-guest runner (init=/bin/runtests) on one hart and on four.
for run in "1 128M test" "4 2G test" "2 512M test nosstc" "1 256M init=/bin/runtests" "4 1G init=/bin/runtests"; do
    set -- $run; smp=$1 mem=$2 mode=$3 cpu=()
    [ "${4:-}" = nosstc ] && cpu=(--cpu rv64,sstc=false)
    name="${mode%%=*}${4:+-$4}"; name=${name/init/user}
    set -- "$smp" "$mem" "$name"
    out="$log/guest-smp$smp-$name.txt"
    # The user programs' console receives one line (console_read checks it arrives).
    scripts/qemu.sh --smp "$smp" --mem "$mem" "${cpu[@]}" --timeout 180 --initrd "$initrd" --append "$mode" \
        --input $'riptide console input\n' -- "$kernel" >"$out" 2>&1
    status=$?
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
    if [ -z "$line" ]; then
        echo "guest -smp $smp $3: no summary (exit $status): panic, hang or crash. Last output:"
        tail -30 "$out"
        count "guest -smp $smp $3" 0 1
        continue
    fi
    p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
    if [ "$status" != 0 ] && [ "$f" = 0 ]; then f=1; echo "guest -smp $smp: exit status $status"; fi
    [ "$f" = 0 ] || grep -E 'FAIL' "$out"
    count "guest -smp $smp $3" "$p" "$f"
done

# The console as a terminal, from outside: keys typed through a pseudo-terminal into
# tty_interactive (echo and editing, ^D, ^C and ^Z to foreground jobs, raw mode).
out="$log/tty-pty.txt"
timeout --kill-after=5 150 scripts/tty_test.py --smp 2 --timeout 120 "$kernel" "$initrd" >"$out" 2>&1
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
if [ -n "$line" ]; then
    p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
    [ "$f" = 0 ] || grep -E '^FAIL' "$out"
    count "tty (pseudo-terminal)" "$p" "$f"
else
    echo "tty (pseudo-terminal): no summary. Last output:"; tail -20 "$out"
    count "tty (pseudo-terminal)" 0 1
fi

# busybox from the initramfs: its shell (/bin/sh, a link to /bin/busybox) reads a command from
# the console, and `poweroff -f` ends the machine through glibc's reboot(), which passes the
# magic numbers sign-extended.
out="$log/busybox-poweroff.txt"
scripts/qemu.sh --smp 1 --mem 256M --timeout 60 --initrd "$initrd" --append init=/bin/sh \
    --input $'poweroff -f\n' -- "$kernel" >"$out" 2>&1
status=$?
if [ "$status" = 0 ] && grep -q 'reboot(0x4321fedc) by a process' "$out"; then
    count "busybox sh poweroff" 1 0
else
    echo "busybox sh poweroff: exit $status, expected 0 after reboot(0x4321fedc):"
    tail -20 "$out"
    count "busybox sh poweroff" 0 1
fi

# The panic path, from outside: a deliberate kernel bug must print its cause and a symbolised
# backtrace and power off with the panic status (126).
for probe in "probe-spinlock:spinlock held across co_await" "probe-fault:load page fault"; do
    arg=${probe%%:*} want=${probe#*:}
    out="$log/$arg.txt"
    scripts/qemu.sh --smp 2 --mem 256M --timeout 60 --append "$arg" -- "$kernel" >"$out" 2>&1
    status=$?
    if [ "$status" = 126 ] && grep -q "PANIC.*$want" "$out" && grep -qE '^ +.* at (kernel|arch)/' "$out"; then
        count "panic $arg" 1 0
    else
        echo "panic $arg: exit $status, expected 126 with '$want' and a symbolised backtrace:"
        tail -20 "$out"
        count "panic $arg" 0 1
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
