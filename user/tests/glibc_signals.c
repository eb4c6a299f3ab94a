/* Signals through glibc: handlers (plain and SA_SIGINFO), masks and pending signals, nested
 * delivery, the alternate stack, SA_RESETHAND, SIG_IGN, default termination of a sleeping
 * child, SIGCHLD, FP state across a handler, and argument errors. Exits with the failures. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"


static volatile int usr1, usr2, info_signo, chld, nested_depth, max_depth;
static volatile char* alt_base;
static volatile int on_alt;

static void on_usr1(int sig) { usr1 += sig == SIGUSR1; }
static void on_usr2(int sig) {
    (void)sig;
    usr2++;
}
static void on_info(int sig, siginfo_t* info, void* uc) {
    (void)uc;
    info_signo = info->si_signo == sig ? sig : -1;
}
static void on_nested(int sig) {
    nested_depth++;
    if (nested_depth > max_depth) max_depth = nested_depth;
    if (sig == SIGUSR1) raise(SIGUSR2);
    nested_depth--;
}
static void on_alt_stack(int sig) {
    char here;
    (void)sig;
    on_alt = &here >= alt_base && &here < alt_base + 65536;
}
static void on_chld(int sig) { chld += sig == SIGCHLD; }
static void use_fp(int sig) {
    volatile double x = sig;
    for (int i = 0; i < 10; i++) x = x * 1.5 + 0.25;
}

int main(void) {
    check_program = TEST_NAME("signals");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);

    sa.sa_handler = on_usr1;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
    CHECK(raise(SIGUSR1) == 0 && usr1 == 1);

    sa.sa_flags = SA_SIGINFO;
    sa.sa_sigaction = on_info;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
    CHECK(raise(SIGUSR1) == 0 && info_signo == SIGUSR1);

    /* Blocked signals stay pending until unblocked. */
    sa.sa_flags = 0;
    sa.sa_handler = on_usr2;
    CHECK(sigaction(SIGUSR2, &sa, NULL) == 0);
    sigset_t set, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
    CHECK(kill(getpid(), SIGUSR2) == 0 && usr2 == 0);
    CHECK(sigpending(&pending) == 0 && sigismember(&pending, SIGUSR2));
    CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0 && usr2 == 1);

    /* A handler interrupted by another signal. */
    sa.sa_handler = on_nested;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0 && sigaction(SIGUSR2, &sa, NULL) == 0);
    CHECK(raise(SIGUSR1) == 0 && max_depth == 2);

    /* The alternate stack. */
    stack_t ss = {.ss_sp = malloc(65536), .ss_size = 65536, .ss_flags = 0};
    alt_base = ss.ss_sp;
    CHECK(sigaltstack(&ss, NULL) == 0);
    sa.sa_handler = on_alt_stack;
    sa.sa_flags = SA_ONSTACK;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
    CHECK(raise(SIGUSR1) == 0 && on_alt);
    ss.ss_size = 100;
    CHECK(sigaltstack(&ss, NULL) == -1 && errno == ENOMEM);

    /* SA_RESETHAND: the handler runs once, then the action is the default again. */
    sa.sa_handler = on_usr2;
    sa.sa_flags = SA_RESETHAND;
    CHECK(sigaction(SIGUSR2, &sa, NULL) == 0);
    int before = usr2;
    CHECK(raise(SIGUSR2) == 0 && usr2 == before + 1);
    struct sigaction now;
    CHECK(sigaction(SIGUSR2, NULL, &now) == 0 && now.sa_handler == SIG_DFL);

    /* Ignored signals do nothing. */
    CHECK(signal(SIGUSR2, SIG_IGN) != SIG_ERR && raise(SIGUSR2) == 0);

    /* FP registers survive a handler that uses them. */
    sa.sa_handler = use_fp;
    sa.sa_flags = 0;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
    volatile double keep = 3.25;
    raise(SIGUSR1);
    CHECK(keep == 3.25);

    /* A sleeping child killed by the default action of SIGTERM; SIGCHLD to us. */
    sa.sa_handler = on_chld;
    CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
    pid_t child = fork();
    if (child == 0) {
        struct timespec long_sleep = {30, 0};
        nanosleep(&long_sleep, NULL);
        _exit(0);
    }
    struct timespec short_sleep = {0, 20 * 1000 * 1000};
    nanosleep(&short_sleep, NULL);
    CHECK(kill(child, SIGTERM) == 0);
    int status = 0;
    pid_t r;
    while ((r = waitpid(child, &status, 0)) == -1 && errno == EINTR) {
    }
    CHECK(r == child && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    CHECK(chld >= 1);

    /* Errors. */
    CHECK(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL);
    CHECK(sigaction(65, &sa, NULL) == -1 && errno == EINVAL);
    CHECK(kill(999999, 0) == -1 && errno == ESRCH);
    CHECK(kill(getpid(), 0) == 0);
    CHECK(sigprocmask(99, &set, NULL) == -1 && errno == EINVAL);

    return finish();
}
