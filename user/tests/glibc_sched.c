/* CPU affinity (a thread moves to the hart it is allowed), sched_getcpu agreeing with it, and
 * sysinfo. Exits with the number of failures. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "check.h"

int main(void) {
    check_program = TEST_NAME("sched");
    cpu_set_t set;
    CPU_ZERO(&set);
    CHECK(sched_getaffinity(0, sizeof set, &set) == 0);
    int cpus = CPU_COUNT(&set);
    CHECK(cpus >= 1 && cpus == sysconf(_SC_NPROCESSORS_ONLN));
    for (int cpu = 0; cpu < cpus; cpu++) {
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        CHECK(sched_setaffinity(0, sizeof set, &set) == 0);
        sched_yield();
        CHECK(sched_getcpu() == cpu);
    }
    CPU_ZERO(&set);
    CHECK(sched_setaffinity(0, sizeof set, &set) == -1 && errno == EINVAL);
    CHECK(sched_setaffinity(999999, sizeof set, &set) == -1);

    struct sysinfo info;
    CHECK(sysinfo(&info) == 0 && info.totalram > info.freeram && info.freeram > 0 && info.procs >= 1);
    CHECK(sysinfo(NULL) == -1 && errno == EFAULT);
    return finish();
}
