// poll and ppoll (and select and pselect, which glibc builds on pselect6): readiness of pipes,
// POLLNVAL and POLLHUP, timeouts and the time left, signals and temporary masks, many
// descriptors, and hostile input (bad pointers, huge counts, a descriptor closed under a
// waiting poll, a writer that dies).
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <thread>
#include <vector>

#include "catch2/catch.hpp"
#include "fork_child.hpp"
#include "test_pipe.hpp"

namespace {

long elapsed_ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count();
}

std::atomic<int> handled{0};
void on_usr1(int) { handled++; }

// Installs `handler` for `sig` (flags as given) for the scope.
struct Handler {
    int sig;
    struct sigaction old {};
    Handler(int s, void (*handler)(int), int flags = 0) : sig(s) {
        struct sigaction sa {};
        sa.sa_handler = handler;
        sa.sa_flags = flags;
        REQUIRE(sigaction(sig, &sa, &old) == 0);
    }
    ~Handler() { sigaction(sig, &old, nullptr); }
};

// Sends `sig` to the calling thread after `ms` milliseconds, from another thread.
std::thread signal_later(int sig, int ms) {
    pthread_t target = pthread_self();
    return std::thread([target, sig, ms] {
        usleep(ms * 1000);
        pthread_kill(target, sig);
    });
}

}  // namespace

TEST_CASE("poll reports pipe readiness") {
    TestPipe p;
    pollfd fds[2] = {{p.r(), POLLIN, 0}, {p.w(), POLLOUT, 0}};
    CHECK(poll(fds, 2, 0) == 1);
    CHECK(fds[0].revents == 0);
    CHECK(fds[1].revents == POLLOUT);
    REQUIRE(write(p.w(), "x", 1) == 1);
    fds[0].events = POLLIN | POLLRDNORM;
    CHECK(poll(fds, 2, 0) == 2);
    CHECK(fds[0].revents == (POLLIN | POLLRDNORM));

    SECTION("a closed writer is POLLHUP, whatever was asked") {
        close(p.fds[1]), p.fds[1] = -1;
        char c;
        REQUIRE(read(p.r(), &c, 1) == 1);
        pollfd hup = {p.r(), 0, 0};
        CHECK(poll(&hup, 1, 0) == 1);
        CHECK(hup.revents == POLLHUP);
    }
    SECTION("a closed reader is POLLERR") {
        close(p.fds[0]), p.fds[0] = -1;
        pollfd err = {p.w(), POLLOUT, 0};
        CHECK(poll(&err, 1, 0) == 1);
        CHECK((err.revents & POLLERR) != 0);
    }
    SECTION("a full pipe is not POLLOUT until a page is read") {
        REQUIRE(fcntl(p.w(), F_SETFL, O_NONBLOCK) == 0);
        char buf[4096] = {};
        while (write(p.w(), buf, sizeof buf) > 0) {
        }
        pollfd out = {p.w(), POLLOUT, 0};
        CHECK(poll(&out, 1, 0) == 0);
        REQUIRE(read(p.r(), buf, sizeof buf) == sizeof buf);
        CHECK(poll(&out, 1, 0) == 1);
        CHECK(out.revents == POLLOUT);
    }
    SECTION("bad descriptors are POLLNVAL, negative ones are skipped, duplicates count twice") {
        pollfd many[4] = {{9999, POLLIN, 0}, {-1, POLLIN, 77}, {p.r(), POLLIN, 0}, {p.r(), POLLIN, 0}};
        CHECK(poll(many, 4, 0) == 3);
        CHECK(many[0].revents == POLLNVAL);
        CHECK(many[1].revents == 0);
        CHECK(many[2].revents == POLLIN);
        CHECK(many[3].revents == POLLIN);
    }
}

TEST_CASE("poll waits: timeouts, wakes from other threads and processes") {
    TestPipe p;
    pollfd fd = {p.r(), POLLIN, 0};
    SECTION("a timeout with nothing ready answers 0 after the time") {
        auto start = std::chrono::steady_clock::now();
        CHECK(poll(&fd, 1, 50) == 0);
        CHECK(elapsed_ms(start) >= 50);
        CHECK(fd.revents == 0);
    }
    SECTION("a write from another thread ends an endless wait") {
        std::thread writer([&] {
            usleep(20 * 1000);
            (void)write(p.w(), "w", 1);
        });
        CHECK(poll(&fd, 1, -1) == 1);
        CHECK(fd.revents == POLLIN);
        writer.join();
    }
    SECTION("a writer process that dies is POLLHUP") {
        int w = p.w();
        pid_t child = start_child([w] {
            (void)w;
            usleep(20 * 1000);
            return 0;
        });
        close(p.fds[1]), p.fds[1] = -1;
        CHECK(poll(&fd, 1, 5000) == 1);
        CHECK(fd.revents == POLLHUP);
        CHECK(exited_with(wait_child(child), 0));
    }
    SECTION("a descriptor closed under a poll is POLLNVAL at its next look") {
        int r = dup(p.r());
        REQUIRE(r >= 0);
        std::atomic<int> result{-2};
        pollfd mine = {r, POLLIN, 0};
        std::thread poller([&] { result = poll(&mine, 1, 5000); });
        usleep(20 * 1000);
        close(r);  // the poll still watches the open file, but looks the descriptor up again
        usleep(10 * 1000);
        CHECK(result == -2);
        REQUIRE(write(p.w(), "c", 1) == 1);
        poller.join();
        CHECK(result == 1);
        CHECK(mine.revents == POLLNVAL);
    }
    SECTION("one ready pipe among many") {
        std::vector<TestPipe> pipes(200);
        std::vector<pollfd> all;
        for (auto& q : pipes) all.push_back({q.r(), POLLIN, 0});
        std::thread writer([&] {
            usleep(20 * 1000);
            (void)write(pipes[137].w(), "m", 1);
        });
        CHECK(poll(all.data(), all.size(), 5000) == 1);
        writer.join();
        for (size_t i = 0; i < all.size(); i++) CHECK(all[i].revents == (i == 137 ? POLLIN : 0));
    }
}

TEST_CASE("poll and ppoll reject hostile arguments") {
    TestPipe p;
    pollfd fd = {p.r(), POLLIN, 0};
    void* volatile bad = reinterpret_cast<void*>(16);
    CHECK(poll(static_cast<pollfd*>(bad), 1, 0) == -1);
    CHECK(errno == EFAULT);
    CHECK(poll(reinterpret_cast<pollfd*>(~0UL - 4), 1, 0) == -1);
    CHECK(errno == EFAULT);
    rlimit nofile{};
    REQUIRE(getrlimit(RLIMIT_NOFILE, &nofile) == 0);
    CHECK(poll(&fd, nofile.rlim_cur + 1, 0) == -1);
    CHECK(errno == EINVAL);
    CHECK(syscall(SYS_ppoll, &fd, ~0UL, nullptr, nullptr, 8) == -1);
    CHECK(errno == EINVAL);
    CHECK(poll(nullptr, 0, 10) == 0);  // nothing to wait for: a plain sleep
    timespec bad_ts = {0, 2000000000};
    CHECK(ppoll(&fd, 1, &bad_ts, nullptr) == -1);
    CHECK(errno == EINVAL);
    bad_ts = {-1, 0};
    CHECK(ppoll(&fd, 1, &bad_ts, nullptr) == -1);
    CHECK(errno == EINVAL);
    CHECK(syscall(SYS_ppoll, &fd, 1, bad, nullptr, 8) == -1);
    CHECK(errno == EFAULT);
    sigset_t set;
    sigemptyset(&set);
    timespec zero = {0, 0};
    CHECK(syscall(SYS_ppoll, &fd, 1, &zero, &set, 4) == -1);
    CHECK(errno == EINVAL);
    CHECK(syscall(SYS_ppoll, &fd, 1, &zero, bad, 8) == -1);
    CHECK(errno == EFAULT);
}

TEST_CASE("signals end poll and ppoll with EINTR") {
    TestPipe p;
    pollfd fd = {p.r(), POLLIN, 0};
    SECTION("a handler makes poll fail with EINTR, even under SA_RESTART") {
        Handler h(SIGUSR1, on_usr1, SA_RESTART);
        handled = 0;
        std::thread sender = signal_later(SIGUSR1, 20);
        CHECK(poll(&fd, 1, 5000) == -1);
        CHECK(errno == EINTR);
        CHECK(handled == 1);
        sender.join();
    }
    SECTION("ppoll's mask lets a blocked pending signal through, then comes back") {
        Handler h(SIGUSR1, on_usr1);
        handled = 0;
        sigset_t block, old, during;
        sigemptyset(&block);
        sigaddset(&block, SIGUSR1);
        REQUIRE(sigprocmask(SIG_BLOCK, &block, &old) == 0);
        REQUIRE(raise(SIGUSR1) == 0);
        CHECK(handled == 0);
        sigemptyset(&during);
        timespec ts = {5, 0};
        CHECK(ppoll(&fd, 1, &ts, &during) == -1);
        CHECK(errno == EINTR);
        CHECK(handled == 1);
        sigset_t now;
        REQUIRE(sigprocmask(SIG_SETMASK, nullptr, &now) == 0);
        CHECK(sigismember(&now, SIGUSR1) == 1);
        REQUIRE(sigprocmask(SIG_SETMASK, &old, nullptr) == 0);
    }
    SECTION("a ready descriptor wins over a pending signal, and the mask comes back at once") {
        Handler h(SIGUSR1, on_usr1);
        handled = 0;
        REQUIRE(write(p.w(), "r", 1) == 1);
        sigset_t block, old, during;
        sigemptyset(&block);
        sigaddset(&block, SIGUSR1);
        REQUIRE(sigprocmask(SIG_BLOCK, &block, &old) == 0);
        REQUIRE(raise(SIGUSR1) == 0);
        sigemptyset(&during);
        CHECK(ppoll(&fd, 1, nullptr, &during) == 1);
        CHECK(handled == 0);  // still blocked and pending
        REQUIRE(sigprocmask(SIG_SETMASK, &old, nullptr) == 0);
        CHECK(handled == 1);
    }
    SECTION("the raw ppoll writes the time left back") {
        std::thread writer([&] {
            usleep(30 * 1000);
            (void)write(p.w(), "t", 1);
        });
        timespec ts = {10, 0};
        CHECK(syscall(SYS_ppoll, &fd, 1, &ts, nullptr, 8) == 1);
        CHECK(ts.tv_sec < 10);
        CHECK(ts.tv_sec >= 8);
        writer.join();
    }
}

TEST_CASE("select and pselect") {
    TestPipe p;
    fd_set rd, wr, ex;
    auto reset = [&] {
        FD_ZERO(&rd);
        FD_ZERO(&wr);
        FD_ZERO(&ex);
        FD_SET(p.r(), &rd);
        FD_SET(p.w(), &wr);
        FD_SET(p.r(), &ex);
    };
    int nfds = (p.r() > p.w() ? p.r() : p.w()) + 1;
    timeval zero = {0, 0};
    reset();
    CHECK(select(nfds, &rd, &wr, &ex, &zero) == 1);
    CHECK(!FD_ISSET(p.r(), &rd));
    CHECK(FD_ISSET(p.w(), &wr));
    CHECK(!FD_ISSET(p.r(), &ex));
    REQUIRE(write(p.w(), "x", 1) == 1);
    reset();
    CHECK(select(nfds, &rd, &wr, &ex, &zero) == 2);
    CHECK(FD_ISSET(p.r(), &rd));

    SECTION("a timeout, and the time left written back") {
        auto start = std::chrono::steady_clock::now();
        timeval tv = {0, 50 * 1000};
        CHECK(select(0, nullptr, nullptr, nullptr, &tv) == 0);
        CHECK(elapsed_ms(start) >= 50);
        char c;
        REQUIRE(read(p.r(), &c, 1) == 1);
        std::thread writer([&] {
            usleep(30 * 1000);
            (void)write(p.w(), "t", 1);
        });
        FD_ZERO(&rd);
        FD_SET(p.r(), &rd);
        tv = {10, 0};
        CHECK(select(nfds, &rd, nullptr, nullptr, &tv) == 1);
        CHECK(tv.tv_sec < 10);
        CHECK(tv.tv_sec >= 8);
        writer.join();
    }
    SECTION("hostile arguments") {
        fd_set bad_set;
        FD_ZERO(&bad_set);
        FD_SET(50, &bad_set);  // not open
        CHECK(select(51, &bad_set, nullptr, nullptr, &zero) == -1);
        CHECK(errno == EBADF);
        CHECK(select(-1, nullptr, nullptr, nullptr, &zero) == -1);
        CHECK(errno == EINVAL);
        reset();
        CHECK(select(INT32_MAX, &rd, nullptr, nullptr, &zero) == 1);  // as far as the table goes
        void* volatile bad = reinterpret_cast<void*>(16);
        CHECK(select(nfds, static_cast<fd_set*>(bad), nullptr, nullptr, &zero) == -1);
        CHECK(errno == EFAULT);
        timespec bad_ts = {0, 2000000000};
        CHECK(pselect(nfds, &rd, nullptr, nullptr, &bad_ts, nullptr) == -1);
        CHECK(errno == EINVAL);
    }
    SECTION("a handler ends select with EINTR; pselect's mask lets a pending signal through") {
        char c;
        REQUIRE(read(p.r(), &c, 1) == 1);
        Handler h(SIGUSR1, on_usr1, SA_RESTART);
        handled = 0;
        std::thread sender = signal_later(SIGUSR1, 20);
        FD_ZERO(&rd);
        FD_SET(p.r(), &rd);
        CHECK(select(nfds, &rd, nullptr, nullptr, nullptr) == -1);
        CHECK(errno == EINTR);
        CHECK(handled == 1);
        sender.join();

        sigset_t block, old, during;
        sigemptyset(&block);
        sigaddset(&block, SIGUSR1);
        REQUIRE(sigprocmask(SIG_BLOCK, &block, &old) == 0);
        REQUIRE(raise(SIGUSR1) == 0);
        sigemptyset(&during);
        FD_ZERO(&rd);
        FD_SET(p.r(), &rd);
        timespec ts = {5, 0};
        CHECK(pselect(nfds, &rd, nullptr, nullptr, &ts, &during) == -1);
        CHECK(errno == EINTR);
        CHECK(handled == 2);
        REQUIRE(sigprocmask(SIG_SETMASK, &old, nullptr) == 0);
    }
}
