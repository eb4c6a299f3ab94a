/* pthreads on clone(CLONE_THREAD) and futex: create and join, a contended mutex, a condition
 * variable, thread ids, a timed wait that times out, and exit_group from a thread. Exits with
 * the number of failures. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"


enum { THREADS = 4, ROUNDS = 2000 };
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void* add(void* arg) {
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        long v = counter;
        if (i % 64 == 0) sched_yield();  /* hold the lock across a yield: others must wait */
        counter = v + 1;
        pthread_mutex_unlock(&lock);
    }
    return arg;
}

static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int items, consumed;
static void* consumer(void* arg) {
    (void)arg;
    for (int i = 0; i < 100; i++) {
        pthread_mutex_lock(&lock);
        while (items == 0) pthread_cond_wait(&cond, &lock);
        items--;
        consumed++;
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static void* report_tid(void* arg) {
    *(long*)arg = syscall(SYS_gettid);
    return NULL;
}

static void* sleep_long(void* arg) {
    struct timespec s = {30, 0};
    nanosleep(&s, NULL);
    return arg;
}

static void* spin_forever(void* arg) {
    for (;;) {
        __asm__ volatile("" ::: "memory");
    }
    return arg;
}

static void* exit_everything(void* arg) {
    (void)arg;
    exit(42);  /* exit_group: the whole process ends with 42 */
}

static void* exec_leader_check(void* arg) {
    (void)arg;
    char* const argv[] = {"/bin/exec_target", "leader", NULL};
    execve(argv[0], argv, NULL);
    _exit(98);
}

int main(void) {
    check_program = TEST_NAME("threads");
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) CHECK(pthread_create(&t[i], NULL, add, (void*)(long)i) == 0);
    for (int i = 0; i < THREADS; i++) {
        void* r;
        CHECK(pthread_join(t[i], &r) == 0 && r == (void*)(long)i);
    }
    CHECK(counter == THREADS * ROUNDS);

    pthread_t c;
    CHECK(pthread_create(&c, NULL, consumer, NULL) == 0);
    for (int i = 0; i < 100; i++) {
        pthread_mutex_lock(&lock);
        items++;
        pthread_cond_signal(&cond);
        pthread_mutex_unlock(&lock);
        if (i % 10 == 0) sched_yield();
    }
    CHECK(pthread_join(c, NULL) == 0 && consumed == 100);

    long tid = 0;
    pthread_t r;
    CHECK(pthread_create(&r, NULL, report_tid, &tid) == 0 && pthread_join(r, NULL) == 0);
    CHECK(tid > 0 && tid != getpid());

    /* A timed wait nobody signals. */
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 20 * 1000 * 1000;
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&lock);
    CHECK(pthread_cond_timedwait(&cond, &lock, &deadline) == ETIMEDOUT);
    pthread_mutex_unlock(&lock);

    /* exit() in a thread ends the process, other threads included. */
    pid_t child = fork();
    if (child == 0) {
        pthread_t a, b;
        pthread_create(&a, NULL, add, NULL);
        pthread_create(&b, NULL, exit_everything, NULL);
        for (;;) pause();
    }
    int status;
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 42);

    /* execve from a process with other threads (one asleep, one spinning): they end, the new
     * program runs. */
    child = fork();
    if (child == 0) {
        pthread_t a, b;
        pthread_create(&a, NULL, sleep_long, NULL);
        pthread_create(&b, NULL, spin_forever, NULL);
        char* const argv[] = {"/bin/exec_target", "args", "one", "two", NULL};
        char* const envp[] = {"MARK=set", NULL};
        execve(argv[0], argv, envp);
        _exit(99);
    }
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* execve from a thread other than the first: the new program's thread id is its pid. */
    child = fork();
    if (child == 0) {
        pthread_t a;
        pthread_create(&a, NULL, exec_leader_check, NULL);
        for (;;) sleep(10);
    }
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);

    CHECK(syscall(SYS_futex, &counter, 99, 0, NULL, NULL, 0) == -1 && errno == ENOSYS);
    int word = 5;
    CHECK(syscall(SYS_futex, &word, 128 /* WAIT|PRIVATE */, 6, NULL, NULL, 0) == -1 && errno == EAGAIN);
    CHECK(syscall(SYS_futex, (int*)((char*)&word + 1), 128, 5, NULL, NULL, 0) == -1 && errno == EINVAL);
    CHECK(syscall(SYS_futex, (int*)0x10, 128, 5, NULL, NULL, 0) == -1 && errno == EFAULT);

    return finish();
}
