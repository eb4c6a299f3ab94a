/* Signals that end or restart waits, and job control: SIGSEGV/SIGILL/SIGTRAP delivered to a
 * handler with si_addr, SA_RESTART (waitpid and a futex wait resume; without it, EINTR),
 * sigsuspend, sigtimedwait, stop and continue with their wait statuses and SIGCHLD codes, and
 * CPU-time accounting (getrusage, times). Exits with the failures. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

/* From <linux/futex.h>, which musl (this test is also built against it) does not ship. */
enum { FUTEX_WAIT_PRIVATE = 128, FUTEX_WAKE_PRIVATE = 129 };

/* raise() sends with tgkill/tkill, so SI_TKILL; glibc's sigtimedwait folds that into SI_USER,
 * musl's does not. */
#ifdef __GLIBC__
#define RAISE_CODE SI_USER
#else
#define RAISE_CODE SI_TKILL
#endif

static sigjmp_buf jump;
static volatile void* fault_addr;
static volatile int fault_code, fault_signo, alarms, usr1;
static volatile siginfo_t chld_info;

static void on_fault(int sig, siginfo_t* info, void* uc) {
    (void)uc;
    fault_signo = sig;
    fault_addr = info->si_addr;
    fault_code = info->si_code;
    siglongjmp(jump, 1);
}
static void on_alarm(int sig) { alarms += sig == SIGALRM; }
static void on_usr1(int sig) { usr1 += sig == SIGUSR1; }
static void on_chld(int sig, siginfo_t* info, void* uc) {
    (void)sig, (void)uc;
    chld_info = *info;
}

static void set_handler(int sig, void (*fn)(int), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    CHECK(sigaction(sig, &sa, NULL) == 0);
}
static void set_info_handler(int sig, void (*fn)(int, siginfo_t*, void*)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(sig, &sa, NULL) == 0);
}
static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, ms % 1000 * 1000000};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
    }
}
static void arm_alarm_ms(long ms) {
    struct itimerval it = {{0, 0}, {ms / 1000, ms % 1000 * 1000}};
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
}
static void spin_ms(long ms) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    do clock_gettime(CLOCK_MONOTONIC, &b);
    while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static void faults(void) {
    set_info_handler(SIGSEGV, on_fault);
    /* An unmapped address: SEGV_MAPERR, with the address. */
    if (sigsetjmp(jump, 1) == 0) *(volatile int*)0x1238 = 1;
    CHECK(fault_signo == SIGSEGV && fault_addr == (void*)0x1238 && fault_code == SEGV_MAPERR);
    /* A read-only page written: SEGV_ACCERR. */
    char* ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(ro != MAP_FAILED);
    fault_signo = 0;
    if (sigsetjmp(jump, 1) == 0) ro[8] = 1;
    CHECK(fault_signo == SIGSEGV && fault_addr == ro + 8 && fault_code == SEGV_ACCERR);
    /* The handler's mask was undone by siglongjmp: the same fault is caught again. */
    fault_signo = 0;
    if (sigsetjmp(jump, 1) == 0) ro[16] = 1;
    CHECK(fault_signo == SIGSEGV && fault_addr == ro + 16);
    /* An illegal instruction: SIGILL at its address. */
    set_info_handler(SIGILL, on_fault);
    fault_signo = 0;
    if (sigsetjmp(jump, 1) == 0) __asm__ volatile(".word 0");
    CHECK(fault_signo == SIGILL && fault_code == ILL_ILLOPC && fault_addr != NULL);
    /* ebreak: SIGTRAP. */
    set_info_handler(SIGTRAP, on_fault);
    fault_signo = 0;
    if (sigsetjmp(jump, 1) == 0) __asm__ volatile("ebreak");
    CHECK(fault_signo == SIGTRAP);
    /* A blocked SIGSEGV still ends the process (it cannot be held back), as does an ignored one. */
    for (int ignore = 0; ignore < 2; ignore++) {
        pid_t child = fork();
        if (child == 0) {
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, SIGSEGV);
            if (ignore) signal(SIGSEGV, SIG_IGN);
            else sigprocmask(SIG_BLOCK, &set, NULL);
            int* volatile bad = (int*)0x10;
            *bad = 1;
            _exit(0);
        }
        int status;
        CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
    }
    munmap(ro, 4096);
}

/* A waitpid interrupted by SIGALRM: resumed under SA_RESTART, EINTR without it. */
static void restarts(void) {
    for (int restart = 0; restart < 2; restart++) {
        set_handler(SIGALRM, on_alarm, restart ? SA_RESTART : 0);
        pid_t child = fork();
        if (child == 0) {
            sleep_ms(150);
            _exit(7);
        }
        alarms = 0;
        arm_alarm_ms(30);
        int status = 0;
        pid_t r = waitpid(child, &status, 0);
        CHECK(alarms == 1);
        if (restart) {
            CHECK(r == child && WIFEXITED(status) && WEXITSTATUS(status) == 7);
        } else {
            CHECK(r == -1 && errno == EINTR);
            CHECK(waitpid(child, &status, 0) == child && WEXITSTATUS(status) == 7);
        }
    }
}

static void* wake_after(void* arg) {
    volatile uint32_t* word = arg;
    sleep_ms(60);
    *word = 1;
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    return NULL;
}

/* An untimed futex wait interrupted under SA_RESTART is restarted, so it still sees its wake. */
static void futex_restart(void) {
    set_handler(SIGALRM, on_alarm, SA_RESTART);
    static volatile uint32_t word;
    pthread_t waker;
    int created = pthread_create(&waker, NULL, wake_after, (void*)&word) == 0;
    CHECK(created);
    if (!created) return;  /* nobody would wake the wait below: fail, do not hang */
    alarms = 0;
    arm_alarm_ms(20);
    long r;
    while ((r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0)) == -1 && errno == EAGAIN && word == 0) {
    }
    CHECK(r == 0 || (r == -1 && errno == EAGAIN && word == 1));  /* woken, never EINTR */
    CHECK(alarms == 1);
    pthread_join(waker, NULL);
}

static void suspend_and_wait(void) {
    /* sigsuspend: returns EINTR after the handler, with the old mask back. */
    set_handler(SIGUSR1, on_usr1, 0);
    sigset_t block, old, during;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    CHECK(sigprocmask(SIG_BLOCK, &block, &old) == 0);
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(20);
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    sigemptyset(&during);
    usr1 = 0;
    CHECK(sigsuspend(&during) == -1 && errno == EINTR && usr1 == 1);
    sigset_t now;
    CHECK(sigprocmask(SIG_BLOCK, NULL, &now) == 0 && sigismember(&now, SIGUSR1));
    waitpid(child, NULL, 0);

    /* sigtimedwait: takes a blocked pending signal with its information, or times out. */
    CHECK(raise(SIGUSR1) == 0 && usr1 == 1);  /* blocked: stays pending */
    siginfo_t info;
    struct timespec zero = {0, 0}, short_wait = {0, 30 * 1000000};
    CHECK(sigtimedwait(&block, &info, &zero) == SIGUSR1 && info.si_signo == SIGUSR1 && info.si_code == RAISE_CODE && info.si_pid == getpid());
    CHECK(sigtimedwait(&block, &info, &zero) == -1 && errno == EAGAIN);
    CHECK(sigtimedwait(&block, &info, &short_wait) == -1 && errno == EAGAIN);
    child = fork();
    if (child == 0) {
        sleep_ms(20);
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    CHECK(sigwaitinfo(&block, &info) == SIGUSR1 && info.si_code == SI_USER && info.si_pid == child);
    CHECK(usr1 == 1);  /* taken, not delivered */
    waitpid(child, NULL, 0);
    struct timespec bad = {0, 1000000000};
    CHECK(sigtimedwait(&block, &info, &bad) == -1 && errno == EINVAL);
    CHECK(sigtimedwait((sigset_t*)8, &info, &zero) == -1 && errno == EFAULT);
    CHECK(syscall(SYS_rt_sigsuspend, (void*)8, 8) == -1 && errno == EFAULT);
    CHECK(syscall(SYS_rt_sigsuspend, &during, 4) == -1 && errno == EINVAL);
    CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0);
}

static void job_control(void) {
    set_info_handler(SIGCHLD, on_chld);
    pid_t child = fork();
    if (child == 0) {
        for (;;) pause();
    }
    int status;
    CHECK(kill(child, SIGSTOP) == 0);
    CHECK(waitpid(child, &status, WUNTRACED) == child && WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
    CHECK(chld_info.si_code == CLD_STOPPED && chld_info.si_pid == child && chld_info.si_status == SIGSTOP);
    /* Reported once. */
    CHECK(waitpid(child, &status, WUNTRACED | WNOHANG) == 0);
    CHECK(kill(child, SIGCONT) == 0);
    CHECK(waitpid(child, &status, WCONTINUED) == child && WIFCONTINUED(status));
    CHECK(chld_info.si_code == CLD_CONTINUED);
    /* SIGTSTP's default stops too; waitid sees it. */
    CHECK(kill(child, SIGTSTP) == 0);
    siginfo_t info;
    memset(&info, 0, sizeof info);
    CHECK(waitid(P_PID, child, &info, WSTOPPED) == 0 && info.si_code == CLD_STOPPED && info.si_status == SIGTSTP);
    /* A stopped process dies of SIGKILL. */
    CHECK(kill(child, SIGKILL) == 0);
    CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    CHECK(chld_info.si_code == CLD_KILLED && chld_info.si_status == SIGKILL);
    signal(SIGCHLD, SIG_DFL);
}

static void cpu_time(void) {
    struct rusage before, after;
    CHECK(getrusage(RUSAGE_SELF, &before) == 0);
    spin_ms(60);
    CHECK(getrusage(RUSAGE_SELF, &after) == 0);
    long used_us = (after.ru_utime.tv_sec - before.ru_utime.tv_sec) * 1000000 + (after.ru_utime.tv_usec - before.ru_utime.tv_usec);
    CHECK(used_us >= 30000 && used_us < 2000000);
    CHECK(getrusage(RUSAGE_THREAD, &after) == 0 && after.ru_utime.tv_sec + after.ru_utime.tv_usec > 0);
    CHECK(after.ru_maxrss > 0);
    /* A reaped child's time counts for RUSAGE_CHILDREN and times()'s cutime. */
    struct tms t0, t1;
    clock_t c0 = times(&t0);
    pid_t child = fork();
    if (child == 0) {
        spin_ms(60);
        _exit(0);
    }
    struct rusage child_usage;
    int status;
    CHECK(wait4(child, &status, 0, &child_usage) == child);
    clock_t c1 = times(&t1);
    CHECK(c1 >= c0 + 5);  /* 100 Hz: at least 50 ms later */
    CHECK(t1.tms_cutime >= t0.tms_cutime + 3);
    CHECK(getrusage(RUSAGE_CHILDREN, &after) == 0 && after.ru_utime.tv_sec * 1000000 + after.ru_utime.tv_usec >= 30000);
    CHECK(getrusage(7, &after) == -1 && errno == EINVAL);
    CHECK(getrusage(RUSAGE_SELF, (void*)8) == -1 && errno == EFAULT);
}

/* Reproducer: a signal taken while a0 happened to hold a restart code (-512) made the kernel
 * "restart" after rt_sigreturn, rewinding the pc by one instruction. A loop counting in two
 * registers in lockstep sees any instruction run twice. */
static volatile int ticks_left;
static void on_tick(int sig) {
    (void)sig;
    ticks_left--;
}

static void sigreturn_is_no_restart(void) {
    set_handler(SIGALRM, on_tick, 0);
    ticks_left = 12;
    struct itimerval every = {{0, 2000}, {0, 2000}}, off = {{0, 0}, {0, 0}};
    CHECK(setitimer(ITIMER_REAL, &every, NULL) == 0);
    long mismatch;
    __asm__ volatile(
        ".option push\n"
        ".option norvc\n"  /* 4-byte instructions: a rewind repeats exactly one */
        "li a0, -512\n"
        "li t1, 0\n"
        "li t2, 0\n"
        "1: addi t1, t1, 1\n"
        "addi t2, t2, 1\n"
        "lw t3, 0(%1)\n"
        "bgtz t3, 1b\n"
        "sub %0, t1, t2\n"
        ".option pop\n"
        : "=&r"(mismatch)
        : "r"(&ticks_left)
        : "a0", "t1", "t2", "t3", "memory");
    CHECK(setitimer(ITIMER_REAL, &off, NULL) == 0);
    CHECK(mismatch == 0);
}

int main(void) {
    check_program = TEST_NAME("sigwait");
    faults();
    restarts();
    futex_restart();
    suspend_and_wait();
    job_control();
    cpu_time();
    sigreturn_is_no_restart();
    return finish();
}
