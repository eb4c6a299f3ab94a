// Running a piece of a test in a forked child, for the Catch2 suites: checks run on the main
// process only (Catch2's assertions are not thread- or fork-safe), a child reports through its
// exit status.
#pragma once
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "catch2/catch.hpp"

// Starts body in a forked child without waiting and answers its pid. The child _exits with what
// body returns, and drops Catch2's fatal-signal handlers, so a deliberate crash is not reported
// as a test's.
template <typename Body>
pid_t start_child(Body body) {
    pid_t pid = fork();
    if (pid == 0) {
        for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTERM, SIGINT, SIGPIPE}) signal(sig, SIG_DFL);
        _exit(body());
    }
    REQUIRE(pid > 0);
    return pid;
}

// The wait status of a child started with start_child.
inline int wait_child(pid_t pid) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    return status;
}

// Runs body in a forked child and answers its wait status.
template <typename Body>
int status_of(Body body) {
    return wait_child(start_child(body));
}

inline bool exited_with(int status, int code) { return WIFEXITED(status) && WEXITSTATUS(status) == code; }
