// The process ABI through C++ and Catch2 (static glibc, libstdc++): fork and wait statuses,
// std::thread with a mutex and a condition variable, pthread join, monotonic clocks, sigaction,
// the mmap family's errors, getrandom. Checks run on the main thread only: Catch2's assertions
// are not thread-safe, and a forked child reports through its exit status.
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "catch2/catch.hpp"
#include "fork_child.hpp"

namespace {

const long page = sysconf(_SC_PAGESIZE);

}  // namespace

TEST_CASE("fork and waitpid report exit statuses and signals") {
    for (int code : {0, 1, 42, 255}) {
        int status = status_of([code] { return code; });
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == code);
    }
    int status = status_of([] { return kill(getpid(), SIGKILL), 0; });
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);
    status = status_of([] { return abort(), 0; });
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT));

    SECTION("WNOHANG on a running child, ECHILD with none left") {
        pid_t pid = fork();
        if (pid == 0) {
            usleep(50 * 1000);
            _exit(3);
        }
        CHECK(waitpid(pid, &status, WNOHANG) == 0);
        CHECK(waitpid(pid, &status, 0) == pid);
        CHECK(WEXITSTATUS(status) == 3);
        errno = 0;
        CHECK(waitpid(-1, &status, 0) == -1);
        CHECK(errno == ECHILD);
    }
}

TEST_CASE("std::thread, std::mutex and std::condition_variable") {
    SECTION("a contended counter") {
        std::mutex m;
        long counter = 0;
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; t++)
            threads.emplace_back([&] {
                for (int i = 0; i < 5000; i++) {
                    std::lock_guard<std::mutex> hold(m);
                    counter++;
                }
            });
        for (auto& t : threads) t.join();
        CHECK(counter == 4 * 5000);
    }
    SECTION("producer and consumer through a condition variable") {
        std::mutex m;
        std::condition_variable cv;
        std::queue<int> items;
        long sum = 0;
        std::thread consumer([&] {
            for (int got = 0; got < 200; got++) {
                std::unique_lock<std::mutex> lock(m);
                cv.wait(lock, [&] { return !items.empty(); });
                sum += items.front();
                items.pop();
            }
        });
        for (int i = 1; i <= 200; i++) {
            {
                std::lock_guard<std::mutex> hold(m);
                items.push(i);
            }
            cv.notify_one();
        }
        consumer.join();
        CHECK(sum == 200 * 201 / 2);
    }
    SECTION("a timed wait nobody notifies times out") {
        std::mutex m;
        std::condition_variable cv;
        std::unique_lock<std::mutex> lock(m);
        auto start = std::chrono::steady_clock::now();
        CHECK(cv.wait_for(lock, std::chrono::milliseconds(30)) == std::cv_status::timeout);
        CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(30));
    }
}

TEST_CASE("pthread_join hands back the thread's result") {
    pthread_t threads[3];
    for (long i = 0; i < 3; i++)
        REQUIRE(pthread_create(&threads[i], nullptr, [](void* arg) -> void* {
            return reinterpret_cast<void*>(reinterpret_cast<long>(arg) * 10 + 1);
        }, reinterpret_cast<void*>(i)) == 0);
    for (long i = 0; i < 3; i++) {
        void* result = nullptr;
        CHECK(pthread_join(threads[i], &result) == 0);
        CHECK(reinterpret_cast<long>(result) == i * 10 + 1);
    }
}

TEST_CASE("clock_gettime(CLOCK_MONOTONIC) never goes back and follows a sleep") {
    auto ns = [](const timespec& t) { return t.tv_sec * 1000000000LL + t.tv_nsec; };
    timespec prev{}, now{};
    REQUIRE(clock_gettime(CLOCK_MONOTONIC, &prev) == 0);
    bool backwards = false;
    for (int i = 0; i < 100000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        backwards |= ns(now) < ns(prev);
        prev = now;
    }
    CHECK_FALSE(backwards);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(clock_gettime(CLOCK_MONOTONIC, &now) == 0);
    CHECK(ns(now) - ns(prev) >= 20 * 1000 * 1000);
    CHECK(clock_gettime(static_cast<clockid_t>(12345), &now) == -1);
    CHECK(errno == EINVAL);
}

namespace {
std::atomic<int> got_signo{0}, got_code{0}, got_pid{0};
void on_info(int sig, siginfo_t* info, void*) {
    got_signo = sig;
    got_code = info->si_code;
    got_pid = info->si_pid;
}
}  // namespace

TEST_CASE("sigaction: SA_SIGINFO handlers, blocked signals pending, default actions") {
    struct sigaction sa {};
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO;
    REQUIRE(sigaction(SIGUSR1, &sa, nullptr) == 0);
    REQUIRE(kill(getpid(), SIGUSR1) == 0);
    CHECK(got_signo == SIGUSR1);
    CHECK(got_code == SI_USER);
    CHECK(got_pid == getpid());

    struct sigaction old {};
    REQUIRE(sigaction(SIGUSR1, nullptr, &old) == 0);
    CHECK(old.sa_sigaction == on_info);
    CHECK((old.sa_flags & SA_SIGINFO) != 0);

    SECTION("a blocked signal stays pending until unblocked") {
        got_signo = 0;
        sigset_t set, pending;
        sigemptyset(&set);
        sigaddset(&set, SIGUSR1);
        REQUIRE(sigprocmask(SIG_BLOCK, &set, nullptr) == 0);
        REQUIRE(raise(SIGUSR1) == 0);
        CHECK(got_signo == 0);
        REQUIRE(sigpending(&pending) == 0);
        CHECK(sigismember(&pending, SIGUSR1) == 1);
        REQUIRE(sigprocmask(SIG_UNBLOCK, &set, nullptr) == 0);
        CHECK(got_signo == SIGUSR1);
    }
    SECTION("SIGTERM's default action ends a child; SIGKILL cannot be caught") {
        int status = status_of([] { return raise(SIGTERM), 0; });
        CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM));
        CHECK(sigaction(SIGKILL, &sa, nullptr) == -1);
        CHECK(errno == EINVAL);
    }
    signal(SIGUSR1, SIG_DFL);
}

TEST_CASE("mmap, munmap and mprotect: errors and protection") {
    auto* region = static_cast<char*>(
        mmap(nullptr, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    REQUIRE(region != MAP_FAILED);
    CHECK(reinterpret_cast<uintptr_t>(region) % page == 0);
    region[0] = 1;

    errno = 0;
    CHECK(munmap(region + 1, page) == -1);
    CHECK(errno == EINVAL);
    CHECK(mprotect(region + 1, page, PROT_READ) == -1);
    CHECK(errno == EINVAL);
    CHECK(mmap(region + 1, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
          MAP_FAILED);
    CHECK(errno == EINVAL);
    CHECK(mmap(nullptr, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
    CHECK(errno == EINVAL);
    CHECK(munmap(region, 0) == -1);
    CHECK(errno == EINVAL);
    // A terabyte is more than the address space (Sv39: 256 GiB for user space) can hold.
    CHECK(mmap(nullptr, 1UL << 40, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
    CHECK(errno == ENOMEM);

    // Read-only: reading is fine, a write in a child ends it with SIGSEGV.
    REQUIRE(mprotect(region, page, PROT_READ) == 0);
    CHECK(region[0] == 1);
    int status = status_of([region] { return region[0] = 2, 0; });
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV));

    // Unmapped: mprotect says ENOMEM, munmap of nothing mapped is fine, a read faults.
    REQUIRE(munmap(region + page, page) == 0);
    CHECK(mprotect(region + page, page, PROT_READ) == -1);
    CHECK(errno == ENOMEM);
    CHECK(munmap(region + page, page) == 0);
    status = status_of([region] { return region[page]; });
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV));
    CHECK(munmap(region, 4 * page) == 0);
}

TEST_CASE("getrandom fills buffers and checks its flags") {
    unsigned char a[64]{}, b[64]{};
    CHECK(getrandom(a, sizeof a, 0) == static_cast<ssize_t>(sizeof a));
    CHECK(getrandom(b, sizeof b, GRND_NONBLOCK) == static_cast<ssize_t>(sizeof b));
    CHECK(std::memcmp(a, b, sizeof a) != 0);
    CHECK(getrandom(a, 0, 0) == 0);
    CHECK(getrandom(a, sizeof a, 0x80) == -1);
    CHECK(errno == EINVAL);
    void* volatile bad = reinterpret_cast<void*>(16);  // volatile: the compiler would object
    CHECK(getrandom(bad, 16, 0) == -1);
    CHECK(errno == EFAULT);
}
