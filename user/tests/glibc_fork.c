/* fork and wait through glibc: copy-on-write memory, exit statuses, getppid, ECHILD, WNOHANG,
 * a child killed by a fault, and many children at once. Exits with the number of failures. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static int shared_global = 1;


int main(void) {
    check_program = TEST_NAME("fork");
    pid_t me = getpid();
    char* buf = malloc(1 << 20);
    memset(buf, 'p', 1 << 20);

    pid_t child = fork();
    if (child == 0) {
        /* Writes land in the child's copies only. */
        shared_global = 2;
        memset(buf, 'c', 1 << 20);
        _exit(getppid() == me ? 7 : 8);
    }
    CHECK(child > 0);
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
    CHECK(shared_global == 1);
    CHECK(buf[0] == 'p' && buf[(1 << 20) - 1] == 'p');

    /* No children left. */
    errno = 0;
    CHECK(wait(&status) == -1 && errno == ECHILD);

    /* WNOHANG on a child that is still running (it waits to be killed, whatever the timing). */
    child = fork();
    if (child == 0) {
        sigset_t none;
        sigemptyset(&none);
        for (;;) sigsuspend(&none);
    }
    CHECK(waitpid(child, &status, WNOHANG) == 0);
    CHECK(kill(child, SIGKILL) == 0);
    CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    /* A child killed by a fault. */
    child = fork();
    if (child == 0) {
        volatile int* volatile bad = (int*)16;
        *bad = 1;
        _exit(0);
    }
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == 11);

    /* Many at once, reaped in any order. */
    enum { N = 20 };
    for (int i = 0; i < N; i++) {
        pid_t c = fork();
        if (c == 0) _exit(i);
        CHECK(c > 0);
    }
    int seen = 0, sum = 0;
    while ((child = wait(&status)) > 0) {
        seen++;
        sum += WEXITSTATUS(status);
    }
    CHECK(seen == N && sum == N * (N - 1) / 2);
    CHECK(waitpid(-1, &status, 0x1000) == -1 && errno == EINVAL);

    /* waitid: look without reaping (WNOWAIT), then reap; WNOHANG; argument errors. */
    child = fork();
    if (child == 0) _exit(9);
    siginfo_t info;
    CHECK(waitid(P_PID, child, &info, WEXITED | WNOWAIT) == 0 && info.si_pid == child &&
          info.si_code == CLD_EXITED && info.si_status == 9 && info.si_signo == SIGCHLD);
    CHECK(waitid(P_PID, child, &info, WEXITED) == 0 && info.si_pid == child);
    CHECK(waitpid(child, &status, 0) == -1 && errno == ECHILD);
    /* A child that waits until it is killed: WNOHANG finds nothing whatever the timing. */
    child = fork();
    if (child == 0) {
        sigset_t none;
        sigemptyset(&none);
        for (;;) sigsuspend(&none);
    }
    info.si_pid = 12345;
    CHECK(waitid(P_ALL, 0, &info, WEXITED | WNOHANG) == 0 && info.si_pid == 0);
    CHECK(waitid(P_ALL, 0, &info, 0) == -1 && errno == EINVAL);
    CHECK(kill(child, SIGKILL) == 0);
    CHECK(waitid(P_ALL, 0, &info, WEXITED) == 0 && info.si_pid == child && info.si_code == CLD_KILLED);

    return finish();
}
