#pragma once
// Helpers shared by the host tests: a scoped fake clock, a group of running harts, and a
// bounded wait for work done on other threads (a broken test fails instead of hanging).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "host_platform.hpp"

namespace rt::test {

// Switches platform::now_ns() to the fake clock for the scope, starting at `start`; switches
// back (and rewinds) when the scope ends, even if an assertion bailed out early.
class FakeClock {
public:
    explicit FakeClock(uint64_t start = 1000) {
        host::set_fake_time(start);
        host::use_fake_clock(true);
    }
    ~FakeClock() {
        host::use_fake_clock(false);
        host::set_fake_time(0);
    }
    void set(uint64_t ns) { host::set_fake_time(ns); }
    FakeClock(const FakeClock&) = delete;
    FakeClock& operator=(const FakeClock&) = delete;
};

// A small deterministic pseudo-random sequence (xorshift32), one state per coroutine.
inline uint32_t next_random(uint32_t& s) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    return s;
}

// What stress coroutines report: how many finished, and how many saw something wrong.
struct Counters {
    std::atomic<int> done{0}, errors{0};
};

// Polls `done` every 100us until it holds or `timeout` passes; returns whether it held.
template <typename F>
bool wait_until(F&& done, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    return true;
}

// A set of harts (threads) running for the duration of a test. Stop them before checking
// state the coroutines touched: joining their threads orders those writes before the reads.
class HartGroup {
public:
    explicit HartGroup(size_t n) {
        for (size_t i = 0; i < n; ++i) m_harts.push_back(std::make_unique<host::HostHart>());
    }
    ~HartGroup() { stop(); }
    void start() {
        for (auto& h : m_harts) h->start();
    }
    void stop() {
        for (auto& h : m_harts) h->stop();
    }
    size_t size() const { return m_harts.size(); }
    host::HostHart& operator[](size_t i) { return *m_harts[i]; }
    Executor& executor(size_t i) { return m_harts[i]->executor(); }
    // Which hart the calling coroutine runs on, or -1.
    int current_index() {
        Executor* ex = &platform::current_executor();
        for (size_t i = 0; i < m_harts.size(); ++i)
            if (&m_harts[i]->executor() == ex) return static_cast<int>(i);
        return -1;
    }

private:
    std::vector<std::unique_ptr<host::HostHart>> m_harts;
};

}  // namespace rt::test
