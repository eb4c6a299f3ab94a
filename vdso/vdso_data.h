/* The page the kernel shares with every process's vDSO (read-only for the process). C, so the
 * vDSO and the kernel both include it. */
#pragma once
#include <stdint.h>

struct vdso_data {
    uint64_t ns_per_tick_q32;     /* nanoseconds per time-CSR tick, as a 32.32 fixed-point number */
    uint64_t realtime_offset_ns;  /* CLOCK_REALTIME minus CLOCK_MONOTONIC */
    uint64_t resolution_ns;       /* one tick, rounded up to a nanosecond */
};
