/* A small interactive session for scripts/tty_test.py, which runs QEMU under a pseudo-terminal
 * as a person at a terminal would and types the keys this program asks for: two edited lines,
 * a long pasted one, an end of file, ^C to a running foreground job, ^Z to a reading one that is then continued
 * in the foreground, and one key in raw mode. It prints what it got; the script compares.
 * Not in the runner's list: without someone typing it would wait forever. Exits with the
 * number of unexpected results. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int failures;

/* Reads one line (canonical mode returns it whole) and prints it without its newline. */
static void read_line(const char* label) {
    char line[256];
    ssize_t n = read(0, line, sizeof line - 1);
    if (n <= 0) {
        failures++;
        printf("%s: read returned %zd\n", label, n);
        return;
    }
    if (line[n - 1] == '\n') n--;
    line[n] = 0;
    printf("%s: [%s]\n", label, line);
}

/* The shell's part of job control: the terminal goes to `pgrp`, or comes back to us (from the
 * background, which works with SIGTTOU blocked). */
static void give_terminal(pid_t pgrp) {
    sigset_t ttou, old;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    sigprocmask(SIG_BLOCK, &ttou, &old);
    if (tcsetpgrp(0, pgrp) != 0) {
        failures++;
        perror("tcsetpgrp");
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Starts `job` in a foreground group of its own once the terminal is its. */
static pid_t start_job(void (*job)(void)) {
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        while (tcgetpgrp(0) != getpid()) usleep(1000);
        job();
        _exit(0);
    }
    setpgid(pid, pid);
    give_terminal(pid);
    return pid;
}

static void spin(void) {
    printf("job: spinning\n");
    for (;;) usleep(10000);
}

static void read_a_line(void) {
    printf("job: reading\n");
    read_line("job: read");
}

static void report(int status) {
    if (WIFEXITED(status)) printf("job: exited %d\n", WEXITSTATUS(status));
    else if (WIFSIGNALED(status)) printf("job: ended by signal %d\n", WTERMSIG(status));
    else if (WIFSTOPPED(status)) printf("job: stopped by signal %d\n", WSTOPSIG(status));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    /* The first process has no controlling terminal (on Riptide as on Linux): take the line. */
    if (tcgetpgrp(0) != getpgrp()) {
        setsid();
        ioctl(0, TIOCSCTTY, 1);
    }
    printf("tty_interactive: type a line\n");
    read_line("line 1");
    printf("tty_interactive: type another\n");
    read_line("line 2");
    printf("tty_interactive: paste a long line\n");
    char big[4096];
    ssize_t pasted = read(0, big, sizeof big);
    printf("pasted %zd bytes\n", pasted);
    printf("tty_interactive: end of file\n");
    char c;
    printf("%s\n", read(0, &c, 1) == 0 ? "eof" : "no eof");

    int status;
    pid_t pid = start_job(spin);
    waitpid(pid, &status, WUNTRACED);
    report(status);
    give_terminal(getpgrp());

    pid = start_job(read_a_line);
    waitpid(pid, &status, WUNTRACED);
    report(status);
    give_terminal(pid);
    kill(-pid, SIGCONT);
    printf("job: in the foreground again\n");
    waitpid(pid, &status, WUNTRACED);
    report(status);
    give_terminal(getpgrp());

    struct termios saved, raw;
    tcgetattr(0, &saved);
    raw = saved;
    raw.c_lflag &= ~(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    tcsetattr(0, TCSANOW, &raw);
    printf("tty_interactive: press a key\n");
    printf("key 0x%02x\n", read(0, &c, 1) == 1 ? (unsigned char)c : 0);
    tcsetattr(0, TCSANOW, &saved);
    printf("tty_interactive: done\n");
    return failures;
}
