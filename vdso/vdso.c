/* The vDSO: clock reads without a trap (the time CSR is readable from user mode) and the
 * signal return trampoline. Built position-independent and mapped into every process. */
#include <stdint.h>

#include "vdso_data.h"

struct timespec_k {
    int64_t tv_sec, tv_nsec;
};
struct timeval_k {
    int64_t tv_sec, tv_usec;
};

/* The data page sits one page below the vDSO's first page (see the kernel's vdso mapping). */
extern const struct vdso_data vdso_data __attribute__((visibility("hidden")));

static long syscall2(long n, long a, long b) {
    register long a0 __asm__("a0") = a, a1 __asm__("a1") = b, a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a7) : "memory");
    return a0;
}
static long syscall3(long n, long a, long b, long c) {
    register long a0 __asm__("a0") = a, a1 __asm__("a1") = b, a2 __asm__("a2") = c, a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

static uint64_t monotonic_ns(void) {
    uint64_t ticks;
    __asm__ volatile("rdtime %0" : "=r"(ticks));
    return (uint64_t)(((unsigned __int128)ticks * vdso_data.ns_per_tick_q32) >> 32);
}

enum { CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5,
       CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7 };

static int is_fast_clock(long clock) {
    return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC || clock == CLOCK_MONOTONIC_RAW ||
           clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE || clock == CLOCK_BOOTTIME;
}

int __vdso_clock_gettime(long clock, struct timespec_k* ts) {
    if (!is_fast_clock(clock)) return (int)syscall2(113, clock, (long)ts);
    uint64_t ns = monotonic_ns();
    if (clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE) ns += vdso_data.realtime_offset_ns;
    ts->tv_sec = (int64_t)(ns / 1000000000u);
    ts->tv_nsec = (int64_t)(ns % 1000000000u);
    return 0;
}

int __vdso_gettimeofday(struct timeval_k* tv, void* tz) {
    if (tz) return (int)syscall2(169, (long)tv, (long)tz);  /* the kernel owns the time-zone answer */
    if (tv) {
        uint64_t ns = monotonic_ns() + vdso_data.realtime_offset_ns;
        tv->tv_sec = (int64_t)(ns / 1000000000u);
        tv->tv_usec = (int64_t)(ns % 1000000000u / 1000u);
    }
    return 0;
}

int __vdso_clock_getres(long clock, struct timespec_k* res) {
    if (!is_fast_clock(clock)) return (int)syscall2(114, clock, (long)res);
    if (res) {
        res->tv_sec = 0;
        res->tv_nsec = (int64_t)vdso_data.resolution_ns;
    }
    return 0;
}

/* Which hart the caller runs on can change at any moment; the kernel answers. */
int __vdso_getcpu(unsigned* cpu, unsigned* node, void* unused) {
    return (int)syscall3(168, (long)cpu, (long)node, (long)unused);
}
