/* Hostile input at random: children make thousands of system calls with random numbers and
 * arguments (small and huge integers, -1, good and bad pointers, kernel addresses, unaligned
 * and wrapping ranges). A child may die of what it does to itself; the kernel must answer
 * every call and stay up. Calls that would reach outside the child (kill, reboot, execve,
 * clone, prlimit64 on others) are left out. The parent ends a child that blocks too long.
 * Exits with the failures: a child that could not be ended, or a kernel that stops working. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static __thread uint64_t rng_state;  /* each fuzzing thread has its own */
static uint64_t next_random(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static char* scratch;  /* a mapped page for "good" pointers */

static long random_arg(void) {
    switch (next_random() % 12) {
    case 0: return 0;
    case 1: return -1;
    case 2: return (long)(next_random() % 64);
    case 3: return (long)(next_random() % 4096);
    case 4: return (long)next_random();
    case 5: return (long)(scratch + next_random() % 4096);  /* good memory */
    case 6: return (long)(scratch + 4096 - next_random() % 16);  /* runs off its end */
    case 7: return (long)0xffffffc000000000ul + (long)(next_random() % 0x100000);  /* the kernel */
    case 8: return (long)(next_random() % 0x10000);  /* below user space */
    case 9: return (long)(1ul << 38) - (long)(next_random() % 8192);  /* the top of user space */
    case 10: return (long)(next_random() & 0xffffffff);
    default: return (long)(next_random() % 1024) * 4096;
    }
}

/* Calls whose effects reach outside the child, or that end or replace it before it has done
 * anything. */
static int excluded(long n) {
    switch (n) {
    case SYS_kill: case SYS_tkill: case SYS_tgkill: case SYS_reboot: case SYS_execve:
    case SYS_execveat: case SYS_clone: case SYS_clone3: case SYS_prlimit64: case SYS_exit:
    case SYS_exit_group: case SYS_rt_sigqueueinfo: case SYS_rt_tgsigqueueinfo: case SYS_setpgid:
        return 1;
    default: return 0;
    }
}

/* Calls that most often end the child itself (unmapping its code, returning through a random
 * signal frame, a random handler): made one time in twenty, so children live long enough to
 * make the other calls. */
static int rare(long n) {
    switch (n) {
    case SYS_munmap: case SYS_mremap: case SYS_mprotect: case SYS_madvise: case SYS_brk:
    case SYS_rt_sigreturn: case SYS_rt_sigaction: case SYS_mmap: case SYS_set_tid_address:
    case SYS_set_robust_list: case SYS_rt_sigprocmask: case SYS_sigaltstack:
        return 1;
    default: return 0;
    }
}

static void make_calls(uint64_t seed, int calls) {
    rng_state = seed;
    for (int i = 0; i < calls; i++) {
        long n = (long)(next_random() % 460);
        if (excluded(n) || (rare(n) && next_random() % 20)) continue;
        syscall(n, random_arg(), random_arg(), random_arg(), random_arg(), random_arg(), random_arg());
    }
}

static void* fuzz_thread(void* seed) {
    make_calls((uint64_t)(uintptr_t)seed, 2000);
    return NULL;
}

/* Every other child fuzzes from three threads at once: calls race each other on the same
 * memory and descriptors. */
static void fuzz(uint64_t seed, int calls) {
    scratch = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    close(0);  /* the console stays the runner's: no garbage on it, no flags changed */
    close(1);
    close(2);
    if (seed & 1) {
        pthread_t t[2];
        for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, fuzz_thread, (void*)(uintptr_t)(seed * (i + 3)));
    }
    make_calls(seed, calls);
    _exit(0);
}

static long elapsed_ms(const struct timespec* since) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

int main(void) {
    check_program = TEST_NAME("syscall_fuzz");
    int children = 60, exited = 0, signalled = 0, ended_by_us = 0;
    for (int c = 0; c < children; c++) {
        pid_t child = fork();
        if (child == 0) fuzz(0x9e3779b97f4a7c15ull * (uint64_t)(c + 1), 3000);
        CHECK(child > 0);
        if (child < 0) break;
        struct timespec start;
        clock_gettime(CLOCK_MONOTONIC, &start);
        int status = 0;
        pid_t r;
        while ((r = waitpid(child, &status, WNOHANG)) == 0 && elapsed_ms(&start) < 500) {
            struct timespec pause = {0, 5 * 1000000};
            nanosleep(&pause, NULL);
        }
        if (r == 0) {  /* blocked or stopped: it goes now */
            ended_by_us++;
            kill(child, SIGKILL);
            r = waitpid(child, &status, 0);
        }
        CHECK(r == child);
        if (WIFEXITED(status)) exited++;
        else signalled++;
    }
    /* And the kernel still works. */
    pid_t after = fork();
    if (after == 0) _exit(7);
    int status;
    CHECK(waitpid(after, &status, 0) == after && WEXITSTATUS(status) == 7);
    printf("%s: %d children: %d exited, %d died of a signal (%d ended for taking too long)\n", check_program,
           children, exited, signalled, ended_by_us);
    return finish();
}
