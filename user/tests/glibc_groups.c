/* Process groups and sessions: setsid, setpgid and its rules, getpgid/getsid, kill of a whole
 * group, wait for a group. Exits with the number of failures. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static pid_t child_sleeping(void) {
    pid_t p = fork();
    if (p == 0) {
        struct timespec s = {30, 0};
        nanosleep(&s, NULL);
        _exit(0);
    }
    return p;
}

int main(void) {
    check_program = TEST_NAME("groups");
    pid_t me = getpid();
    CHECK(setsid() == me);  /* the runner's child is no group leader: it may */
    CHECK(getsid(0) == me && getpgid(0) == me && getpgrp() == me);
    CHECK(setsid() == -1 && errno == EPERM);  /* now it leads a group */

    /* A child moved into a group of its own, then the whole group killed. */
    pid_t a = child_sleeping();
    CHECK(getpgid(a) == me);
    CHECK(setpgid(a, a) == 0 && getpgid(a) == a);
    CHECK(kill(-a, SIGTERM) == 0);
    int status;
    CHECK(waitpid(a, &status, 0) == a && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);

    /* waitpid(0) waits only for our group; waitpid(-g) for group g. */
    pid_t in_group = fork();
    if (in_group == 0) _exit(3);
    pid_t other = fork();
    if (other == 0) {
        struct timespec s = {0, 50 * 1000 * 1000};
        nanosleep(&s, NULL);
        _exit(4);
    }
    CHECK(setpgid(other, other) == 0);
    CHECK(waitpid(0, &status, 0) == in_group && WEXITSTATUS(status) == 3);
    CHECK(waitpid(-other, &status, 0) == other && WEXITSTATUS(status) == 4);

    /* After exec the parent can no longer move its child. */
    pid_t exec_child = fork();
    if (exec_child == 0) {
        char* const argv[] = {"/bin/spin", NULL};
        execve(argv[0], argv, NULL);
        _exit(1);
    }
    struct timespec s = {0, 50 * 1000 * 1000};
    nanosleep(&s, NULL);
    CHECK(setpgid(exec_child, exec_child) == -1 && errno == EACCES);
    kill(exec_child, SIGKILL);
    CHECK(waitpid(exec_child, &status, 0) == exec_child && WTERMSIG(status) == SIGKILL);

    CHECK(setpgid(999999, 0) == -1 && errno == ESRCH);
    CHECK(setpgid(0, -1) == -1 && errno == EINVAL);
    CHECK(getpgid(999999) == -1 && errno == ESRCH);
    CHECK(kill(-999999, 0) == -1 && errno == ESRCH);
    return finish();
}
