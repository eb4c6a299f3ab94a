#include "host_platform.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

#include "kernel/lib/platform.hpp"

namespace rt::host {
namespace {
thread_local Executor* t_executor = nullptr;
thread_local TimerQueue* t_timers = nullptr;
thread_local int t_lock_depth = 0;
thread_local std::function<void()> t_irq_save_hook;
std::atomic<bool> g_fake_clock{false};
std::atomic<uint64_t> g_fake_time{0};
std::atomic<int> g_fail_allocs{0};
std::atomic<long> g_live_frames{0};
std::mutex g_harts_mutex;
std::vector<HostHart*> g_harts;

uint64_t real_now() {
    using namespace std::chrono;
    return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}
}  // namespace

void use_fake_clock(bool on) { g_fake_clock = on; }
void set_fake_time(uint64_t ns) { g_fake_time = ns; }
void fail_next_allocations(int n) { g_fail_allocs = n; }
long live_frames() { return g_live_frames; }
void on_next_irq_save(std::function<void()> fn) { t_irq_save_hook = std::move(fn); }

HostHart::HostHart() {
    std::lock_guard g(g_harts_mutex);
    g_harts.push_back(this);
}

HostHart::~HostHart() {
    stop();
    std::lock_guard g(g_harts_mutex);
    std::erase(g_harts, this);
}

void HostHart::start() { m_thread = std::thread([this] { loop(); }); }

void HostHart::stop() {
    if (!m_thread.joinable()) return;
    m_stop = true;
    kick();
    m_thread.join();
}

void HostHart::kick() {
    std::lock_guard g(m_mutex);
    m_kicked = true;
    m_cv.notify_one();
}

void HostHart::loop() {
    t_executor = &m_executor;
    t_timers = &m_timers;
    while (!m_stop) {
        m_executor.run(64);
        m_timers.fire_expired(platform::now_ns());
        if (m_executor.has_work()) continue;
        {
            std::lock_guard g(g_harts_mutex);
            for (HostHart* other : g_harts) {
                if (other == this) continue;
                if (Runnable* r = other->m_executor.steal()) {
                    m_executor.post(*r);
                    break;
                }
            }
        }
        if (m_executor.has_work()) continue;
        m_executor.set_sleeping(true);
        if (!m_executor.has_work(std::memory_order_seq_cst)) {
            std::unique_lock lk(m_mutex);
            uint64_t next = m_timers.next_deadline();
            uint64_t now = platform::now_ns();
            auto wait = std::chrono::nanoseconds(next == kNoDeadline ? 1'000'000
                                                 : next > now      ? next - now
                                                                   : 0);
            if (wait > std::chrono::milliseconds(1)) wait = std::chrono::milliseconds(1);
            m_cv.wait_for(lk, wait, [this] { return m_kicked || m_stop.load(); });
            m_kicked = false;
        }
        m_executor.set_sleeping(false);
    }
    t_executor = nullptr;
    t_timers = nullptr;
}

CurrentThreadHart::CurrentThreadHart() : m_prev_executor(t_executor), m_prev_timers(t_timers) {
    t_executor = &m_executor;
    t_timers = &m_timers;
}

CurrentThreadHart::~CurrentThreadHart() {
    t_executor = m_prev_executor;
    t_timers = m_prev_timers;
}

void CurrentThreadHart::pump() {
    for (;;) {
        size_t n = m_executor.run();
        n += m_timers.fire_expired(platform::now_ns());
        if (n == 0 && !m_executor.has_work()) return;
    }
}

}  // namespace rt::host

namespace rt::platform {
using namespace rt::host;

unsigned long irq_save() noexcept {
    if (t_irq_save_hook) std::exchange(t_irq_save_hook, nullptr)();
    return 0;
}
void irq_restore(unsigned long) noexcept {}
int& lock_depth() noexcept { return t_lock_depth; }
uint64_t now_ns() noexcept { return g_fake_clock ? g_fake_time.load() : real_now(); }

Executor& current_executor() noexcept {
    if (!t_executor) fatal("no executor on this thread");
    return *t_executor;
}
bool runs_executor(const Executor& ex) noexcept { return t_executor == &ex; }
TimerQueue& current_timer_queue() noexcept {
    if (!t_timers) fatal("no timer queue on this thread");
    return *t_timers;
}

void kick(Executor& ex) noexcept {
    std::lock_guard g(g_harts_mutex);
    for (HostHart* h : g_harts)
        if (&h->executor() == &ex) h->kick();
}

void timer_rearm(TimerQueue& q, uint64_t) noexcept {
    std::lock_guard g(g_harts_mutex);
    for (HostHart* h : g_harts)
        if (&h->timers() == &q) h->kick();
}

void* frame_alloc(size_t size) noexcept {
    int f = g_fail_allocs.load();
    while (f > 0)
        if (g_fail_allocs.compare_exchange_weak(f, f - 1)) return nullptr;
    ++g_live_frames;
    return std::malloc(size);
}
void frame_free(void* p) noexcept {
    --g_live_frames;
    std::free(p);
}

void cpu_relax() noexcept { std::this_thread::yield(); }
[[noreturn]] void fatal(const char* msg) noexcept {
    std::fprintf(stderr, "fatal: %s\n", msg);
    std::abort();
}

}  // namespace rt::platform
