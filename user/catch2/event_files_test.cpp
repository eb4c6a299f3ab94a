// eventfd, timerfd and signalfd: their counters, expirations and signal records, their flags
// and errors, blocking and non-blocking reads, and their readiness through poll and epoll.
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <thread>

#include "catch2/catch.hpp"

namespace {

struct Fd {
    int fd;
    explicit Fd(int f) : fd(f) { REQUIRE(fd >= 0); }
    ~Fd() { close(fd); }
};

uint64_t read_u64(int fd) {
    uint64_t v = 0;
    REQUIRE(read(fd, &v, sizeof v) == sizeof v);
    return v;
}

long elapsed_ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count();
}

itimerspec after_ms(long value, long interval = 0) {
    itimerspec its{};
    its.it_value = {value / 1000, (value % 1000) * 1000000};
    its.it_interval = {interval / 1000, (interval % 1000) * 1000000};
    return its;
}

short poll_one(int fd, short events) {
    pollfd p = {fd, events, 0};
    REQUIRE(poll(&p, 1, 0) >= 0);
    return p.revents;
}

// Blocks `sigs` for the scope (signalfd reads blocked signals).
struct Blocked {
    sigset_t old;
    explicit Blocked(std::initializer_list<int> sigs) {
        sigset_t set;
        sigemptyset(&set);
        for (int s : sigs) sigaddset(&set, s);
        REQUIRE(sigprocmask(SIG_BLOCK, &set, &old) == 0);
    }
    ~Blocked() {
        // Nothing the test left pending may run its default action once unblocked.
        sigset_t pending;
        sigpending(&pending);
        for (int s = 1; s < 32; s++)
            if (sigismember(&pending, s)) {
                signal(s, SIG_IGN);
                signal(s, SIG_DFL);
            }
        sigprocmask(SIG_SETMASK, &old, nullptr);
    }
};

}  // namespace

TEST_CASE("eventfd: a counter") {
    Fd e(eventfd(3, EFD_NONBLOCK));
    CHECK(read_u64(e.fd) == 3);
    uint64_t v = 0;
    CHECK(read(e.fd, &v, sizeof v) == -1);
    CHECK(errno == EAGAIN);
    v = 5;
    CHECK(write(e.fd, &v, sizeof v) == 8);
    v = 7;
    CHECK(write(e.fd, &v, sizeof v) == 8);
    char big[16];
    CHECK(read(e.fd, big, sizeof big) == 8);  // always 8 bytes
    CHECK(*reinterpret_cast<uint64_t*>(big) == 12);
    struct stat st {};
    CHECK(fstat(e.fd, &st) == 0);
    CHECK((fcntl(e.fd, F_GETFL) & O_NONBLOCK) != 0);
    CHECK(fcntl(e.fd, F_GETFD) == 0);

    SECTION("semaphore mode takes one at a time") {
        Fd s(eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC));
        CHECK(fcntl(s.fd, F_GETFD) == FD_CLOEXEC);
        CHECK(read_u64(s.fd) == 1);
        CHECK(read_u64(s.fd) == 1);
        CHECK(read(s.fd, &v, sizeof v) == -1);
        CHECK(errno == EAGAIN);
    }
    SECTION("the counter stops short of 2^64 - 1") {
        CHECK(poll_one(e.fd, POLLIN | POLLOUT) == POLLOUT);
        v = UINT64_MAX;
        CHECK(write(e.fd, &v, sizeof v) == -1);
        CHECK(errno == EINVAL);
        v = UINT64_MAX - 1;
        CHECK(write(e.fd, &v, sizeof v) == 8);
        CHECK(poll_one(e.fd, POLLIN | POLLOUT) == POLLIN);
        v = 1;
        CHECK(write(e.fd, &v, sizeof v) == -1);
        CHECK(errno == EAGAIN);
        CHECK(read_u64(e.fd) == UINT64_MAX - 1);
        CHECK(write(e.fd, &v, sizeof v) == 8);
    }
    SECTION("hostile arguments") {
        CHECK(eventfd(0, 0x40) == -1);
        CHECK(errno == EINVAL);
        uint32_t small = 1;
        CHECK(write(e.fd, &small, sizeof small) == -1);
        CHECK(errno == EINVAL);
        CHECK(read(e.fd, &small, sizeof small) == -1);
        CHECK(errno == EINVAL);
        void* volatile bad = reinterpret_cast<void*>(16);
        CHECK(write(e.fd, bad, 8) == -1);
        CHECK(errno == EFAULT);
    }
    SECTION("a blocked read wakes on a write from another thread") {
        Fd b(eventfd(0, 0));
        std::thread writer([&] {
            usleep(20 * 1000);
            uint64_t one = 1;
            (void)write(b.fd, &one, sizeof one);
        });
        CHECK(read_u64(b.fd) == 1);
        writer.join();
    }
    SECTION("epoll sees it") {
        Fd ep(epoll_create1(0));
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLET;
        ev.data.u64 = 42;
        REQUIRE(epoll_ctl(ep.fd, EPOLL_CTL_ADD, e.fd, &ev) == 0);
        CHECK(epoll_wait(ep.fd, &ev, 1, 0) == 0);
        v = 1;
        REQUIRE(write(e.fd, &v, sizeof v) == 8);
        CHECK(epoll_wait(ep.fd, &ev, 1, 0) == 1);
        CHECK(ev.data.u64 == 42);
    }
}

// A blocking write of more than 8 bytes adds its first 8 once and answers 8, as on Linux; the
// kernel once went on writing (a write to a pipe goes on until all of it is written).
TEST_CASE("eventfd: a blocking write of 16 bytes adds one value") {
    Fd e(eventfd(0, 0));
    uint64_t two[2] = {5, 7};
    CHECK(write(e.fd, two, sizeof two) == 8);
    CHECK(read_u64(e.fd) == 5);
}

TEST_CASE("timerfd: expirations, intervals, absolute times") {
    Fd t(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
    uint64_t v;
    CHECK(read(t.fd, &v, sizeof v) == -1);
    CHECK(errno == EAGAIN);
    itimerspec now{};
    CHECK(timerfd_gettime(t.fd, &now) == 0);
    CHECK((now.it_value.tv_sec == 0 && now.it_value.tv_nsec == 0));

    SECTION("one expiry, read blocking") {
        Fd b(timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC));
        CHECK(fcntl(b.fd, F_GETFD) == FD_CLOEXEC);
        itimerspec its = after_ms(30);
        REQUIRE(timerfd_settime(b.fd, 0, &its, nullptr) == 0);
        CHECK(poll_one(b.fd, POLLIN) == 0);
        auto start = std::chrono::steady_clock::now();
        CHECK(read_u64(b.fd) == 1);
        CHECK(elapsed_ms(start) >= 20);
        CHECK(timerfd_gettime(b.fd, &now) == 0);
        CHECK((now.it_value.tv_sec == 0 && now.it_value.tv_nsec == 0));  // spent
    }
    SECTION("an interval counts every expiry") {
        itimerspec its = after_ms(10, 10);
        REQUIRE(timerfd_settime(t.fd, 0, &its, nullptr) == 0);
        usleep(65 * 1000);
        uint64_t n = read_u64(t.fd);
        CHECK(n >= 4);
        CHECK(n <= 7);
        CHECK(timerfd_gettime(t.fd, &now) == 0);
        CHECK(now.it_interval.tv_nsec == 10 * 1000 * 1000);
        CHECK(now.it_value.tv_nsec <= 10 * 1000 * 1000);
        // Disarming answers the old setting and forgets what was not read.
        itimerspec zero{}, old{};
        usleep(25 * 1000);
        REQUIRE(timerfd_settime(t.fd, 0, &zero, &old) == 0);
        CHECK(old.it_interval.tv_nsec == 10 * 1000 * 1000);
        CHECK(read(t.fd, &v, sizeof v) == -1);
        CHECK(errno == EAGAIN);
    }
    SECTION("gettime counts down") {
        itimerspec its = after_ms(1000, 500), old{};
        REQUIRE(timerfd_settime(t.fd, 0, &its, &old) == 0);
        CHECK((old.it_value.tv_sec == 0 && old.it_value.tv_nsec == 0));
        CHECK(timerfd_gettime(t.fd, &now) == 0);
        CHECK(now.it_value.tv_sec == 0);
        CHECK(now.it_value.tv_nsec > 800 * 1000 * 1000);
        CHECK(now.it_interval.tv_nsec == 500 * 1000 * 1000);
    }
    SECTION("absolute times, past ones expire at once") {
        itimerspec its{};
        its.it_value = {0, 1};  // just after boot
        REQUIRE(timerfd_settime(t.fd, TFD_TIMER_ABSTIME, &its, nullptr) == 0);
        pollfd p = {t.fd, POLLIN, 0};
        CHECK(poll(&p, 1, 1000) == 1);
        CHECK(read_u64(t.fd) == 1);
        Fd rt(timerfd_create(CLOCK_REALTIME, 0));
        auto start = std::chrono::steady_clock::now();
        timespec wall;
        clock_gettime(CLOCK_REALTIME, &wall);
        its.it_value = {wall.tv_sec, wall.tv_nsec + 30 * 1000 * 1000};
        if (its.it_value.tv_nsec >= 1000000000) its.it_value.tv_sec++, its.it_value.tv_nsec -= 1000000000;
        REQUIRE(timerfd_settime(rt.fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, nullptr) == 0);
        CHECK(read_u64(rt.fd) == 1);
        CHECK(elapsed_ms(start) >= 25);
    }
    SECTION("epoll sees an expiry; closing an armed timer is fine") {
        Fd ep(epoll_create1(0));
        epoll_event ev{};
        ev.events = EPOLLIN;
        REQUIRE(epoll_ctl(ep.fd, EPOLL_CTL_ADD, t.fd, &ev) == 0);
        itimerspec its = after_ms(20, 5);
        REQUIRE(timerfd_settime(t.fd, 0, &its, nullptr) == 0);
        CHECK(epoll_wait(ep.fd, &ev, 1, 2000) == 1);
        int armed = timerfd_create(CLOCK_MONOTONIC, 0);
        REQUIRE(timerfd_settime(armed, 0, &its, nullptr) == 0);
        close(armed);
        usleep(30 * 1000);
    }
    SECTION("hostile arguments") {
        CHECK(timerfd_create(12345, 0) == -1);
        CHECK(errno == EINVAL);
        CHECK(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0) == -1);
        CHECK(errno == EINVAL);
        CHECK(timerfd_create(CLOCK_MONOTONIC, 0x10) == -1);
        CHECK(errno == EINVAL);
        itimerspec its = after_ms(10);
        CHECK(timerfd_settime(t.fd, 0x10, &its, nullptr) == -1);
        CHECK(errno == EINVAL);
        its.it_value.tv_nsec = 1000000000;
        CHECK(timerfd_settime(t.fd, 0, &its, nullptr) == -1);
        CHECK(errno == EINVAL);
        its = after_ms(10);
        its.it_interval.tv_sec = -1;
        CHECK(timerfd_settime(t.fd, 0, &its, nullptr) == -1);
        CHECK(errno == EINVAL);
        its = after_ms(10);
        CHECK(timerfd_settime(9999, 0, &its, nullptr) == -1);
        CHECK(errno == EBADF);
        Fd e(eventfd(0, 0));
        CHECK(timerfd_settime(e.fd, 0, &its, nullptr) == -1);
        CHECK(errno == EINVAL);
        CHECK(timerfd_gettime(e.fd, &now) == -1);
        CHECK(errno == EINVAL);
        void* volatile bad = reinterpret_cast<void*>(16);
        CHECK(timerfd_settime(t.fd, 0, static_cast<itimerspec*>(bad), nullptr) == -1);
        CHECK(errno == EFAULT);
        CHECK(timerfd_gettime(t.fd, static_cast<itimerspec*>(bad)) == -1);
        CHECK(errno == EFAULT);
        uint32_t small;
        CHECK(read(t.fd, &small, sizeof small) == -1);
        CHECK(errno == EINVAL);
    }
}

TEST_CASE("signalfd: pending signals as records") {
    Blocked blocked({SIGUSR1, SIGUSR2});
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    Fd s(signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC));
    CHECK(fcntl(s.fd, F_GETFD) == FD_CLOEXEC);
    signalfd_siginfo info[2]{};
    CHECK(read(s.fd, info, sizeof info) == -1);
    CHECK(errno == EAGAIN);
    CHECK(poll_one(s.fd, POLLIN) == 0);

    REQUIRE(raise(SIGUSR1) == 0);
    CHECK(poll_one(s.fd, POLLIN) == POLLIN);
    CHECK(read(s.fd, info, sizeof info) == sizeof info[0]);
    CHECK(info[0].ssi_signo == SIGUSR1);
    CHECK(info[0].ssi_code == SI_TKILL);
    CHECK(info[0].ssi_pid == static_cast<uint32_t>(getpid()));
    CHECK(poll_one(s.fd, POLLIN) == 0);
    sigset_t pending;
    sigpending(&pending);
    CHECK(sigismember(&pending, SIGUSR1) == 0);  // taken, not delivered

    SECTION("a signal outside the set stays pending; the set can change") {
        REQUIRE(kill(getpid(), SIGUSR2) == 0);
        CHECK(read(s.fd, info, sizeof info) == -1);
        CHECK(errno == EAGAIN);
        sigaddset(&mask, SIGUSR2);
        CHECK(signalfd(s.fd, &mask, 0) == s.fd);
        REQUIRE(raise(SIGUSR1) == 0);
        CHECK(read(s.fd, info, sizeof info) == 2 * sizeof info[0]);
        CHECK(info[0].ssi_signo == SIGUSR1);
        CHECK(info[1].ssi_signo == SIGUSR2);
        CHECK(info[1].ssi_code == SI_USER);
    }
    SECTION("a blocking read waits for the signal") {
        Fd b(signalfd(-1, &mask, 0));
        pthread_t self = pthread_self();
        std::thread sender([self] {
            usleep(20 * 1000);
            pthread_kill(self, SIGUSR1);
        });
        CHECK(read(b.fd, info, sizeof info[0]) == sizeof info[0]);
        CHECK(info[0].ssi_signo == SIGUSR1);
        sender.join();
    }
    SECTION("epoll sees it") {
        Fd ep(epoll_create1(0));
        epoll_event ev{};
        ev.events = EPOLLIN;
        REQUIRE(epoll_ctl(ep.fd, EPOLL_CTL_ADD, s.fd, &ev) == 0);
        CHECK(epoll_wait(ep.fd, &ev, 1, 0) == 0);
        REQUIRE(raise(SIGUSR1) == 0);
        CHECK(epoll_wait(ep.fd, &ev, 1, 1000) == 1);
        CHECK(read(s.fd, info, sizeof info) == sizeof info[0]);
    }
    SECTION("hostile arguments") {
        CHECK(read(s.fd, info, sizeof info[0] - 1) == -1);
        CHECK(errno == EINVAL);
        CHECK(signalfd(-1, &mask, 0x4) == -1);
        CHECK(errno == EINVAL);
        CHECK(syscall(SYS_signalfd4, -1, &mask, 4, 0) == -1);
        CHECK(errno == EINVAL);
        void* volatile bad = reinterpret_cast<void*>(16);
        CHECK(syscall(SYS_signalfd4, -1, bad, 8, 0) == -1);
        CHECK(errno == EFAULT);
        Fd e(eventfd(0, 0));
        CHECK(signalfd(e.fd, &mask, 0) == -1);
        CHECK(errno == EINVAL);
        CHECK(signalfd(9999, &mask, 0) == -1);
        CHECK(errno == EBADF);
        // SIGKILL and SIGSTOP in the set are dropped, not an error.
        sigset_t all;
        sigfillset(&all);
        Fd f(signalfd(-1, &all, SFD_NONBLOCK));
        REQUIRE(raise(SIGUSR1) == 0);
        CHECK(read(f.fd, static_cast<signalfd_siginfo*>(bad), sizeof info[0]) == -1);
        CHECK(errno == EFAULT);
    }
}
