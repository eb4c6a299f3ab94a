/* Time through glibc, which finds the vDSO through AT_SYSINFO_EHDR: monotonic and realtime
 * clocks (the vDSO and the system call agree), gettimeofday, nanosleep, sched_getcpu. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "check.h"


static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void) {
    check_program = TEST_NAME("time");
    CHECK(getauxval(AT_SYSINFO_EHDR) != 0);
    struct timespec a, b, k;
    CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
    CHECK(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &k) == 0);
    CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
    CHECK(ns(a) <= ns(k) && ns(k) <= ns(b));  /* the vDSO and the kernel tell the same time */

    CHECK(clock_gettime(CLOCK_REALTIME, &a) == 0);
    CHECK(a.tv_sec > 1700000000);  /* from the machine's RTC, not the epoch */
    struct timeval tv;
    CHECK(gettimeofday(&tv, NULL) == 0 && tv.tv_sec >= a.tv_sec && tv.tv_sec - a.tv_sec < 5);

    struct timespec res;
    CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0);
    CHECK(clock_gettime(12345, &a) == -1);

    struct timespec sleep = {0, 20 * 1000 * 1000};
    CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
    CHECK(nanosleep(&sleep, NULL) == 0);
    CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
    CHECK(ns(b) - ns(a) >= 20 * 1000 * 1000);
    struct timespec bad = {0, 1000000000};
    CHECK(nanosleep(&bad, NULL) == -1);

    CHECK(sched_getcpu() >= 0);
    return finish();
}
