#include "futex.hpp"

#include "arch/riscv/user_copy.hpp"
#include "kernel/async/timed_wait.hpp"
#include "kernel/mm/address.hpp"
#include "kernel/mm/user_access.hpp"

namespace rt {
namespace {

struct FutexKey {
    uint64_t a = 0, b = 0;
    bool operator==(const FutexKey&) const = default;
};

struct FutexWaiter {
    ListNode node;
    FutexKey key;
    uint32_t bitset;
    TimedWait wait;
    explicit FutexWaiter(const WaitOptions& o) : wait(o) {}
};

struct Bucket {
    SpinLock lock;
    IntrusiveList<FutexWaiter, &FutexWaiter::node> waiters;
};

constexpr size_t kBuckets = 256;
Bucket g_buckets[kBuckets];

Bucket& bucket_of(const FutexKey& k) {
    uint64_t h = (k.a * 0x9e3779b97f4a7c15ull) ^ (k.b >> 2) * 0xc2b2ae3d27d4eb4full;
    return g_buckets[(h >> 32) % kBuckets];
}

// The key of a futex word. A private futex, or a "shared" one in private memory: (address
// space, address), as Linux keys them (a physical address would merge the unrelated futexes of
// processes still sharing a page copy-on-write). A shared futex in a shared region: (memory
// object, offset), the same in every process that maps it, wherever it maps it.
ErrorOr<FutexKey> key_of(Thread& t, uint64_t uaddr, bool shared) {
    if (uaddr & 3) return Error(Errno::INVAL);
    if (!user_range_ok(uaddr, 4)) return Error(Errno::FAULT);
    AddressSpace& space = *t.process->space;
    if (shared) {
        auto where = TRY(space.locate(uaddr));
        if (where.object) return FutexKey{reinterpret_cast<uint64_t>(where.object), where.offset};
    }
    return FutexKey{reinterpret_cast<uint64_t>(&space), uaddr};
}

// Reads the futex word without resolving faults (callers hold a bucket lock).
bool peek(uint64_t uaddr, uint32_t& out) {
    return !arch::user_copy(&out, reinterpret_cast<const void*>(uaddr), 4).faulted;
}

enum class Check { Suspended, Differs, Faulted };

class FutexAwait {
public:
    FutexAwait(Bucket& b, const FutexKey& k, uint64_t uaddr, uint32_t val, uint32_t bitset, const WaitOptions& o)
        : m_bucket(b), m_uaddr(uaddr), m_val(val), m_waiter(o) {
        m_waiter.key = k;
        m_waiter.bitset = bitset;
    }
    ~FutexAwait() {
        if (m_registered) unlink();  // the frame is being destroyed mid-wait
    }
    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) noexcept {
        m_waiter.wait.prepare(h);
        {
            SpinLockGuard g(m_bucket.lock);
            uint32_t cur;
            if (!peek(m_uaddr, cur)) {
                m_check = Check::Faulted;
                return false;
            }
            if (cur != m_val) {
                m_check = Check::Differs;
                return false;
            }
            m_bucket.waiters.push_back(m_waiter);
            m_check = Check::Suspended;
            m_registered = true;
        }
        return m_waiter.wait.arm();
    }
    Check await_resume() noexcept {
        if (m_registered) unlink();
        return m_check;
    }
    WaitResult result() noexcept { return m_waiter.wait.waiter().result(); }

private:
    void unlink() noexcept {
        m_registered = false;
        {
            SpinLockGuard g(m_bucket.lock);
            if (m_waiter.node.is_linked()) m_bucket.waiters.remove(m_waiter);
        }
        m_waiter.wait.disarm();
    }
    Bucket& m_bucket;
    uint64_t m_uaddr;
    uint32_t m_val;
    FutexWaiter m_waiter;
    Check m_check = Check::Differs;
    bool m_registered = false;
};

// Wakes up to n waiters of `key` in `b` (lock held); the number woken.
uint32_t wake_locked(Bucket& b, const FutexKey& key, uint32_t n, uint32_t bitset) {
    uint32_t woken = 0;
    for (FutexWaiter* w = b.waiters.front(); w && woken < n;) {
        FutexWaiter* next = b.waiters.next_of(*w);
        if (w->key == key && (w->bitset & bitset)) {
            b.waiters.remove(*w);
            if (w->wait.waiter().complete(WaitResult::Woken)) ++woken;
        }
        w = next;
    }
    return woken;
}

}  // namespace

Task<long> futex_wait(Thread& t, uint64_t uaddr, uint32_t val, uint64_t deadline_ns, uint32_t bitset, bool shared) {
    if (bitset == 0) co_return error_result(Errno::INVAL);
    auto key = key_of(t, uaddr, shared);
    if (key.is_error()) co_return error_result(key.error());
    for (;;) {
        activate_space(*t.process->space);  // peek reads through the current page table
        FutexAwait wait(bucket_of(key.value()), key.value(), uaddr, val, bitset,
                        {.deadline_ns = deadline_ns, .cancel = &t.cancel});
        Check c = co_await wait;
        if (c == Check::Differs) co_return error_result(Errno::AGAIN);
        if (c == Check::Faulted) {
            uint32_t probe;
            auto r = copy_from_user(*t.process->space, &probe, uaddr, 4);  // fault it in, then retry
            if (r.is_error()) co_return error_result(r.error());
            continue;
        }
        WaitResult w = wait.result();
        if (w == WaitResult::Woken) co_return 0;
        if (w == WaitResult::TimedOut) co_return error_result(Errno::TIMEDOUT);
        // Interrupted: an untimed wait is restarted unless a handler runs without SA_RESTART.
        co_return error_result(deadline_ns == kNoDeadline ? Errno::RESTARTSYS : Errno::INTR);
    }
}

long futex_wake(Thread& t, uint64_t uaddr, uint32_t n, uint32_t bitset, bool shared) {
    if (bitset == 0) return error_result(Errno::INVAL);
    auto key = key_of(t, uaddr, shared);
    if (key.is_error()) return error_result(key.error());
    Bucket& b = bucket_of(key.value());
    SpinLockGuard g(b.lock);
    return wake_locked(b, key.value(), n, bitset);
}

long futex_requeue(Thread& t, uint64_t uaddr, uint32_t n, uint32_t n2, uint64_t uaddr2, bool check,
                   uint32_t val, bool shared) {
    auto k1 = key_of(t, uaddr, shared);
    if (k1.is_error()) return error_result(k1.error());
    auto k2 = key_of(t, uaddr2, shared);
    if (k2.is_error()) return error_result(k2.error());
    Bucket& b1 = bucket_of(k1.value());
    Bucket& b2 = bucket_of(k2.value());
    // Both buckets locked, in address order, so two requeues cannot deadlock.
    Bucket* first = &b1 < &b2 ? &b1 : &b2;
    Bucket* second = &b1 < &b2 ? &b2 : &b1;
    activate_space(*t.process->space);
    SpinLockGuard g1(first->lock);
    unsigned long irq2 = first != second ? second->lock.lock() : 0;
    long result;
    uint32_t cur = 0;
    bool readable = !check || peek(uaddr, cur);
    if (!readable || (check && cur != val)) {
        result = error_result(readable ? Errno::AGAIN : Errno::FAULT);
    } else {
        uint32_t woken = wake_locked(b1, k1.value(), n, ~0u), moved = 0;
        for (FutexWaiter* w = b1.waiters.front(); w && moved < n2;) {
            FutexWaiter* next = b1.waiters.next_of(*w);
            if (w->key == k1.value()) {
                b1.waiters.remove(*w);
                w->key = k2.value();
                b2.waiters.push_back(*w);
                ++moved;
            }
            w = next;
        }
        result = check ? woken + moved : woken;
    }
    if (first != second) second->lock.unlock(irq2);
    return result;
}

namespace {

constexpr uint32_t kFutexWaiters = 0x80000000, kFutexOwnerDied = 0x40000000, kFutexTidMask = 0x3fffffff;

// One robust futex of a dying owner: if the word still names `tid`, it becomes "owner died"
// (keeping the waiters bit), and a waiter is woken to take it.
void futex_owner_died(Thread& t, uint64_t uaddr) {
    AddressSpace& space = *t.process->space;
    for (int attempts = 0; attempts < 64; ++attempts) {  // user space may race the update
        uint32_t word;
        if (copy_from_user(space, &word, uaddr, 4).is_error()) return;
        if ((word & kFutexTidMask) != static_cast<uint32_t>(t.tid)) return;
        auto old = cmpxchg_user_u32(space, uaddr, word, (word & kFutexWaiters) | kFutexOwnerDied);
        if (old.is_error()) return;
        if (old.value() != word) continue;
        // Waiters may wait with private or shared futex calls: the shared key is the one that
        // names shared memory, and the same as the private one elsewhere.
        if (word & kFutexWaiters) (void)futex_wake(t, uaddr, 1, ~0u, true);
        return;
    }
}

}  // namespace

void exit_robust_list(Thread& t) {
    struct RobustListHead {
        uint64_t list;  // the first entry; the list ends when it comes back to the head
        int64_t futex_offset;  // from an entry to its futex word
        uint64_t list_op_pending;  // an entry being locked or unlocked
    } head;
    constexpr int kLimit = 2048;  // Linux's ROBUST_LIST_LIMIT: a cycle ends here
    uint64_t head_addr = t.robust_list;
    if (!head_addr) return;
    t.robust_list = 0;
    AddressSpace& space = *t.process->space;
    if (copy_from_user(space, &head, head_addr, sizeof head).is_error()) return;
    uint64_t pending = head.list_op_pending & ~1ull;  // bit 0 marks PI futexes
    uint64_t entry = head.list & ~1ull;
    for (int n = 0; entry != head_addr && n < kLimit; ++n) {
        uint64_t next;
        if (copy_from_user(space, &next, entry, 8).is_error()) break;  // read before the word changes
        if (entry != pending) futex_owner_died(t, entry + static_cast<uint64_t>(head.futex_offset));
        entry = next & ~1ull;
    }
    if (pending) futex_owner_died(t, pending + static_cast<uint64_t>(head.futex_offset));
}

}  // namespace rt
