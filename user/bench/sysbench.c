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
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/resource.h>
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

/* A byte back and forth between two processes through two pipes: ns per round trip. */
static long long pipe_round_trip(long rounds) {
    int there[2], back[2];
    if (pipe(there) || pipe(back)) return -1;
    pid_t child = fork();
    if (child == 0) {
        char c;
        for (long i = 0; i < rounds; i++)
            if (read(there[0], &c, 1) != 1 || write(back[1], &c, 1) != 1) _exit(1);
        _exit(0);
    }
    char c = 'p';
    long long t0 = now_ns();
    for (long i = 0; i < rounds; i++)
        if (write(there[1], &c, 1) != 1 || read(back[0], &c, 1) != 1) break;
    long long per = (now_ns() - t0) / rounds;
    waitpid(child, NULL, 0);
    close(there[0]), close(there[1]), close(back[0]), close(back[1]);
    return per;
}

/* The same between two threads of one process: no address-space switch. The difference from
 * pipe_round_trip is what two switches cost (under QEMU each one empties the whole TLB). */
static int thread_there[2], thread_back[2];
static long thread_rounds;
static void* pipe_partner(void* arg) {
    char c;
    for (long i = 0; i < thread_rounds; i++)
        if (read(thread_there[0], &c, 1) != 1 || write(thread_back[1], &c, 1) != 1) break;
    return arg;
}
static long long pipe_round_trip_threads(long rounds) {
    if (pipe(thread_there) || pipe(thread_back)) return -1;
    thread_rounds = rounds;
    pthread_t t;
    pthread_create(&t, NULL, pipe_partner, NULL);
    char c = 'p';
    long long t0 = now_ns();
    for (long i = 0; i < rounds; i++)
        if (write(thread_there[1], &c, 1) != 1 || read(thread_back[0], &c, 1) != 1) break;
    long long per = (now_ns() - t0) / rounds;
    pthread_join(t, NULL);
    close(thread_there[0]), close(thread_there[1]), close(thread_back[0]), close(thread_back[1]);
    return per;
}

/* 64 KiB writes into a pipe another process drains: ns per 64 KiB, until the reader has all. */
static long long pipe_throughput(long chunks) {
    enum { CHUNK = 64 * 1024 };
    static char buf[CHUNK];
    int data[2], done[2];
    if (pipe(data) || pipe(done)) return -1;
    pid_t child = fork();
    if (child == 0) {
        close(data[1]);
        long long left = (long long)chunks * CHUNK;
        for (ssize_t n; left > 0 && (n = read(data[0], buf, CHUNK)) > 0;) left -= n;
        _exit(write(done[1], "d", 1) == 1 ? 0 : 1);
    }
    long long t0 = now_ns();
    int failed = 0;
    for (long i = 0; i < chunks && !failed; i++)
        for (ssize_t put = 0, n; put < CHUNK; put += n)
            if ((n = write(data[1], buf + put, CHUNK - put)) <= 0) {
                failed = 1;
                break;
            }
    close(data[1]);  /* a reader left short sees the end rather than waiting */
    char c;
    if (read(done[0], &c, 1) != 1) failed = 1;
    long long per = (now_ns() - t0) / chunks;
    waitpid(child, NULL, 0);
    close(data[0]), close(done[0]), close(done[1]);
    return failed ? -1 : per;
}

/* epoll_wait over `count` registered eventfds of which one is ready: ns per call. */
static void epoll_wait_bench(const char* name, int count) {
    struct rlimit nofile = {count + 64, count + 64};
    setrlimit(RLIMIT_NOFILE, &nofile);
    int ep = epoll_create1(0);
    int* fds = malloc(sizeof(int) * count);
    if (ep < 0 || !fds) return;
    for (int i = 0; i < count; i++) {
        fds[i] = eventfd(0, 0);
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
        if (fds[i] < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev)) {
            printf("bench %s: cannot register %d fds\n", name, count);
            return;
        }
    }
    uint64_t one = 1;
    if (write(fds[count / 2], &one, sizeof one) != sizeof one) return;
    struct epoll_event out[4];
    BENCH(name, 2000, epoll_wait(ep, out, 4, 0));
    for (int i = 0; i < count; i++) close(fds[i]);
    close(ep);
    free(fds);
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
    /* A 1 MiB file written and read back in 64 KiB calls: ns per MiB each way. */
    enum { CHUNK = 64 * 1024, MIB = 1024 * 1024 };
    static char data[CHUNK];
    int fd = open("/bench-big", O_CREAT | O_RDWR | O_TRUNC, 0644);
    if (fd < 0) exit(1);
    BENCH("file_write_1MiB", 5, {
        for (long at = 0; at < MIB; at += CHUNK)
            if (pwrite(fd, data, CHUNK, at) != CHUNK) exit(1);
    });
    BENCH("file_read_1MiB", 5, {
        for (long at = 0; at < MIB; at += CHUNK)
            if (pread(fd, data, CHUNK, at) != CHUNK) exit(1);
    });
    close(fd);
    unlink("/bench-big");
}

/* busybox's shell running /bin/true in a loop: a fork and an exec of a static program per
 * iteration (ns per iteration). Skipped without busybox in the image. */
static void shell_fork_exec_loop(void) {
    enum { ITERATIONS = 200 };
    if (access("/bin/busybox", X_OK) != 0) return;
    long long best = -1;
    for (int r = 0; r < 3; r++) {
        long long t0 = now_ns();
        pid_t p = fork();
        if (p == 0) {
            char* const argv[] = {"sh", "-c", "for i in $(seq 200); do /bin/true; done", NULL};
            char* const envp[] = {"PATH=/bin:/usr/bin", NULL};
            execve("/bin/busybox", argv, envp);
            _exit(127);
        }
        int status = 1;
        waitpid(p, &status, 0);
        if (status != 0) return;
        long long per = (now_ns() - t0) / ITERATIONS;
        if (best < 0 || per < best) best = per;
    }
    printf("bench busybox_sh_fork_exec %lld\n", best);
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
        /* The same between two processes: each turn also switches address spaces, so this is
         * about the least two switches cost (what a pipe round trip between processes adds). */
        best = -1;
        for (int r = 0; r < ROUNDS; r++) {
            long long t0 = now_ns();
            pid_t child = fork();
            if (child == 0) {
                for (long i = 0; i < 2000; i++) sched_yield();
                _exit(0);
            }
            for (long i = 0; i < 2000; i++) sched_yield();
            waitpid(child, NULL, 0);
            long long per = (now_ns() - t0) / 2000;
            if (best < 0 || per < best) best = per;
        }
        printf("bench sched_yield_ping_pong_processes %lld\n", best);
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

    best = -1;
    for (int r = 0; r < ROUNDS; r++) {
        long long per = pipe_round_trip(1000);
        if (per > 0 && (best < 0 || per < best)) best = per;
    }
    printf("bench pipe_round_trip %lld\n", best);
    best = -1;
    for (int r = 0; r < ROUNDS; r++) {
        long long per = pipe_round_trip_threads(1000);
        if (per > 0 && (best < 0 || per < best)) best = per;
    }
    printf("bench pipe_round_trip_threads %lld\n", best);
    best = -1;
    for (int r = 0; r < ROUNDS; r++) {
        long long per = pipe_throughput(64);
        if (per > 0 && (best < 0 || per < best)) best = per;
    }
    printf("bench pipe_64KiB_write %lld\n", best);
    epoll_wait_bench("epoll_wait_1_fd", 1);
    epoll_wait_bench("epoll_wait_100_fds", 100);
    epoll_wait_bench("epoll_wait_10000_fds", 10000);
    file_benchmarks();
    idle_process_memory();
    shell_fork_exec_loop();
    return 0;
}
