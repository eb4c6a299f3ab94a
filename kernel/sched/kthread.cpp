#include "kthread.hpp"

#include "arch/riscv/csr.hpp"
#include "kernel/mm/frames.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/panic.hpp"

namespace rt {

Hart g_harts[kMaxHarts];
size_t g_hart_count = 1;

namespace {

// The lowest word of every kernel-thread stack: a coroutine that ran the stack into it is
// reported (stacks have no guard page; the linear map has no holes).
constexpr uint64_t kStackCanary = 0x5a17ca11ab1e5eedull;

void check_stack(const KernelThread& t) {
    if (*reinterpret_cast<const uint64_t*>(t.stack_base) != kStackCanary) panic("kernel stack overflow");
}

[[noreturn]] void thread_loop(KernelThread* self);

void switch_to(Hart& h, KernelThread& next) {
    KernelThread* prev = h.current;
    SpaceNote space = note_space();  // prev may be in the middle of a user copy
    prev->executor.set_sleeping(true);
    next.executor.set_sleeping(false);
    h.current = &next;
    arch::switch_context(&prev->context, &next.context);
    // Back on prev: whoever switched here set h.current to prev. The work that ran meanwhile
    // may have loaded another address space.
    restore_space(space);
}

// The highest thread above `limit` (exclusive) that has work or was preempted.
KernelThread* runnable_above(Hart& h, size_t limit, const KernelThread* skip,
                             std::memory_order order = std::memory_order_relaxed) {
    for (size_t p = 0; p < limit; ++p) {
        KernelThread& t = h.threads[p];
        if (&t != skip && (t.preempted || t.executor.has_work(order))) return &t;
    }
    return nullptr;
}

// Moves one ready coroutine from another hart to one of ours; true if it found one. Urgent
// work stays on its hart: it is interrupt-driven and its point is to preempt there.
bool steal(Hart& h) {
    for (size_t p = static_cast<size_t>(Priority::Normal); p < kPriorities; ++p) {
        for (size_t i = 1; i < g_hart_count; ++i) {
            Hart& victim = g_harts[(h.index + i) % g_hart_count];
            if (!victim.online.load(std::memory_order_acquire)) continue;
            if (Runnable* r = victim.threads[p].executor.steal()) {
                h.threads[p].executor.post(*r);
                return true;
            }
        }
    }
    return false;
}

// `self` ran out of work: give the hart to whoever should have it, or sleep.
void idle(KernelThread* self) {
    Hart& h = *self->hart;
    arch::irq_disable();
    if (KernelThread* next = runnable_above(h, kPriorities, self)) {
        switch_to(h, *next);
    } else if (!steal(h)) {
        self->executor.set_sleeping(true);  // the idle protocol: see Executor
        if (!runnable_above(h, kPriorities, nullptr, std::memory_order_seq_cst)) arch::wfi();
        self->executor.set_sleeping(false);
    }
    arch::irq_enable();  // a pending interrupt is taken here
}

RT_HOT_PATH void thread_loop(KernelThread* self) {
    Hart& h = *self->hart;
    size_t level = static_cast<size_t>(self->priority);
    arch::irq_enable();
    for (;;) {
        while (self->executor.run_once()) {
            // Work posted to a higher thread of this hart from thread context (no trap) is
            // picked up between coroutines.
            if (h.need_resched) {
                arch::irq_disable();
                h.need_resched = false;
                if (KernelThread* next = runnable_above(h, level, nullptr)) {
                    self->preempted = true;
                    switch_to(h, *next);
                    self->preempted = false;
                }
                arch::irq_enable();
            }
        }
        check_stack(*self);  // when the queue drains: off the coroutine-switch path
        idle(self);
    }
}

void thread_entry(KernelThread* self) { thread_loop(self); }

}  // namespace

void kthreads_init(Hart& h, uintptr_t stack_base, uintptr_t stack_top) {
    for (size_t p = 0; p < kPriorities; ++p) {
        KernelThread& t = h.threads[p];
        t.hart = &h;
        t.priority = static_cast<Priority>(p);
        t.executor.set_sleeping(true);
        if (t.priority == Priority::Normal) {
            t.stack_base = stack_base;
            t.stack_top = stack_top;
            continue;
        }
        auto stack = alloc_pages(2);  // KSTACK_SIZE
        if (stack.is_error()) panic("no memory for kernel thread stacks");
        t.stack_base = reinterpret_cast<uintptr_t>(stack.value());
        t.stack_top = t.stack_base + KSTACK_SIZE;
        t.context = {};
        t.context.ra = reinterpret_cast<unsigned long>(&arch::thread_trampoline);
        t.context.sp = t.stack_top;
        t.context.s[1] = reinterpret_cast<unsigned long>(&t);
        t.context.s[2] = reinterpret_cast<unsigned long>(&thread_entry);
    }
    for (KernelThread& t : h.threads) *reinterpret_cast<uint64_t*>(t.stack_base) = kStackCanary;
    h.current = &h.thread(Priority::Normal);
    h.current->executor.set_sleeping(false);
}

void kthread_run() { thread_loop(this_hart().current); }

void preempt_on_trap_exit() {
    Hart& h = this_hart();
    KernelThread* cur = h.current;
    if (!cur) return;  // early boot
    KernelThread* next = runnable_above(h, static_cast<size_t>(cur->priority), nullptr);
    if (!next) return;
    cur->preempted = true;
    switch_to(h, *next);
    cur->preempted = false;
}

Executor& executor(Priority p) { return this_hart().thread(p).executor; }
Executor& executor_on(size_t index, Priority p) { return g_harts[index].thread(p).executor; }

Hart* hart_of(const Executor& ex) {
    auto a = reinterpret_cast<uintptr_t>(&ex);
    auto lo = reinterpret_cast<uintptr_t>(&g_harts[0]);
    auto hi = reinterpret_cast<uintptr_t>(&g_harts[kMaxHarts]);
    if (a < lo || a >= hi) return nullptr;
    return &g_harts[(a - lo) / sizeof(Hart)];
}

}  // namespace rt
