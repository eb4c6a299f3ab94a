#!/usr/bin/env bash
# Boots a kernel on QEMU virt. Exit status is the guest's verdict (the sifive,test0 device):
# 0 pass, the guest's code on failure, 124 on timeout. Output goes through scripts/symbolize,
# which annotates panic backtraces with function and line.
#   qemu.sh [--smp N] [--mem SIZE] [--cpu MODEL] [--timeout SECONDS|0] [--append ARGS]
#           [--initrd FILE] [--input TEXT] -- KERNEL
# --input: what the guest's console receives (the serial line's input), instead of nothing. It is
# typed once the kernel's banner is out: bytes sent while the firmware and the kernel set the
# UART up can be lost, as on a real line.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
smp=2 mem=1G cpu=rv64 timeout=120 append="" initrd="" input=""
while [ $# -gt 0 ]; do
    case $1 in
    --smp) smp=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    --cpu) cpu=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --append) append=$2; shift 2 ;;
    --initrd) initrd=$2; shift 2 ;;
    --input) input=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "qemu.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
kernel=${1:?kernel image}
args=(-machine virt -cpu "$cpu" -bios default -smp "$smp" -m "$mem" -kernel "$kernel" -append "$append")
[ -n "$initrd" ] && args+=(-initrd "$initrd")
if [ "$timeout" = 0 ]; then
    # Interactive: the terminal is the console; Ctrl-A X leaves QEMU.
    qemu-system-riscv64 "${args[@]}" -nographic | "$here/symbolize" "$kernel"
    exit "${PIPESTATUS[0]}"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkfifo "$work/input"
: >"$work/output"
(
    if [ -n "$input" ]; then
        until grep -q '^Riptide ' "$work/output" 2>/dev/null; do sleep 0.2; done
        printf '%s' "$input"
    fi
) >"$work/input" &
timeout --kill-after=5 "$timeout" qemu-system-riscv64 "${args[@]}" -display none -monitor none \
    -serial stdio <"$work/input" | tee "$work/output" | "$here/symbolize" "$kernel"
status=${PIPESTATUS[0]}
kill %1 2>/dev/null
[ "$status" = 124 ] && echo "qemu.sh: TIMEOUT after ${timeout}s" >&2
exit "$status"
