/* The first user program: no C library, raw system calls. Checks what a process sees of
 * itself and of the kernel's argument checking, prints, and exits with the number of failed
 * checks (0 = pass). */
#include <stddef.h>

static long sys6(long n, long a, long b, long c, long d, long e, long f) {
    register long a0 __asm__("a0") = a, a1 __asm__("a1") = b, a2 __asm__("a2") = c;
    register long a3 __asm__("a3") = d, a4 __asm__("a4") = e, a5 __asm__("a5") = f;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7) : "memory");
    return a0;
}
#define sys(n, a, b, c) sys6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)

enum { SYS_write = 64, SYS_exit_group = 94, SYS_getpid = 172, SYS_brk = 214, SYS_munmap = 215,
       SYS_mmap = 222, SYS_clock_gettime = 113, SYS_uname = 160, SYS_mprotect = 226,
       SYS_getrandom = 278, SYS_prlimit64 = 261, SYS_sched_yield = 124, SYS_set_robust_list = 99, SYS_madvise = 233 };
enum { ESRCH = 3, EFAULT = 14, EINVAL = 22, EBADF = 9, ENOMEM = 12, ENOSYS = 38 };

static int failures;

static size_t len(const char* s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}
static void say(const char* s) { sys(SYS_write, 1, s, len(s)); }
static void check(int ok, const char* what) {
    if (!ok) {
        failures++;
        say("nolibc_basics: FAILED: ");
        say(what);
        say("\n");
    }
}

/* regs_survive(n): fills every register but sp, a0 and a7 (and the FP registers) with a pattern,
 * makes system call n twice (the first with the FP registers dirty, the second with them
 * clean: the quick path), and returns how many registers changed. Reproducer-style check of
 * the trap paths: the quick one saves only what C may clobber. */
long regs_survive(long n);
__asm__(
    ".globl regs_survive\n"
    "regs_survive:\n"
    "addi sp, sp, -256\n"
    "sd ra, 0(sp)\n sd gp, 8(sp)\n sd tp, 16(sp)\n"
    ".irp n, 8,9,18,19,20,21,22,23,24,25,26,27\n sd x\\n, (\\n * 8)(sp)\n .endr\n"
    "mv a7, a0\n"
    ".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "li t0, 0x2000 + \\n\n fmv.d.x f\\n, t0\n .endr\n"
    ".irp n, 1,3,4,5,6,7,8,9,11,12,13,14,15,16,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "li x\\n, 0x1000 + \\n\n .endr\n"
    "ecall\n ecall\n"
    "li a0, 0\n"
    ".irp n, 1,3,4,5,6,7,8,9,11,12,13,14,15,16,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "li a7, 0x1000 + \\n\n beq x\\n, a7, 1f\n addi a0, a0, 1\n 1:\n .endr\n"
    ".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "li t0, 0x2000 + \\n\n fmv.x.d a7, f\\n\n beq a7, t0, 1f\n addi a0, a0, 1\n 1:\n .endr\n"
    "ld ra, 0(sp)\n ld gp, 8(sp)\n ld tp, 16(sp)\n"
    ".irp n, 8,9,18,19,20,21,22,23,24,25,26,27\n ld x\\n, (\\n * 8)(sp)\n .endr\n"
    "addi sp, sp, 256\n"
    "ret\n");

/* fp_regs_or(): every FP register and fcsr or'ed together (0 if all are zero). */
long fp_regs_or(void);
__asm__(
    ".globl fp_regs_or\n"
    "fp_regs_or:\n"
    "frcsr a0\n"
    ".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "fmv.x.d t0, f\\n\n or a0, a0, t0\n .endr\n"
    "ret\n");

void _start_c(long* sp, long entry_a0, long entry_ra) {
    /* Reproducer-style: a new program's FP registers are zero, never what another thread or
     * process left in them (the FP state of a thread is kept only once it uses FP). */
    long fp_at_entry = fp_regs_or();
    long argc = sp[0];
    char** argv = (char**)(sp + 1);
    /* Reproducer: threads once started with whatever the kernel heap held in their registers
     * (kernel pointers leaked, and glibc called a0 as rtld_fini at exit). */
    check(entry_a0 == 0 && entry_ra == 0, "registers are zero at entry");
    check(fp_at_entry == 0, "FP registers are zero at entry");
    check(argc >= 1 && argv[0] != 0, "argc and argv[0]");
    check(sys(SYS_getpid, 0, 0, 0) > 0, "getpid");
    check(regs_survive(SYS_getpid) == 0, "registers survive a quick system call");
    check(regs_survive(SYS_uname) == 0, "registers survive a full system call");
    check(regs_survive(SYS_sched_yield) == 0, "registers survive a system call that waits");
    check(sys(SYS_write, 1, 0, 5) == -EFAULT, "write from NULL is EFAULT");
    check(sys(SYS_write, 1, 0xffffffc000000000L, 5) == -EFAULT, "write from kernel memory is EFAULT");
    check(sys(SYS_write, 1, -4096L, 100000) == -EFAULT, "write with a wrapping range is EFAULT");
    check(sys(SYS_write, 7, "x", 1) == -EBADF, "write to a closed fd is EBADF");
    check(sys(4095, 0, 0, 0) == -ENOSYS, "unknown system call is ENOSYS");
    check(sys(SYS_clock_gettime, 1, 0xffffffc000001000L, 0) == -EFAULT, "clock_gettime into kernel memory");
    check(sys(SYS_uname, 0, 0, 0) == -EFAULT, "uname(NULL)");

    long ts[2] = {0, 0};
    check(sys(SYS_clock_gettime, 1, ts, 0) == 0 && (ts[0] > 0 || ts[1] > 0), "clock_gettime");
    check(sys(SYS_clock_gettime, 99, ts, 0) == -EINVAL, "clock_gettime of a bad clock");

    /* The heap grows and the new memory is zero and writable. */
    long start = sys(SYS_brk, 0, 0, 0);
    long end = sys(SYS_brk, start + 3 * 4096 + 5, 0, 0);
    check(end == start + 3 * 4096 + 5, "brk grows");
    volatile char* heap = (char*)start;
    check(heap[0] == 0 && heap[3 * 4096] == 0, "new heap is zero");
    heap[100] = 7;
    check(heap[100] == 7, "heap is writable");

    /* Anonymous mappings: lazily mapped, zero, and gone after munmap. */
    long m = sys6(SYS_mmap, 0, 1 << 20, 3, 0x22, -1, 0);
    check(m > 0 && (m & 4095) == 0, "mmap anonymous");
    if (m > 0) {
        volatile long* p = (long*)m;
        check(p[0] == 0 && p[(1 << 20) / 8 - 1] == 0, "mmap memory is zero");
        p[5] = 42;
        check(sys(SYS_write, 1, (char*)m + 4096 * 3, 0) == 0, "zero-length write from mapped memory");
        check(sys(SYS_munmap, m, 1 << 20, 0) == 0, "munmap");
        check(sys(SYS_write, 1, (char*)m, 1) == -EFAULT, "write from unmapped memory is EFAULT");
    }
    check(sys6(SYS_mmap, 0, 4096, 8, 0x22, -1, 0) == -EINVAL, "mmap with unknown prot bits");
    check(sys6(SYS_mmap, 0, 0, 3, 0x22, -1, 0) == -EINVAL, "mmap of zero bytes");
    check(sys(SYS_munmap, 4097, 4096, 0) == -EINVAL, "munmap unaligned");

    /* mprotect: PROT_NONE parks the page, and its contents come back with the access. */
    long q = sys6(SYS_mmap, 0, 8192, 3, 0x22, -1, 0);
    check(q > 0, "mmap for mprotect");
    if (q > 0) {
        ((volatile long*)q)[1] = 1234;
        check(sys(SYS_mprotect, q, 4096, 0) == 0, "mprotect PROT_NONE");
        check(sys(SYS_write, 1, (char*)q, 1) == -EFAULT, "reading a PROT_NONE page is EFAULT");
        check(sys(SYS_mprotect, q, 4096, 3) == 0, "mprotect back to read/write");
        check(((volatile long*)q)[1] == 1234, "contents survive PROT_NONE");
        check(sys(SYS_mprotect, q + 1, 4096, 1) == -EINVAL, "mprotect unaligned");
        check(sys(SYS_mprotect, q, 4096, 0x40) == -EINVAL, "mprotect unknown bits");
        check(sys(SYS_mprotect, q, 3 * 4096, 1) == -ENOMEM, "mprotect past the mapping");
        /* MADV_DONTNEED: the page reads as zero afterwards. */
        ((volatile long*)q)[600] = 77;
        check(sys(SYS_madvise, q, 8192, 4) == 0, "madvise DONTNEED");
        check(((volatile long*)q)[600] == 0, "a discarded page reads zero");
        check(sys(SYS_madvise, q, 8192, 99) == -EINVAL, "madvise unknown advice");
        check(sys(SYS_madvise, q, 3 * 4096, 4) == -ENOMEM, "madvise past the mapping");
        sys(SYS_munmap, q, 8192, 0);
    }

    /* getrandom: fills, differs between calls, checks its arguments. */
    unsigned long r1[4] = {0, 0, 0, 0}, r2[4] = {0, 0, 0, 0};
    check(sys(SYS_getrandom, r1, 32, 0) == 32 && sys(SYS_getrandom, r2, 32, 0) == 32, "getrandom");
    check(r1[0] != r2[0] || r1[1] != r2[1], "getrandom differs between calls");
    check(sys(SYS_getrandom, r1, 8, 0x10) == -EINVAL, "getrandom unknown flags");
    check(sys(SYS_getrandom, 0xffffffc000000000L, 8, 0) == -EFAULT, "getrandom into kernel memory");

    /* prlimit64 and set_robust_list. */
    unsigned long lim[2] = {0, 0};
    check(sys6(SYS_prlimit64, 0, 3, 0, (long)lim, 0, 0) == 0 && lim[0] == 8 << 20, "RLIMIT_STACK is 8 MiB");
    check(sys6(SYS_prlimit64, 0, 99, 0, (long)lim, 0, 0) == -EINVAL, "prlimit64 bad resource");
    check(sys6(SYS_prlimit64, 99999, 3, 0, (long)lim, 0, 0) == -ESRCH, "prlimit64 of no process");
    unsigned long bad[2] = {10, 5};
    check(sys6(SYS_prlimit64, 0, 7, (long)bad, 0, 0, 0) == -EINVAL, "prlimit64 soft above hard");
    check(sys(SYS_set_robust_list, 0, 23, 0) == -EINVAL, "set_robust_list bad size");

    say(failures ? "nolibc_basics: some checks failed\n" : "nolibc_basics: all checks passed\n");
    sys(SYS_exit_group, failures, 0, 0);
}

__asm__(".globl _start\n_start:\n mv a1, a0\n mv a2, ra\n mv a0, sp\n andi sp, sp, -16\n call _start_c\n");
