/* System-call level benchmarks, the same binary on Riptide and on Linux (make bench runs it
 * on both). Each figure is the best of several rounds, in nanoseconds per operation, printed
 * as "bench <name> <ns>" for scripts/bench.sh to pair up. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
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

static void* nothing(void* arg) { return arg; }

/* Two threads handing a token back and forth through one futex word. */
static volatile int token;
static long futex_rounds;
static void futex_wait(volatile int* w, int v) { syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, v, NULL, NULL, 0); }
static void futex_wake(volatile int* w) { syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0); }
static void* futex_partner(void* arg) {
    (void)arg;
    for (long i = 0; i < futex_rounds; i++) {
        while (token != 1) futex_wait(&token, 0);
        token = 0;
        futex_wake(&token);
    }
    return NULL;
}
static void futex_ping_pong(long rounds) {
    pthread_t t;
    futex_rounds = rounds;
    token = 0;
    pthread_create(&t, NULL, futex_partner, NULL);
    for (long i = 0; i < rounds; i++) {
        token = 1;
        futex_wake(&token);
        while (token != 0) futex_wait(&token, 1);
    }
    pthread_join(t, NULL);
}

/* Two threads on one CPU yielding to each other. */
static long yield_rounds;
static void* yielder(void* arg) {
    for (long i = 0; i < yield_rounds; i++) sched_yield();
    return arg;
}

static volatile int signals;
static void on_signal(int sig) { signals += sig; }

/* The in-memory root file system (tmpfs on both kernels): a file's whole life, and the walk
 * of a path eight directories deep. */
static void file_benchmarks(void) {
    BENCH("file_create_write_unlink", 500, {
        int fd = open("/bench-file", O_CREAT | O_WRONLY | O_TRUNC, 0644);
        if (fd < 0 || write(fd, "x", 1) != 1) exit(1);
        close(fd);
        unlink("/bench-file");
    });
    static const char deep[] = "/bench-d/a/b/c/d/e/f/g";
    for (size_t i = 1; i < sizeof deep; i++) {
        if (deep[i] == '/' || deep[i] == 0) {
            char part[sizeof deep];
            snprintf(part, sizeof part, "%.*s", (int)i, deep);
            mkdir(part, 0755);
        }
    }
    close(open("/bench-d/a/b/c/d/e/f/g/file", O_CREAT | O_WRONLY, 0644));
    struct stat st;
    BENCH("stat_deep_path", 5000, {
        if (stat("/bench-d/a/b/c/d/e/f/g/file", &st) != 0) exit(1);
    });
}

/* MemFree of /proc/meminfo, in bytes; -1 if unreadable. */
static long long mem_free(void) {
    FILE* f = fopen("/proc/meminfo", "r");
    if (!f) return -1;
    char line[128];
    long long kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "MemFree: %lld kB", &kb) == 1) break;
    fclose(f);
    return kb < 0 ? -1 : kb * 1024;
}

/* Memory per idle process: the drop in free memory while 100 forked children wait in
 * sigsuspend (bytes per child; the figure is a size, not a time). */
static void idle_process_memory(void) {
    enum { CHILDREN = 100 };
    pid_t kids[CHILDREN];
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);  /* SIGTERM from below is taken in sigsuspend */
    long long before = mem_free();
    int n = 0;
    for (; n < CHILDREN; n++) {
        kids[n] = fork();
        if (kids[n] == 0) {
            sigset_t none;
            sigemptyset(&none);
            for (;;) sigsuspend(&none);
        }
        if (kids[n] < 0) break;
    }
    struct timespec settle = {0, 200000000};
    nanosleep(&settle, NULL);
    long long after = mem_free();
    for (int i = 0; i < n; i++) kill(kids[i], SIGKILL);
    for (int i = 0; i < n; i++) waitpid(kids[i], NULL, 0);
    sigprocmask(SIG_UNBLOCK, &all, NULL);
    if (before > 0 && after > 0 && n) printf("bench idle_process_bytes %lld\n", (before - after) / n);
}

int main(void) {
    BENCH("getppid", 20000, syscall(SYS_getppid));
    struct timespec ts;
    BENCH("clock_gettime_vdso", 100000, clock_gettime(CLOCK_MONOTONIC, &ts));
    BENCH("sched_yield", 20000, sched_yield());
    BENCH("pthread_create_join", 100, {
        pthread_t t;
        pthread_create(&t, NULL, nothing, NULL);
        pthread_join(t, NULL);
    });
    {
        /* Round trips, each two futex handoffs; best of the rounds like the others. */
        long long best = -1;
        for (int r = 0; r < ROUNDS; r++) {
            long long t0 = now_ns();
            futex_ping_pong(1000);
            long long t = (now_ns() - t0) / 1000;
            if (best < 0 || t < best) best = t;
        }
        printf("bench futex_ping_pong %lld\n", best);
    }
    {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(0, &one);
        sched_setaffinity(0, sizeof one, &one);  /* both threads on one CPU (where supported) */
        long long best = -1;
        for (int r = 0; r < ROUNDS; r++) {
            pthread_t t;
            yield_rounds = 2000;
            long long t0 = now_ns();
            pthread_create(&t, NULL, yielder, NULL);
            yielder(NULL);
            pthread_join(t, NULL);
            long long per = (now_ns() - t0) / 2000;
            if (best < 0 || per < best) best = per;
        }
        printf("bench sched_yield_ping_pong %lld\n", best);
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGUSR1, &sa, NULL);
    BENCH("signal_round_trip", 2000, raise(SIGUSR1));
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
    file_benchmarks();
    idle_process_memory();
    return 0;
}
