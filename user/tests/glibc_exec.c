/* execve: a program with arguments and environment, a #! script, and the errors (missing
 * file, bad pointers, an argument list over the limit). Exits with the number of failures. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"


static int run(const char* path, char* const argv[], char* const envp[]) {
    pid_t pid = fork();
    if (pid == 0) {
        execve(path, argv, envp);
        _exit(100 + errno);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
    return WEXITSTATUS(status);
}

int main(void) {
    check_program = TEST_NAME("exec");
    char* const args[] = {"/bin/exec_target", "args", "one", "two", NULL};
    char* const env[] = {"MARK=set", NULL};
    CHECK(run("/bin/exec_target", args, env) == 0);
    /* A new program starts with zero FP registers, whatever this process left in them
     * (nolibc_basics checks at its entry, before it touches FP). */
    volatile double fp = 1.25;
    for (int i = 0; i < 50; i++) fp = fp * 1.5 + 0.5;
    char* const basics[] = {"/bin/nolibc_basics", NULL};
    CHECK(run("/bin/nolibc_basics", basics, env) == 0 && fp > 1.0);

    char* const script[] = {"/bin/script.sh", "extra", NULL};
    CHECK(run("/bin/script.sh", script, env) == 0);

    CHECK(run("/bin/no-such-program", args, env) == 100 + ENOENT);
    CHECK(run((const char*)0x10, args, env) == 100 + EFAULT);
    CHECK(run("/bin/exec_target", (char* const*)0xffffffc000000000UL, env) == 100 + EFAULT);

    /* More argument bytes than the limit: E2BIG, and the caller keeps running. */
    static char big[4096];
    memset(big, 'a', sizeof big - 1);
    enum { N = 64 };
    char* many[N + 2];
    many[0] = "/bin/exec_target";
    for (int i = 1; i <= N; i++) many[i] = big;
    many[N + 1] = NULL;
    CHECK(run("/bin/exec_target", many, env) == 100 + E2BIG);

    /* A failed execve returns to the caller with its image intact. */
    errno = 0;
    CHECK(execve("/bin/no-such-program", args, env) == -1 && errno == ENOENT);

    return finish();
}
