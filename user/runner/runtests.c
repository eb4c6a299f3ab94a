/* The in-guest test runner: started by the kernel as the first process (init=/bin/runtests),
 * runs every test program in turn (fork + execve + waitpid), prints one line each and the
 * total, and exits with the number of failures, which the kernel turns into QEMU's exit
 * status. A test passes when it exits with status 0. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static const char* const kTests[] = {
    "/bin/nolibc_basics", "/bin/glibc_hello",  "/bin/glibc_fork",    "/bin/glibc_exec",
    "/bin/glibc_time",    "/bin/glibc_signals", "/bin/glibc_threads", "/bin/glibc_groups",
    "/bin/glibc_sched",   "/bin/glibc_itimer", "/bin/glibc_creds",   "/bin/glibc_hostile",
    "/bin/glibc_sigwait", "/bin/glibc_files",  "/bin/console_read",  "/bin/glibc_tty",
    "/bin/glibc_mmap",    "/bin/glibc_clone",  "/bin/glibc_robust", "/bin/glibc_dynamic",
    "/bin/catch2_vfs",
    /* The same tests against musl, then Catch2 (C++, libstdc++ threads) on glibc. */
    "/bin/musl_hello",    "/bin/musl_fork",    "/bin/musl_exec",     "/bin/musl_time",
    "/bin/musl_signals",  "/bin/musl_threads", "/bin/musl_groups",   "/bin/musl_sched",
    "/bin/musl_itimer",   "/bin/musl_creds",   "/bin/musl_hostile",  "/bin/musl_sigwait",
    "/bin/musl_files",    "/bin/musl_mmap",    "/bin/musl_clone",   "/bin/musl_robust",
    "/bin/musl_tty",
    "/bin/catch2_process", "/bin/catch2_pipe", "/bin/catch2_poll",
    "/bin/catch2_epoll",   "/bin/catch2_event_files",
    /* Last: random system calls from children (the kernel must stay up). */
    "/bin/syscall_fuzz",
};

int main(void) {
    int passed = 0, failed = 0;
    for (size_t i = 0; i < sizeof kTests / sizeof kTests[0]; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            char* const argv[] = {(char*)kTests[i], NULL};
            char* const envp[] = {"PATH=/bin", "HOME=/", NULL};
            execve(kTests[i], argv, envp);
            perror("runtests: execve");
            _exit(127);
        }
        int status = -1;
        if (pid < 0 || waitpid(pid, &status, 0) != pid) status = -1;
        int ok = status == 0;
        printf("%s %s", ok ? "ok  " : "FAIL", kTests[i]);
        if (!ok && WIFEXITED(status)) printf(" (exit %d)", WEXITSTATUS(status));
        if (!ok && WIFSIGNALED(status)) printf(" (signal %d)", WTERMSIG(status));
        printf("\n");
        ok ? passed++ : failed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed;
}
