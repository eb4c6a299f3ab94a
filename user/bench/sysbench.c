/* System-call level benchmarks, the same binary on Riptide and on Linux (make bench runs it
 * on both). Each figure is the best of several rounds, in nanoseconds per operation, printed
 * as "bench <name> <ns>" for scripts/bench.sh to pair up. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

#define ROUNDS 5
#define BENCH(name, iters, body)                                        \
    do {                                                                \
        long long best = -1;                                            \
        for (int r = 0; r < ROUNDS; r++) {                              \
            long long t0 = now_ns();                                    \
            for (long i = 0; i < (iters); i++) { body; }                \
            long long t = (now_ns() - t0) / (iters);                    \
            if (best < 0 || t < best) best = t;                         \
        }                                                               \
        printf("bench %s %lld\n", name, best);                          \
        fflush(stdout);                                                 \
    } while (0)

int main(void) {
    BENCH("getppid", 20000, syscall(SYS_getppid));
    struct timespec ts;
    BENCH("clock_gettime_vdso", 100000, clock_gettime(CLOCK_MONOTONIC, &ts));
    BENCH("sched_yield", 20000, sched_yield());
    BENCH("fork_exit_wait", 100, {
        pid_t p = fork();
        if (p == 0) _exit(0);
        waitpid(p, NULL, 0);
    });
    /* One page fault per page of fresh anonymous memory: the first touch of each page. */
    enum { PAGES = 2048 };
    long long best = -1;
    for (int r = 0; r < ROUNDS; r++) {
        char* m = mmap(NULL, PAGES * 4096L, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) return 1;
        long long t0 = now_ns();
        for (int p = 0; p < PAGES; p++) m[p * 4096L] = 1;
        long long per = (now_ns() - t0) / PAGES;
        munmap(m, PAGES * 4096L);
        if (best < 0 || per < best) best = per;
    }
    printf("bench page_fault %lld\n", best);
    return 0;
}
