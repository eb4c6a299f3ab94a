/* Processes that share with their parent: vfork (the parent waits until the child execs or
 * ends, and sees its writes), posix_spawn (glibc's is clone(CLONE_VM|CLONE_VFORK)), clone with
 * CLONE_VM or CLONE_FILES but no thread, another exit signal than SIGCHLD, clone3, and the flag
 * combinations Linux refuses. Exits with the failures. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

extern char** environ;

static volatile int shared_word;
static volatile int usr1;
static int opened_fd = -1;

static void on_usr1(int sig) { usr1 += sig == SIGUSR1; }

#ifdef __GLIBC__
static volatile int reaping;
static void* reap_all(void* arg) {
    while (reaping) waitpid(-1, NULL, WNOHANG);
    return arg;
}
#endif

static int set_word(void* arg) {
    shared_word = (int)(intptr_t)arg;
    return 5;
}

static int open_a_file(void* arg) {
    (void)arg;
    opened_fd = open("/bin/script.sh", O_RDONLY);  /* in the child's copy of memory only */
    return opened_fd >= 0 ? opened_fd : 100;
}

struct CloneArgs {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

int main(void) {
    check_program = TEST_NAME("clone");
    int status;

    /* vfork: the parent continues only after the child's _exit, and sees what it wrote. (musl's
     * vfork on riscv64 is a plain fork: the write stays the child's.) */
    shared_word = 0;
    pid_t child = vfork();
    if (child == 0) {
        shared_word = 42;
        _exit(3);
    }
#ifdef __GLIBC__
    CHECK(child > 0 && shared_word == 42);
#endif
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 3);

    /* vfork + execve: the parent continues once the child has a memory of its own. */
    child = vfork();
    if (child == 0) {
        char* argv[] = {"/bin/exec_target", "args", "one", "two", NULL};
        char* envp[] = {"MARK=set", NULL};
        execve(argv[0], argv, envp);
        _exit(99);
    }
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);

#ifdef __GLIBC__
    /* posix_spawn, and its failure reported through the shared memory. (musl's reports it
     * through a pipe: pipes come with the files issue.) */
    char* argv[] = {"/bin/exec_target", "args", "one", "two", NULL};
    char* envp[] = {"MARK=set", NULL};
    CHECK(posix_spawn(&child, argv[0], NULL, NULL, argv, envp) == 0);
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(posix_spawn(&child, "/bin/nothing", NULL, NULL, argv, envp) == ENOENT);
    /* Reproducer: a vfork parent once kept only a bare pointer to its child, freed if another
     * thread reaped the child first. Here a second thread reaps while this one spawns. */
    pthread_t reaper;
    reaping = 1;
    CHECK(pthread_create(&reaper, NULL, reap_all, NULL) == 0);
    for (int i = 0; i < 40; i++) posix_spawn(&child, argv[0], NULL, NULL, argv, envp);
    reaping = 0;
    pthread_join(reaper, NULL);
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
#endif

    /* clone(CLONE_VM) without a thread: a process of its own in the same memory. */
    size_t stack_size = 64 * 1024;
    char* stack = malloc(stack_size);
    shared_word = 0;
    child = clone(set_word, stack + stack_size, CLONE_VM | SIGCHLD, (void*)(intptr_t)7);
    CHECK(child > 0);
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 5);
    CHECK(shared_word == 7);

    /* CLONE_FILES without CLONE_VM: the descriptor the child opens is the parent's too. */
    child = clone(open_a_file, stack + stack_size, CLONE_FILES | SIGCHLD, NULL);
    CHECK(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status));
    int fd = WEXITSTATUS(status);
    CHECK(opened_fd == -1 && fd < 100 && fcntl(fd, F_GETFD) == 0 && close(fd) == 0);

    /* Another exit signal: SIGUSR1 instead of SIGCHLD; such a child is waited for with __WALL. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
    child = clone(set_word, stack + stack_size, CLONE_VM | SIGUSR1, (void*)(intptr_t)9);
    CHECK(child > 0);
    while (waitpid(child, &status, __WALL) == -1 && errno == EINTR) {
    }
    CHECK(usr1 == 1 && WIFEXITED(status) && WEXITSTATUS(status) == 5 && shared_word == 9);

    /* clone3: a fork, then the errors of its argument block. */
    struct CloneArgs args;
    memset(&args, 0, sizeof args);
    args.exit_signal = SIGCHLD;
    long r = syscall(SYS_clone3, &args, sizeof args);
    if (r == 0) _exit(11);
    CHECK(r > 0 && waitpid((pid_t)r, &status, 0) == r && WEXITSTATUS(status) == 11);
    CHECK(syscall(SYS_clone3, &args, 32) == -1 && errno == EINVAL);
    CHECK(syscall(SYS_clone3, (void*)8, sizeof args) == -1 && errno == EFAULT);
    char bigger[sizeof args + 16];
    memset(bigger, 0, sizeof bigger);
    memcpy(bigger, &args, sizeof args);
    bigger[sizeof args + 3] = 1;  /* an unknown field set */
    CHECK(syscall(SYS_clone3, bigger, sizeof bigger) == -1 && errno == E2BIG);
    args.flags = SIGCHLD;  /* the signal belongs in exit_signal */
    CHECK(syscall(SYS_clone3, &args, sizeof args) == -1 && errno == EINVAL);
    args.flags = 0;
    args.stack = (uint64_t)(uintptr_t)stack;  /* a stack needs its size */
    CHECK(syscall(SYS_clone3, &args, sizeof args) == -1 && errno == EINVAL);

    /* What Linux refuses: a thread without shared handlers, handlers without shared memory. */
    CHECK(syscall(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0) == -1 && errno == EINVAL);
    CHECK(syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0) == -1 && errno == EINVAL);
    CHECK(syscall(SYS_clone, SIGCHLD | 0x1000 /* CLONE_PIDFD */, 0, 0, 0, 0) == -1 && errno == EINVAL);
    free(stack);
    return finish();
}
