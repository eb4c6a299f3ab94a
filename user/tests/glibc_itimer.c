/* setitimer/getitimer (ITIMER_REAL) and alarm: periodic SIGALRM, disarming, what is left of
 * a timer, argument errors. Exits with the number of failures. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static volatile int alarms, vtalarms, profs;
static void on_alarm(int sig) { alarms += sig == SIGALRM; }
static void on_cpu_timer(int sig) {
    vtalarms += sig == SIGVTALRM;
    profs += sig == SIGPROF;
}

static long elapsed_ms(const struct timespec* since) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

static void sleep_ms(long ms) {
    struct timespec left = {ms / 1000, (ms % 1000) * 1000000};
    while (nanosleep(&left, &left) == -1 && errno == EINTR) {
    }
}

int main(void) {
    check_program = TEST_NAME("itimer");
    struct sigaction sa = {.sa_handler = on_alarm};
    CHECK(sigaction(SIGALRM, &sa, NULL) == 0);

    struct itimerval every = {{0, 20000}, {0, 30000}}, off = {{0, 0}, {0, 0}}, now;
    CHECK(setitimer(ITIMER_REAL, &every, NULL) == 0);
    CHECK(getitimer(ITIMER_REAL, &now) == 0 && now.it_interval.tv_usec == 20000 && now.it_value.tv_usec > 0);
    sleep_ms(150);
    CHECK(alarms >= 3);
    CHECK(setitimer(ITIMER_REAL, &off, &now) == 0 && now.it_interval.tv_usec == 20000);
    int seen = alarms;
    sleep_ms(60);
    CHECK(alarms == seen);
    CHECK(getitimer(ITIMER_REAL, &now) == 0 && now.it_value.tv_sec == 0 && now.it_value.tv_usec == 0);

    CHECK(alarm(5) == 0);
    CHECK(alarm(0) >= 4);  /* what was left, rounded */

    /* The CPU-time timers: ITIMER_VIRTUAL counts user time only, so sleeping does not bring it
     * closer; spinning does. ITIMER_PROF with an interval fires again and again. */
    struct sigaction cpu = {.sa_handler = on_cpu_timer};
    CHECK(sigaction(SIGVTALRM, &cpu, NULL) == 0 && sigaction(SIGPROF, &cpu, NULL) == 0);
    struct itimerval once = {{0, 0}, {0, 40000}};
    CHECK(setitimer(ITIMER_VIRTUAL, &once, NULL) == 0);
    sleep_ms(100);
    CHECK(vtalarms == 0);
    CHECK(getitimer(ITIMER_VIRTUAL, &now) == 0 && now.it_value.tv_usec > 20000 && now.it_value.tv_usec <= 40000);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (vtalarms == 0 && elapsed_ms(&start) < 5000) {
    }
    CHECK(vtalarms == 1 && elapsed_ms(&start) >= 30);
    CHECK(getitimer(ITIMER_VIRTUAL, &now) == 0 && now.it_value.tv_sec == 0 && now.it_value.tv_usec == 0);
    struct itimerval prof = {{0, 10000}, {0, 10000}};
    CHECK(setitimer(ITIMER_PROF, &prof, NULL) == 0);
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (profs < 3 && elapsed_ms(&start) < 5000) {
    }
    CHECK(profs >= 3);
    CHECK(setitimer(ITIMER_PROF, &off, &now) == 0 && now.it_interval.tv_usec == 10000);
    seen = profs;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (elapsed_ms(&start) < 50) {
    }
    CHECK(profs == seen);

    struct itimerval bad = {{0, 0}, {0, 2000000}};
    CHECK(setitimer(ITIMER_REAL, &bad, NULL) == -1 && errno == EINVAL);
    CHECK(setitimer(7, &every, NULL) == -1 && errno == EINVAL);
    CHECK(getitimer(ITIMER_REAL, (struct itimerval*)0x10) == -1 && errno == EFAULT);
    return finish();
}
