/* The first process for `make bench`, on Riptide (init=/bin/bench_init) and on the Linux
 * baseline (rdinit=/bin/bench_init): runs /bin/sysbench, then powers the machine off, so both
 * kernels run exactly the same binaries the same way. It mounts /proc first. */
#include <stdio.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    /* /proc for sysbench's memory figures: Linux's initramfs root has none mounted (Riptide's
     * has, and the second mount does no harm). */
    mkdir("/proc", 0555);
    mount("proc", "/proc", "proc", 0, NULL);
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
