/* The console as a terminal, without a human: a child leads a new session with the console as
 * its controlling terminal (taken with TIOCSCTTY) and types into it with TIOCSTI, checking
 * canonical editing, input translation, VMIN/VTIME, the signal characters, the ioctls and their
 * errors, and job control (SIGTTIN, SIGTTOU, orphaned groups, SIGHUP when the session leader
 * exits). Echo is off while it types: what the terminal shows is scripts/tty_test.py's part.
 * Passes on Linux too (rdinit=, where /dev/console is the console). Exits with the failures. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

/* Results the session's processes report to the first one (they may not be its children). */
struct Shared {
    int failures;
    volatile int hangup_seen;
    volatile int orphan_read_errno;
};
static struct Shared* shared;
static int tty = -1;

static void type(const char* s) {
    for (; *s; s++) CHECK(ioctl(tty, TIOCSTI, s) == 0);
}

static long ms_since(const struct timespec* start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Reads once and compares with `want`. */
static void expect_read(const char* want) {
    char buf[64];
    ssize_t n = read(tty, buf, sizeof buf);
    size_t len = strlen(want);
    CHECK(n == (ssize_t)len && memcmp(buf, want, len) == 0);
}

static void set_mode(struct termios* t) { CHECK(tcsetattr(tty, TCSANOW, t) == 0); }

static void canonical(struct termios base) {
    set_mode(&base);
    type("abc\177d\n");  /* erase */
    expect_read("abd\n");
    type("foo bar\027baz\n");  /* word erase */
    expect_read("foo baz\n");
    type("junk\025good\n");  /* kill */
    expect_read("good\n");
    type("a\026\177b\n");  /* literal next: a DEL that is data */
    expect_read("a\177b\n");
    type("xy\004");  /* end of file with data, then alone: read returns 0 */
    expect_read("xy");
    type("\004");
    CHECK(read(tty, (char[8]){0}, 8) == 0);
    type("in\r");  /* ICRNL */
    expect_read("in\n");

    /* Only whole lines are readable: a partial one waits, and counts for nothing. */
    int n = -1;
    type("part");
    CHECK(ioctl(tty, FIONREAD, &n) == 0 && n == 0);
    int flags = fcntl(tty, F_GETFL);
    CHECK(fcntl(tty, F_SETFL, flags | O_NONBLOCK) == 0);
    CHECK(read(tty, (char[8]){0}, 8) == -1 && errno == EAGAIN);
    CHECK(fcntl(tty, F_SETFL, flags) == 0);
    type("ial\n");
    CHECK(ioctl(tty, FIONREAD, &n) == 0 && n == 8);
    char two[2];
    CHECK(read(tty, two, 2) == 2 && memcmp(two, "pa", 2) == 0);  /* the rest stays */
    expect_read("rtial\n");

    struct termios t = base;
    t.c_cc[VERASE] = '\b';
    t.c_cc[VEOL] = '!';
    t.c_iflag |= IGNCR;
    set_mode(&t);
    type("ab\bc\r!");
    expect_read("ac!");

    /* TCFLSH drops what was typed; TCSETSF too. */
    set_mode(&base);
    type("lost\n");
    CHECK(tcflush(tty, TCIFLUSH) == 0);
    CHECK(ioctl(tty, FIONREAD, &n) == 0 && n == 0);
    type("lost too\n");
    CHECK(tcsetattr(tty, TCSAFLUSH, &base) == 0);
    CHECK(ioctl(tty, FIONREAD, &n) == 0 && n == 0);
    CHECK(tcflush(tty, 7) == -1 && errno == EINVAL);
}

static void on_byte_later(const char* s) {
    pid_t pid = fork();
    if (pid == 0) {
        usleep(150000);
        type(s);
        _exit(0);
    }
}

static void noncanonical(struct termios base) {
    struct termios t = base;
    t.c_lflag &= ~ICANON;
    t.c_iflag |= INLCR;
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    set_mode(&t);
    CHECK(read(tty, (char[8]){0}, 8) == 0);  /* polling: nothing there */
    type("q\n");
    expect_read("q\r");  /* INLCR, and no line needed */

    struct timespec start;
    t.c_cc[VTIME] = 2;  /* VMIN 0: wait up to 0.2 s for a byte */
    set_mode(&t);
    clock_gettime(CLOCK_MONOTONIC, &start);
    CHECK(read(tty, (char[8]){0}, 8) == 0);
    long ms = ms_since(&start);
    CHECK(ms >= 150 && ms < 5000);

    t.c_cc[VMIN] = 2;  /* VMIN 2: wait for two bytes */
    t.c_cc[VTIME] = 0;
    set_mode(&t);
    type("1");
    int flags = fcntl(tty, F_GETFL);
    CHECK(fcntl(tty, F_SETFL, flags | O_NONBLOCK) == 0);
    expect_read("1");  /* non-blocking: what there is */
    CHECK(read(tty, (char[8]){0}, 8) == -1 && errno == EAGAIN);
    CHECK(fcntl(tty, F_SETFL, flags) == 0);
    type("3");
    clock_gettime(CLOCK_MONOTONIC, &start);
    on_byte_later("4");
    expect_read("34");
    CHECK(ms_since(&start) >= 100);
    CHECK(wait(NULL) > 0);

    t.c_cc[VMIN] = 5;  /* VMIN 5, VTIME 1: fewer once 0.1 s passes after a byte */
    t.c_cc[VTIME] = 1;
    set_mode(&t);
    type("56");
    expect_read("56");
    set_mode(&base);
}

static volatile sig_atomic_t got_signal;
static void on_signal(int sig) { got_signal = sig; }

static void signal_characters(struct termios base) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    int sigs[] = {SIGINT, SIGQUIT, SIGTSTP, SIGWINCH};
    for (int i = 0; i < 4; i++) CHECK(sigaction(sigs[i], &sa, NULL) == 0);
    set_mode(&base);
    const char* keys[] = {"\003", "\034", "\032"};
    for (int i = 0; i < 3; i++) {
        got_signal = 0;
        type("pending");
        type(keys[i]);  /* signals this group, and flushes what was typed */
        CHECK(got_signal == sigs[i]);
        int n = -1;
        type("\n");
        CHECK(ioctl(tty, FIONREAD, &n) == 0 && n == 1);
        expect_read("\n");
    }
    struct termios t = base;
    t.c_lflag |= NOFLSH;
    set_mode(&t);
    got_signal = 0;
    type("kept\003\n");
    CHECK(got_signal == SIGINT);
    expect_read("kept\n");
    t.c_lflag &= ~ISIG;
    set_mode(&t);
    got_signal = 0;
    type("\003\n");
    CHECK(got_signal == 0);
    expect_read("\003\n");
    set_mode(&base);

    /* The window size: a change signals the foreground group; the same size does not. */
    struct winsize w, back;
    CHECK(ioctl(tty, TIOCGWINSZ, &w) == 0);
    w.ws_row = w.ws_row == 40 ? 41 : 40;  /* a test before may have left 40 */
    w.ws_col = 100;
    got_signal = 0;
    CHECK(ioctl(tty, TIOCSWINSZ, &w) == 0);
    CHECK(got_signal == SIGWINCH);
    got_signal = 0;
    CHECK(ioctl(tty, TIOCSWINSZ, &w) == 0);
    CHECK(got_signal == 0);
    CHECK(ioctl(tty, TIOCGWINSZ, &back) == 0 && back.ws_row == w.ws_row && back.ws_col == 100);
    sa.sa_handler = SIG_DFL;
    for (int i = 0; i < 4; i++) CHECK(sigaction(sigs[i], &sa, NULL) == 0);
}

static void bad_requests(void) {
    CHECK(ioctl(tty, 0x54ff, 0) == -1 && errno == ENOTTY);
    CHECK(ioctl(tty, TCGETS, (void*)8) == -1 && errno == EFAULT);
    CHECK(ioctl(tty, TCSETS, NULL) == -1 && errno == EFAULT);
    CHECK(ioctl(tty, TIOCSWINSZ, NULL) == -1 && errno == EFAULT);
    CHECK(ioctl(tty, TIOCSTI, NULL) == -1 && errno == EFAULT);
    CHECK(ioctl(tty, TIOCGPGRP, (void*)-1L) == -1 && errno == EFAULT);
    int pgrp = -5;
    CHECK(ioctl(tty, TIOCSPGRP, &pgrp) == -1 && errno == EINVAL);
    pgrp = 999999;
    CHECK(ioctl(tty, TIOCSPGRP, &pgrp) == -1 && errno == ESRCH);
    pgrp = getppid();  /* the first process: another session */
    CHECK(ioctl(tty, TIOCSPGRP, &pgrp) == -1 && errno == EPERM);
    CHECK(tcflow(tty, 9) == -1 && errno == EINVAL);
    CHECK(tcflow(tty, TCOOFF) == 0 && tcflow(tty, TCOON) == 0);
    CHECK(tcdrain(tty) == 0);
}

/* A child of the session leader, in a background group of its own, does `what`; returns its
 * wait status once it stops or ends. */
static int in_background(void (*what)(void)) {
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        what();
        _exit(0);
    }
    setpgid(pid, pid);
    int status = 0;
    CHECK(waitpid(pid, &status, WUNTRACED) == pid);
    if (WIFSTOPPED(status)) {
        kill(pid, SIGKILL);
        CHECK(waitpid(pid, NULL, 0) == pid);
    }
    return status;
}

static void bg_read(void) { (void)read(tty, (char[8]){0}, 8); }
static const char kBackground[] = TEST_NAME("tty") ": written from the background\n";
static void bg_write(void) { (void)write(tty, kBackground, sizeof kBackground - 1); }
static void bg_setattr(void) {
    struct termios t;
    tcgetattr(tty, &t);
    tcsetattr(tty, TCSANOW, &t);
}
static void bg_read_ignoring(void) {
    signal(SIGTTIN, SIG_IGN);
    _exit(read(tty, (char[8]){0}, 8) == -1 && errno == EIO ? 0 : 1);
}
static void bg_setattr_ignoring(void) {
    signal(SIGTTOU, SIG_IGN);
    struct termios t;
    _exit(tcgetattr(tty, &t) == 0 && tcsetattr(tty, TCSANOW, &t) == 0 ? 0 : 1);
}
static void bg_write_plain(void) {
    _exit(write(tty, kBackground, sizeof kBackground - 1) == sizeof kBackground - 1 ? 0 : 1);
}

static void job_control(struct termios base) {
    int status = in_background(bg_read);
    CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTIN);
    status = in_background(bg_setattr);
    CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTOU);
    status = in_background(bg_read_ignoring);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    status = in_background(bg_setattr_ignoring);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    status = in_background(bg_write_plain);  /* without TOSTOP the background may write */
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    struct termios t = base;
    t.c_lflag |= TOSTOP;
    set_mode(&t);
    status = in_background(bg_write);
    CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTOU);
    set_mode(&base);

    /* A stopped reader continues in the foreground and gets its line; the shell's part
     * (taking the terminal back from the background) works with SIGTTOU blocked. */
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        char buf[8];
        _exit(read(tty, buf, sizeof buf) == 3 && memcmp(buf, "fg\n", 3) == 0 ? 0 : 1);
    }
    setpgid(pid, pid);
    CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTIN);
    CHECK(tcsetpgrp(tty, pid) == 0 && tcgetpgrp(tty) == pid);
    type("fg\n");
    CHECK(kill(pid, SIGCONT) == 0);
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    sigset_t ttou, old;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    sigprocmask(SIG_BLOCK, &ttou, &old);
    CHECK(tcsetpgrp(tty, getpgrp()) == 0 && tcgetpgrp(tty) == getpgrp());
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* An orphaned background group reads EIO: nobody could continue it if it stopped. */
    pid = fork();
    if (pid == 0) {
        pid_t parent = getpid();
        if (fork() == 0) {
            setpgid(0, 0);
            for (int i = 0; i < 500 && getppid() == parent; i++) usleep(10000);
            shared->orphan_read_errno = read(tty, (char[8]){0}, 8) == -1 ? errno : 0;
            _exit(0);
        }
        _exit(0);
    }
    CHECK(waitpid(pid, NULL, 0) == pid);
    for (int i = 0; i < 500 && shared->orphan_read_errno < 0; i++) usleep(10000);
    CHECK(shared->orphan_read_errno == EIO);
}

static void on_hangup(int sig) {
    (void)sig;
    shared->hangup_seen = 1;
    _exit(0);
}

/* Opens a device node, made first if the initramfs has none (Linux's rdinit= has only
 * /dev/console). */
static int open_device(const char* path, unsigned major, unsigned minor, int flags) {
    int fd = open(path, flags);
    if (fd < 0 && errno == ENOENT && mknod(path, S_IFCHR | 0666, makedev(major, minor)) == 0) fd = open(path, flags);
    return fd;
}

/* Which nodes make a session leader's terminal its controlling one: the line itself unless
 * O_NOCTTY; /dev/console never. A child of ours does it, the terminal being no one's now. */
static int acquiring(void) {
    check_program = TEST_NAME("tty") " (opening)";
    CHECK(setsid() == getpid());
    pid_t pgrp;
    int fd = open_device("/dev/tty", 5, 0, O_RDWR);
    CHECK(fd == -1 && errno == ENXIO);
    fd = open("/dev/console", O_RDWR);
    CHECK(fd >= 0 && ioctl(fd, TIOCGPGRP, &pgrp) == -1 && errno == ENOTTY);
    fd = open_device("/dev/ttyS0", 4, 64, O_RDWR | O_NOCTTY);
    CHECK(fd >= 0 && ioctl(fd, TIOCGPGRP, &pgrp) == -1 && errno == ENOTTY);
    fd = open_device("/dev/ttyS0", 4, 64, O_RDWR);
    CHECK(fd >= 0 && ioctl(fd, TIOCGPGRP, &pgrp) == 0 && pgrp == getpid());
    struct stat st;
    fd = open("/dev/tty", O_RDWR);
    CHECK(fd >= 0 && fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(5, 0));
    return check_failures;
}

/* The session leader: everything above, then it exits and its foreground group hears SIGHUP. */
static void lead_session(void) {
    check_program = TEST_NAME("tty") " (session)";
    CHECK(setsid() == getpid());
    CHECK(ioctl(0, TIOCSCTTY, 1) == 0);  /* taking it from the runner's session, as root may */
    CHECK(ioctl(0, TIOCSCTTY, 0) == 0);  /* ours already */
    /* The controlling terminal through /dev/tty. */
    tty = open_device("/dev/tty", 5, 0, O_RDWR);
    CHECK(tty >= 0);
    pid_t pgrp = -1, sid = -1;
    CHECK(ioctl(tty, TIOCGPGRP, &pgrp) == 0 && pgrp == getpid());
    CHECK(ioctl(tty, TIOCGSID, &sid) == 0 && sid == getpid());

    struct termios saved, base;
    CHECK(tcgetattr(tty, &saved) == 0);
    CHECK((saved.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG));
    CHECK(saved.c_cc[VINTR] == 3 && saved.c_cc[VEOF] == 4 && saved.c_cc[VERASE] == 0177 && saved.c_cc[VKILL] == 025);
    base = saved;
    base.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL | ECHOCTL | ECHOKE | NOFLSH | TOSTOP);
    base.c_lflag |= ICANON | ISIG | IEXTEN;
    base.c_iflag &= ~(INLCR | IGNCR);
    base.c_iflag |= ICRNL;
    CHECK(tcsetattr(tty, TCSAFLUSH, &base) == 0);

    canonical(base);
    noncanonical(base);
    signal_characters(base);
    bad_requests();
    job_control(base);

    /* A child that is no leader gives its terminal up for itself alone. */
    pid_t pid = fork();
    if (pid == 0) {
        int r = ioctl(tty, TIOCNOTTY) == 0 && ioctl(tty, TIOCGPGRP, &pgrp) == -1 && errno == ENOTTY;
        _exit(r ? 0 : 1);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(ioctl(tty, TIOCGPGRP, &pgrp) == 0 && pgrp == getpid());
    CHECK(tcsetattr(tty, TCSAFLUSH, &saved) == 0);

    /* Last: a member of the foreground group outlives the leader and is sent SIGHUP (its
     * handler set before the fork, so the signal cannot come first). */
    signal(SIGHUP, on_hangup);
    if (fork() == 0) {
        for (int i = 0; i < 500; i++) usleep(10000);
        _exit(1);
    }
    shared->failures += check_failures;
    _exit(0);
}

int main(void) {
    check_program = TEST_NAME("tty");
    shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(shared != MAP_FAILED);
    if (shared == MAP_FAILED) return finish();
    shared->orphan_read_errno = -1;
    CHECK(isatty(0));
    pid_t leader = fork();
    if (leader == 0) lead_session();
    int status;
    CHECK(waitpid(leader, &status, 0) == leader && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    for (int i = 0; i < 500 && !shared->hangup_seen; i++) usleep(10000);
    CHECK(shared->hangup_seen);
    check_failures += shared->failures;
    /* Not in that session: the terminal is not this process's controlling one. */
    pid_t pgrp;
    CHECK(ioctl(0, TIOCGPGRP, &pgrp) == -1 && errno == ENOTTY);
    pid_t child = fork();
    if (child == 0) _exit(acquiring());
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    int fd = open("/bin/glibc_hello", O_RDONLY);
    struct termios t;
    CHECK(fd >= 0 && tcgetattr(fd, &t) == -1 && errno == ENOTTY);
    close(fd);
    return finish();
}
