/* Reading the console: the line scripts/test.sh types into the guest's serial input arrives on
 * stdin; once it is consumed, a non-blocking read says EAGAIN and a blocking one waits until
 * a signal ends it (EINTR without SA_RESTART). Exits with the failures. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "check.h"

static const char kExpected[] = "riptide console input\n";

static void on_alarm(int sig) { (void)sig; }

int main(void) {
    check_program = "console_read";
    char line[64];
    size_t got = 0;
    while (got < sizeof kExpected - 1) {
        ssize_t r = read(0, line + got, sizeof kExpected - 1 - got);
        if (r <= 0) break;
        got += (size_t)r;
    }
    CHECK(got == sizeof kExpected - 1 && memcmp(line, kExpected, got) == 0);

    int flags = fcntl(0, F_GETFL);
    CHECK(fcntl(0, F_SETFL, flags | O_NONBLOCK) == 0);
    CHECK(read(0, line, sizeof line) == -1 && errno == EAGAIN);
    CHECK(fcntl(0, F_SETFL, flags) == 0);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
    struct itimerval it = {{0, 0}, {0, 30000}};
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
    CHECK(read(0, line, sizeof line) == -1 && errno == EINTR);
    return finish();
}
