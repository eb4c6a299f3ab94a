// epoll as Linux defines it: epoll_ctl's errors, level- and edge-triggered events, one-shot
// registrations, nesting and its limits, registrations that go with their file's last
// reference, waits with timeouts, signals and masks, and hostile use (bad pointers and
// descriptors, an instance or a descriptor closed under a waiting thread, a writer that dies).
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "catch2/catch.hpp"
#include "fork_child.hpp"
#include "test_pipe.hpp"

namespace {

struct Fd {
    int fd;
    explicit Fd(int f) : fd(f) { REQUIRE(fd >= 0); }
    ~Fd() { close(fd); }
};

int add(int ep, int fd, uint32_t events, uint64_t data) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}
int modify(int ep, int fd, uint32_t events, uint64_t data) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

long elapsed_ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count();
}

std::atomic<int> handled{0};
void on_usr1(int) { handled++; }

}  // namespace

TEST_CASE("epoll_create1 and epoll_ctl's errors") {
    Fd ep(epoll_create1(0));
    TestPipe p;
    CHECK(fcntl(ep.fd, F_GETFD) == 0);
    {
        Fd closing(epoll_create1(EPOLL_CLOEXEC));
        CHECK(fcntl(closing.fd, F_GETFD) == FD_CLOEXEC);
    }
    CHECK(epoll_create1(1) == -1);
    CHECK(errno == EINVAL);
    CHECK(epoll_create1(O_NONBLOCK) == -1);
    CHECK(errno == EINVAL);

    CHECK(add(ep.fd, 9999, EPOLLIN, 0) == -1);
    CHECK(errno == EBADF);
    CHECK(add(9999, p.r(), EPOLLIN, 0) == -1);
    CHECK(errno == EBADF);
    CHECK(add(p.w(), p.r(), EPOLLIN, 0) == -1);  // not an epoll instance
    CHECK(errno == EINVAL);
    CHECK(add(ep.fd, ep.fd, EPOLLIN, 0) == -1);  // itself
    CHECK(errno == EINVAL);
    {
        Fd file(open("/bin/runtests", O_RDONLY));
        CHECK(add(ep.fd, file.fd, EPOLLIN, 0) == -1);  // a regular file cannot be polled
        CHECK(errno == EPERM);
    }
    CHECK(add(ep.fd, p.r(), EPOLLIN, 1) == 0);
    CHECK(add(ep.fd, p.r(), EPOLLIN, 1) == -1);
    CHECK(errno == EEXIST);
    CHECK(modify(ep.fd, p.w(), EPOLLOUT, 2) == -1);
    CHECK(errno == ENOENT);
    CHECK(epoll_ctl(ep.fd, EPOLL_CTL_DEL, p.w(), nullptr) == -1);
    CHECK(errno == ENOENT);
    epoll_event ev{};
    CHECK(epoll_ctl(ep.fd, 99, p.w(), &ev) == -1);
    CHECK(errno == EINVAL);
    void* volatile bad = reinterpret_cast<void*>(16);
    CHECK(epoll_ctl(ep.fd, EPOLL_CTL_ADD, p.w(), static_cast<epoll_event*>(bad)) == -1);
    CHECK(errno == EFAULT);
    CHECK(epoll_ctl(ep.fd, EPOLL_CTL_DEL, p.r(), static_cast<epoll_event*>(bad)) == 0);  // DEL reads no event

    // EPOLLEXCLUSIVE: only on ADD, not with EPOLLONESHOT, not on an epoll instance.
    CHECK(add(ep.fd, p.r(), EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 0) == -1);
    CHECK(errno == EINVAL);
    {
        Fd inner(epoll_create1(0));
        CHECK(add(ep.fd, inner.fd, EPOLLIN | EPOLLEXCLUSIVE, 0) == -1);
        CHECK(errno == EINVAL);
    }
    CHECK(add(ep.fd, p.r(), EPOLLIN | EPOLLEXCLUSIVE, 0) == 0);
    CHECK(modify(ep.fd, p.r(), EPOLLIN, 0) == -1);
    CHECK(errno == EINVAL);
    CHECK(modify(ep.fd, p.r(), EPOLLIN | EPOLLEXCLUSIVE, 0) == -1);
    CHECK(errno == EINVAL);

    char c;
    CHECK(read(ep.fd, &c, 1) == -1);
    CHECK(errno == EINVAL);
    CHECK(write(ep.fd, &c, 1) == -1);
    CHECK(errno == EINVAL);
}

TEST_CASE("epoll_wait's errors") {
    Fd ep(epoll_create1(0));
    TestPipe p;
    epoll_event out[4];
    CHECK(epoll_wait(ep.fd, out, 0, 0) == -1);
    CHECK(errno == EINVAL);
    volatile int negative = -1, huge = INT32_MAX;  // volatile: the compiler would object
    CHECK(epoll_wait(ep.fd, out, negative, 0) == -1);
    CHECK(errno == EINVAL);
    CHECK(epoll_wait(ep.fd, out, huge, 0) == -1);
    CHECK(errno == EINVAL);
    CHECK(epoll_wait(p.r(), out, 4, 0) == -1);
    CHECK(errno == EINVAL);
    CHECK(epoll_wait(9999, out, 4, 0) == -1);
    CHECK(errno == EBADF);
    void* volatile bad = reinterpret_cast<void*>(16);
    CHECK(epoll_wait(ep.fd, reinterpret_cast<epoll_event*>(~0UL - 64), 4, 0) == -1);
    CHECK(errno == EFAULT);
    sigset_t set;
    sigemptyset(&set);
    CHECK(syscall(SYS_epoll_pwait, ep.fd, out, 4, 0, &set, 4) == -1);
    CHECK(errno == EINVAL);
    timespec ts = {0, -1};
    CHECK(syscall(SYS_epoll_pwait2, ep.fd, out, 4, &ts, nullptr, 8) == -1);
    CHECK(errno == EINVAL);
    CHECK(syscall(SYS_epoll_pwait2, ep.fd, out, 4, bad, nullptr, 8) == -1);
    CHECK(errno == EFAULT);

    SECTION("an event that cannot be copied out stays ready") {
        REQUIRE(add(ep.fd, p.r(), EPOLLIN, 5) == 0);
        REQUIRE(write(p.w(), "x", 1) == 1);
        // A page that is not mapped: the range is in user space but the copy faults.
        CHECK(epoll_wait(ep.fd, reinterpret_cast<epoll_event*>(0x1000), 1, 0) == -1);
        CHECK(errno == EFAULT);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 1);
        CHECK(out[0].data.u64 == 5);
    }
}

TEST_CASE("level-triggered, edge-triggered and one-shot registrations") {
    Fd ep(epoll_create1(0));
    TestPipe p;
    epoll_event out[4];
    SECTION("level-triggered: reported until drained") {
        REQUIRE(add(ep.fd, p.r(), EPOLLIN, 0x1234567890abcdefULL) == 0);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 0);
        REQUIRE(write(p.w(), "ab", 2) == 2);
        for (int i = 0; i < 3; i++) {
            CHECK(epoll_wait(ep.fd, out, 4, 0) == 1);
            CHECK(out[0].events == EPOLLIN);
            CHECK(out[0].data.u64 == 0x1234567890abcdefULL);
        }
        char buf[4];
        REQUIRE(read(p.r(), buf, sizeof buf) == 2);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 0);
    }
    SECTION("edge-triggered: once per change") {
        REQUIRE(add(ep.fd, p.r(), EPOLLIN | EPOLLET, 7) == 0);
        REQUIRE(write(p.w(), "a", 1) == 1);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 1);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 0);
        REQUIRE(write(p.w(), "b", 1) == 1);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 1);
        CHECK(out[0].data.u64 == 7);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 0);
    }
    SECTION("one-shot: silent after one report until EPOLL_CTL_MOD") {
        REQUIRE(add(ep.fd, p.r(), EPOLLIN | EPOLLONESHOT, 9) == 0);
        REQUIRE(write(p.w(), "a", 1) == 1);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 1);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 0);
        REQUIRE(write(p.w(), "b", 1) == 1);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 0);
        REQUIRE(modify(ep.fd, p.r(), EPOLLIN | EPOLLONESHOT, 10) == 0);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 1);
        CHECK(out[0].data.u64 == 10);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 0);
    }
    SECTION("both ends, and MOD changing what is asked for") {
        REQUIRE(add(ep.fd, p.r(), EPOLLIN, 1) == 0);
        REQUIRE(add(ep.fd, p.w(), EPOLLOUT, 2) == 0);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 1);
        CHECK(out[0].data.u64 == 2);
        CHECK(out[0].events == EPOLLOUT);
        REQUIRE(write(p.w(), "a", 1) == 1);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 2);
        CHECK(epoll_wait(ep.fd, out, 1, 0) == 1);  // maxevents is respected
        REQUIRE(modify(ep.fd, p.w(), 0, 2) == 0);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 1);
        CHECK(out[0].data.u64 == 1);
        REQUIRE(epoll_ctl(ep.fd, EPOLL_CTL_DEL, p.r(), nullptr) == 0);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 0);
    }
    SECTION("the writer's end is POLLHUP, the reader's POLLERR") {
        REQUIRE(add(ep.fd, p.r(), EPOLLIN, 1) == 0);
        close(p.fds[1]), p.fds[1] = -1;
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 1);
        CHECK(out[0].events == EPOLLHUP);
    }
}

TEST_CASE("registrations go with their file's last reference") {
    Fd ep(epoll_create1(0));
    TestPipe p;
    epoll_event out[4];
    SECTION("closing the only descriptor removes the registration") {
        int r = dup(p.r());
        REQUIRE(add(ep.fd, r, EPOLLIN, 3) == 0);
        close(r);  // p.r() is another reference to the same file: the registration stays
        REQUIRE(write(p.w(), "a", 1) == 1);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 1);
        CHECK(out[0].data.u64 == 3);
        CHECK(epoll_ctl(ep.fd, EPOLL_CTL_DEL, r, nullptr) == -1);  // the descriptor is gone
        CHECK(errno == EBADF);
        close(p.fds[0]), p.fds[0] = -1;  // the last reference: the registration goes
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 0);
    }
    SECTION("a registration is for a descriptor: a duplicate is another one") {
        int r2 = dup(p.r());
        REQUIRE(add(ep.fd, p.r(), EPOLLIN, 1) == 0);
        REQUIRE(add(ep.fd, r2, EPOLLIN, 2) == 0);
        REQUIRE(write(p.w(), "a", 1) == 1);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 2);
        CHECK(epoll_ctl(ep.fd, EPOLL_CTL_DEL, r2, nullptr) == 0);
        CHECK(epoll_wait(ep.fd, out, 4, 0) == 1);
        close(r2);
    }
    SECTION("an instance closed with registrations frees them; their files go on") {
        int ep2 = epoll_create1(0);
        REQUIRE(add(ep2, p.r(), EPOLLIN, 1) == 0);
        REQUIRE(add(ep2, p.w(), EPOLLOUT, 2) == 0);
        close(ep2);
        REQUIRE(write(p.w(), "a", 1) == 1);
        char c;
        CHECK(read(p.r(), &c, 1) == 1);
    }
    SECTION("a registration on a descriptor closed meanwhile is EBADF") {
        int r = dup(p.r());
        close(r);
        CHECK(add(ep.fd, r, EPOLLIN, 0) == -1);
        CHECK(errno == EBADF);
    }
}

TEST_CASE("nested instances, cycles and depth") {
    Fd outer(epoll_create1(0)), inner(epoll_create1(0));
    TestPipe p;
    REQUIRE(add(inner.fd, p.r(), EPOLLIN, 1) == 0);
    REQUIRE(add(outer.fd, inner.fd, EPOLLIN, 2) == 0);
    epoll_event out[4];
    CHECK(epoll_wait(outer.fd, out, 4, 0) == 0);
    pollfd pfd = {inner.fd, POLLIN, 0};
    CHECK(poll(&pfd, 1, 0) == 0);
    REQUIRE(write(p.w(), "a", 1) == 1);
    CHECK(poll(&pfd, 1, 0) == 1);
    CHECK(epoll_wait(outer.fd, out, 4, 0) == 1);
    CHECK(out[0].data.u64 == 2);
    CHECK(epoll_wait(inner.fd, out, 4, 0) == 1);
    CHECK(out[0].data.u64 == 1);

    // A cycle is ELOOP.
    CHECK(add(inner.fd, outer.fd, EPOLLIN, 3) == -1);
    CHECK(errno == ELOOP);

    // A chain of five instances is as deep as it goes.
    std::vector<int> chain;
    for (int i = 0; i < 6; i++) chain.push_back(epoll_create1(0));
    for (int i = 1; i < 5; i++) CHECK(add(chain[i - 1], chain[i], EPOLLIN, 0) == 0);
    CHECK(add(chain[4], chain[5], EPOLLIN, 0) == -1);
    CHECK(errno == ELOOP);
    CHECK(add(chain[5], chain[0], EPOLLIN, 0) == -1);
    CHECK(errno == ELOOP);
    for (int fd : chain) close(fd);
}

TEST_CASE("epoll waits: timeouts, other threads, many descriptors") {
    Fd ep(epoll_create1(0));
    TestPipe p;
    epoll_event out[8];
    REQUIRE(add(ep.fd, p.r(), EPOLLIN, 1) == 0);
    SECTION("a timeout with nothing ready answers 0 after the time") {
        auto start = std::chrono::steady_clock::now();
        CHECK(epoll_wait(ep.fd, out, 8, 50) == 0);
        CHECK(elapsed_ms(start) >= 50);
        timespec ts = {0, 30 * 1000 * 1000};
        start = std::chrono::steady_clock::now();
        CHECK(syscall(SYS_epoll_pwait2, ep.fd, out, 8, &ts, nullptr, 8) == 0);
        CHECK(elapsed_ms(start) >= 30);
    }
    SECTION("a write from another thread ends an endless wait") {
        std::thread writer([&] {
            usleep(20 * 1000);
            (void)write(p.w(), "w", 1);
        });
        CHECK(epoll_wait(ep.fd, out, 8, -1) == 1);
        writer.join();
    }
    SECTION("a writer process that dies is EPOLLHUP") {
        int w = p.w();
        pid_t child = start_child([w] {
            (void)w;
            usleep(20 * 1000);
            return 0;
        });
        close(p.fds[1]), p.fds[1] = -1;
        CHECK(epoll_wait(ep.fd, out, 8, 5000) == 1);
        CHECK(out[0].events == EPOLLHUP);
        CHECK(exited_with(wait_child(child), 0));
    }
    SECTION("the instance's descriptor closed under a waiting thread") {
        int dup_ep = dup(ep.fd);
        std::atomic<int> result{-2};
        epoll_event got[2];
        std::thread waiter([&] { result = epoll_wait(dup_ep, got, 2, 5000); });
        usleep(20 * 1000);
        close(dup_ep);  // the wait holds the instance: it goes on
        usleep(10 * 1000);
        CHECK(result == -2);
        REQUIRE(write(p.w(), "c", 1) == 1);
        waiter.join();
        CHECK(result == 1);
    }
    SECTION("one ready among hundreds") {
        std::vector<TestPipe> pipes(450);
        for (size_t i = 0; i < pipes.size(); i++) REQUIRE(add(ep.fd, pipes[i].r(), EPOLLIN, 100 + i) == 0);
        std::thread writer([&] {
            usleep(20 * 1000);
            (void)write(pipes[377].w(), "m", 1);
        });
        CHECK(epoll_wait(ep.fd, out, 8, 5000) == 1);
        CHECK(out[0].data.u64 == 477);
        writer.join();
        for (auto& q : pipes) REQUIRE(epoll_ctl(ep.fd, EPOLL_CTL_DEL, q.r(), nullptr) == 0);
    }
    SECTION("EPOLLEXCLUSIVE: a write wakes at least one of the instances") {
        Fd a(epoll_create1(0)), b(epoll_create1(0));
        REQUIRE(add(a.fd, p.r(), EPOLLIN | EPOLLEXCLUSIVE, 1) == 0);
        REQUIRE(add(b.fd, p.r(), EPOLLIN | EPOLLEXCLUSIVE, 2) == 0);
        std::atomic<int> woken{0};
        auto wait_on = [&](int fd) {
            epoll_event e;
            if (epoll_wait(fd, &e, 1, 300) == 1) woken++;
        };
        std::thread ta(wait_on, a.fd), tb(wait_on, b.fd);
        usleep(30 * 1000);
        REQUIRE(write(p.w(), "x", 1) == 1);
        ta.join();
        tb.join();
        CHECK(woken >= 1);
    }
}

TEST_CASE("signals end epoll waits with EINTR") {
    Fd ep(epoll_create1(0));
    TestPipe p;
    REQUIRE(add(ep.fd, p.r(), EPOLLIN, 1) == 0);
    epoll_event out[2];
    struct sigaction sa {}, old {};
    sa.sa_handler = on_usr1;
    SECTION("even under SA_RESTART") {
        sa.sa_flags = SA_RESTART;
        REQUIRE(sigaction(SIGUSR1, &sa, &old) == 0);
        handled = 0;
        pthread_t self = pthread_self();
        std::thread sender([self] {
            usleep(20 * 1000);
            pthread_kill(self, SIGUSR1);
        });
        CHECK(epoll_wait(ep.fd, out, 2, 5000) == -1);
        CHECK(errno == EINTR);
        CHECK(handled == 1);
        sender.join();
    }
    SECTION("epoll_pwait's mask lets a pending signal through, then comes back") {
        REQUIRE(sigaction(SIGUSR1, &sa, &old) == 0);
        handled = 0;
        sigset_t block, saved, during, now;
        sigemptyset(&block);
        sigaddset(&block, SIGUSR1);
        REQUIRE(sigprocmask(SIG_BLOCK, &block, &saved) == 0);
        REQUIRE(raise(SIGUSR1) == 0);
        sigemptyset(&during);
        CHECK(epoll_pwait(ep.fd, out, 2, 5000, &during) == -1);
        CHECK(errno == EINTR);
        CHECK(handled == 1);
        REQUIRE(sigprocmask(SIG_SETMASK, &saved, &now) == 0);
        CHECK(sigismember(&now, SIGUSR1) == 1);
    }
    sigaction(SIGUSR1, &old, nullptr);
}
