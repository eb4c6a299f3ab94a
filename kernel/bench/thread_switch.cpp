#include "thread_switch.hpp"

#include "arch/riscv/layout.h"
#include "arch/riscv/trap.hpp"
#include "kernel/lib/spinlock.hpp"
#include "kernel/mm/frames.hpp"

namespace rt {
namespace {

struct BenchThread {
    arch::Context context;
    uint64_t remaining = 0;
};

// The run queue: a lock and a FIFO of ready threads, like any scheduler's.
struct RunQueue {
    SpinLock lock;
    BenchThread* ready[4];
    unsigned head = 0, tail = 0;
    void push(BenchThread* t) { ready[tail++ % 4] = t; }
    BenchThread* pop() { return ready[head++ % 4]; }
};

RunQueue g_queue;
arch::Context g_caller;
BenchThread g_threads[2];

void yield_to_next(BenchThread* self) {
    unsigned long irq = g_queue.lock.lock();
    g_queue.push(self);
    BenchThread* next = g_queue.pop();
    g_queue.lock.unlock(irq);
    arch::switch_context(&self->context, &next->context);
}

void bench_thread(BenchThread* self) {
    while (self->remaining--) yield_to_next(self);
    arch::switch_context(&self->context, &g_caller);  // the first to finish ends the run
}

}  // namespace

void thread_switch_ping_pong(uint64_t n) {
    auto stacks = alloc_pages(3);  // two KSTACK_SIZE stacks
    if (stacks.is_error()) return;
    auto base = reinterpret_cast<uintptr_t>(stacks.value());
    for (int i = 0; i < 2; ++i) {
        BenchThread& t = g_threads[i];
        t.remaining = n / 2;
        t.context = {};
        t.context.ra = reinterpret_cast<unsigned long>(&arch::thread_trampoline);
        t.context.sp = base + (i + 1) * KSTACK_SIZE;
        t.context.s[1] = reinterpret_cast<unsigned long>(&t);
        t.context.s[2] = reinterpret_cast<unsigned long>(&bench_thread);
    }
    g_queue.head = g_queue.tail = 0;
    g_queue.push(&g_threads[1]);
    arch::switch_context(&g_caller, &g_threads[0].context);
    free_pages(stacks.value(), 3);
}

}  // namespace rt
