/* Credentials: root drops to another user in a child, which then cannot get root back or
 * signal root's processes; the setres* and supplementary-group calls. Exits with the failures. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

int main(void) {
    check_program = TEST_NAME("creds");
    CHECK(getuid() == 0 && geteuid() == 0 && getgid() == 0 && getegid() == 0);
    CHECK(getauxval(AT_UID) == 0 && getauxval(AT_EUID) == 0);
    gid_t groups[4] = {10, 20, 30, 40};
    CHECK(setgroups(4, groups) == 0 && getgroups(0, NULL) == 4);
    gid_t back[4];
    CHECK(getgroups(4, back) == 4 && back[2] == 30);
    CHECK(getgroups(1, back) == -1 && errno == EINVAL);

    pid_t root_pid = getpid();
    pid_t child = fork();
    if (child == 0) {
        int bad = 0;
        bad |= setresgid(100, 100, 100) != 0;
        bad |= setresuid(1000, 1000, 1000) != 0;
        uid_t r, e, s;
        bad |= getresuid(&r, &e, &s) != 0 || r != 1000 || e != 1000 || s != 1000;
        bad |= getuid() != 1000 || getegid() != 100;
        bad |= !(setuid(0) == -1 && errno == EPERM);           /* no way back */
        bad |= !(setresuid(-1, 0, -1) == -1 && errno == EPERM);
        bad |= !(kill(root_pid, 0) == -1 && errno == EPERM);    /* root's process is out of reach */
        bad |= !(setgroups(0, NULL) == -1 && errno == EPERM);
        bad |= setuid(1000) != 0;                               /* its own id is fine */
        _exit(bad);
    }
    int status;
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* Root may set the effective id and come back through the saved one. */
    child = fork();
    if (child == 0) {
        int bad = setresuid(-1, 500, 0) != 0;
        bad |= geteuid() != 500;
        bad |= setresuid(-1, 0, -1) != 0 || geteuid() != 0;  /* back through the saved uid */
        _exit(bad);
    }
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(setuid(-1) == -1 && errno == EINVAL);
    return finish();
}
