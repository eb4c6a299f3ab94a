/* /init for the Linux baseline (scripts/linux-baseline): proves Debian's kernel booted into our
 * initramfs, says how long that took, and powers the machine off so QEMU exits with status 0
 * (Linux's poweroff goes through SBI SRST, which QEMU's virt machine turns into a clean exit).
 * Static glibc, so it runs unchanged on Riptide too. */
#include <stdio.h>
#include <sys/reboot.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    struct timespec up;
    clock_gettime(CLOCK_BOOTTIME, &up); /* time since the kernel started */
    printf("linux baseline: init ran\n");
    printf("linux baseline: uptime at init %ld.%03ld s\n", (long)up.tv_sec, up.tv_nsec / 1000000);
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF); /* as PID 1 this does not return */
    return 1;
}
