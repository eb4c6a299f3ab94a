/* The first process for `make bench`, on Riptide (init=/bin/bench_init) and on the Linux
 * baseline (rdinit=/bin/bench_init): runs /bin/sysbench, then powers the machine off, so both
 * kernels run exactly the same binaries the same way. */
#include <stdio.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    pid_t pid = fork();
    if (pid == 0) {
        char* const argv[] = {"/bin/sysbench", NULL};
        char* const envp[] = {"PATH=/bin", NULL};
        execve(argv[0], argv, envp);
        perror("bench_init: execve");
        _exit(127);
    }
    int status = 1;
    if (pid > 0) waitpid(pid, &status, 0);
    printf("bench_init: sysbench exited with status %d\n", status);
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF); /* as the first process this does not return */
    return 1;
}
