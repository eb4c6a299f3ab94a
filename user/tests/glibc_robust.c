/* Robust mutexes: a thread or a process that dies holding one leaves it marked "owner died",
 * so the next locker gets EOWNERDEAD (and can make it consistent) instead of waiting forever;
 * a locker already waiting is woken. The kernel walks the dead thread's set_robust_list list.
 * Exits with the failures. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static pthread_mutex_t private_lock;

static void init_robust(pthread_mutex_t* m, int shared) {
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    if (shared) pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    CHECK(pthread_mutex_init(m, &attr) == 0);
    pthread_mutexattr_destroy(&attr);
}

static void* lock_and_die(void* arg) {
    pthread_mutex_lock(arg);
    return NULL;  /* ends holding it */
}

static void sleep_ms(long ms) {
    struct timespec ts = {0, ms * 1000000};
    nanosleep(&ts, NULL);
}

int main(void) {
    check_program = TEST_NAME("robust");

    /* A thread of this process. */
    init_robust(&private_lock, 0);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, lock_and_die, &private_lock) == 0 && pthread_join(t, NULL) == 0);
    CHECK(pthread_mutex_lock(&private_lock) == EOWNERDEAD);
    CHECK(pthread_mutex_consistent(&private_lock) == 0 && pthread_mutex_unlock(&private_lock) == 0);
    CHECK(pthread_mutex_lock(&private_lock) == 0 && pthread_mutex_unlock(&private_lock) == 0);

    /* Another process, through shared memory: first with nobody waiting, then with this process
     * already blocked in pthread_mutex_lock when the owner dies. */
    pthread_mutex_t* shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(shared != MAP_FAILED);
    init_robust(shared, 1);
    for (int waiting = 0; waiting < 2; waiting++) {
        pid_t child = fork();
        if (child == 0) {
            pthread_mutex_lock(shared);
            if (waiting) sleep_ms(50);  /* the parent blocks meanwhile */
            _exit(0);
        }
        if (waiting) sleep_ms(10);
        else waitpid(child, NULL, 0);
        CHECK(pthread_mutex_lock(shared) == EOWNERDEAD);
        CHECK(pthread_mutex_consistent(shared) == 0 && pthread_mutex_unlock(shared) == 0);
        if (waiting) waitpid(child, NULL, 0);
    }
    /* A process killed while holding it. */
    pid_t child = fork();
    if (child == 0) {
        pthread_mutex_lock(shared);
        for (;;) sleep(10);  /* until killed */
    }
    sleep_ms(20);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    CHECK(pthread_mutex_lock(shared) == EOWNERDEAD);
    CHECK(pthread_mutex_consistent(shared) == 0 && pthread_mutex_unlock(shared) == 0);

    /* get_robust_list: ours, another process's, and the errors. */
    void* head;
    size_t len;
    CHECK(syscall(SYS_get_robust_list, 0, &head, &len) == 0 && head != NULL && len == 24);
    CHECK(syscall(SYS_get_robust_list, 999999, &head, &len) == -1 && errno == ESRCH);
    CHECK(syscall(SYS_get_robust_list, 0, (void*)8, &len) == -1 && errno == EFAULT);
    CHECK(syscall(SYS_set_robust_list, head, 23) == -1 && errno == EINVAL);
    return finish();
}
