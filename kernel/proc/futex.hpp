#pragma once
// Futexes: waits keyed by a user address (private: the address space and address; shared: the
// physical address), in a hash of buckets. A wait checks the futex word under its bucket's
// lock, so a wake after the word changes is never lost.
#include <cstdint>

#include "kernel/async/task.hpp"
#include "process.hpp"

namespace rt {

// FUTEX_WAIT(_BITSET): sleeps while *uaddr == val, until a matching wake (0), the deadline
// (ETIMEDOUT), a signal (EINTR); EAGAIN if the word differs at once; EFAULT for a bad address.
Task<long> futex_wait(Thread& t, uint64_t uaddr, uint32_t val, uint64_t deadline_ns, uint32_t bitset, bool shared);
// FUTEX_WAKE(_BITSET): wakes up to n waiters on uaddr whose bitset intersects; how many.
long futex_wake(Thread& t, uint64_t uaddr, uint32_t n, uint32_t bitset, bool shared);
// FUTEX_(CMP_)REQUEUE: wakes up to n, moves up to n2 more to uaddr2; with `check`, EAGAIN
// unless *uaddr == val. Returns woken + moved (CMP) or woken (plain), as Linux does.
long futex_requeue(Thread& t, uint64_t uaddr, uint32_t n, uint32_t n2, uint64_t uaddr2, bool check,
                   uint32_t val, bool shared);

// A thread is ending (or exec'ing): every robust futex it still holds (its set_robust_list
// list, and the one it was about to take or release) is marked FUTEX_OWNER_DIED and one waiter
// woken, so the next locker learns the owner died (EOWNERDEAD) instead of waiting forever.
// A bad list is abandoned where it goes bad.
void exit_robust_list(Thread& t);

}  // namespace rt
