#!/usr/bin/env bash
# make bench: the async core's own figures (in the kernel), then the system-call benchmarks
# (user/bench/sysbench.c) on Riptide and on the Linux baseline (Debian's kernel, same QEMU,
# same initramfs, same binaries), at -smp 1 and -smp 2, with the ratio Riptide/Linux; the two
# kernels take turns, five runs each.
#   bench.sh [--smp N] [--mem SIZE]   (SMP only limits the async-core run)
set -uo pipefail
cd "$(dirname "$0")/.."
smp=2 mem=1G
while [ $# -gt 0 ]; do
    case $1 in
    --smp) smp=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
kernel=build/riscv/kernel/kernel.elf initrd=build/riscv/initramfs.cpio
log=build/bench-logs
mkdir -p "$log"

scripts/qemu.sh --smp "$smp" --mem "$mem" --timeout 300 --initrd "$initrd" --append bench -- "$kernel" \
    | sed -n '/^Riptide async-core/,$p'

linux_image=$(scripts/linux-baseline fetch) || { echo "bench: no Linux baseline" >&2; exit 1; }

# Prints "name ns" lines from benchmark runs' output: each figure's minimum over the files.
figures() { awk '$1 == "bench" { v = $3 + 0; if (!($2 in m) || v < m[$2]) m[$2] = v } END { for (k in m) print k, m[k] }' "$@"; }

# The machine is shared and noisy: the two kernels take turns, five runs each, and each figure
# is the best of its kernel's runs, so a burst of load cannot favour one side.
rounds=5
for n in 1 2; do
    for r in $(seq $rounds); do
        scripts/qemu.sh --smp "$n" --mem "$mem" --timeout 600 --initrd "$initrd" \
            --append init=/bin/bench_init -- "$kernel" > "$log/riptide-smp$n-$r.txt" 2>&1
        scripts/linux-baseline run --smp "$n" --mem "$mem" --timeout 600 --initrd "$initrd" \
            --append "quiet rdinit=/bin/bench_init" > "$log/linux-smp$n-$r.txt" 2>&1
    done
    echo
    echo "System calls, -smp $n (ns per operation, best of 5 x $rounds runs; ratio = Riptide / Linux)"
    printf '  %-22s %12s %12s %8s\n' benchmark Riptide Linux ratio
    join <(figures "$log"/riptide-smp$n-*.txt | sort) <(figures "$log"/linux-smp$n-*.txt | sort) |
        while read -r name r l; do
            awk -v n="$name" -v r="$r" -v l="$l" \
                'BEGIN { printf "  %-22s %12d %12d %8.2f\n", n, r, l, (l > 0 ? r / l : 0) }'
        done
done
