#include "epoll.hpp"

#include <new>

#include "kernel/lib/platform.hpp"
#include "kernel/mm/user_access.hpp"

namespace rt {
namespace {

// Registrations are made and dropped, and nesting is checked, under one lock: it orders a
// file's last release against its instances' own teardown and EPOLL_CTL_DEL. Lock order:
// this, then a file's readiness queue, then an instance's lock, then an instance's queue.
SpinLock g_epoll_lock;
uint64_t g_check_generation = 0;  // g_epoll_lock
constexpr int kMaxNesting = 4;    // Linux's EP_MAX_NESTS

// What EPOLLEXCLUSIVE may come with.
constexpr uint32_t kExclusiveOk = kPollIn | kPollOut | kPollErr | kPollHup | kPollRdnorm | kPollWrnorm |
                                  0x080 /* RDBAND */ | 0x200 /* WRBAND */ | kEpollWakeup | kEpollEt | kEpollExclusive;

struct EpollEvent {  // struct epoll_event: not packed on riscv64
    uint32_t events;
    uint64_t data;
};
static_assert(sizeof(EpollEvent) == 16);

size_t bucket_of(const File* file, int fd, size_t count) {
    uint64_t h = reinterpret_cast<uintptr_t>(file) ^ (static_cast<uint32_t>(fd) * 0x9e3779b97f4a7c15ull);
    return (h ^ h >> 29) & (count - 1);
}

int max(int a, int b) { return a > b ? a : b; }

}  // namespace

EpollItem::EpollItem(Epoll& o, File& f, int d, uint32_t e, uint64_t user_data)
    : owner(o), file(&f), fd(d), events(e), data(user_data), callback(&on_notify, this, ~0u, e & kEpollExclusive) {}

bool EpollItem::on_notify(void* p, uint32_t events) {
    auto& item = *static_cast<EpollItem*>(p);
    Epoll& ep = item.owner;
    {
        SpinLockGuard g(ep.m_lock);
        if (item.disabled || !(events & item.events)) return false;
        ep.make_ready_locked(item);
    }
    // After the instance's lock: its waiters look at the ready list under the queue's lock.
    // One epoll_wait is woken; the one that finds more ready wakes the next.
    size_t woken = ep.m_readiness.notify(kPollIn, 1);
    return woken || !(item.events & kEpollExclusive);  // an exclusive one nobody took goes on
}

Epoll* Epoll::create(uint32_t flags) { return new (std::nothrow) Epoll(flags); }

Epoll::~Epoll() {
    {
        SpinLockGuard g(g_epoll_lock);
        for (size_t i = 0; i < m_bucket_count; ++i)
            while (EpollItem* item = m_buckets[i]) unregister(*item);
    }
    delete[] m_buckets;
}

void forget_epoll_watches(File& file) {
    SpinLockGuard g(g_epoll_lock);
    while (EpollItem* item = file.epoll_items) Epoll::unregister(*item);
}

void Epoll::unregister(EpollItem& item) {
    item.callback.remove();
    if (item.file_prev) item.file_prev->file_next = item.file_next;
    else item.file->epoll_items = item.file_next;
    if (item.file_next) item.file_next->file_prev = item.file_prev;
    Epoll& ep = item.owner;
    bool last;
    {
        SpinLockGuard g(ep.m_lock);
        ep.erase_locked(item);
        if (item.ready) ep.m_ready.remove(item);
        item.ready = false;
        item.dead = true;
        last = --item.refs == 0;
    }
    if (last) delete &item;  // else the last wait looking at it frees it
}

EpollItem* Epoll::find_locked(File* file, int fd) const {
    if (!m_bucket_count) return nullptr;
    for (EpollItem* i = m_buckets[bucket_of(file, fd, m_bucket_count)]; i; i = i->bucket_next)
        if (i->file == file && i->fd == fd) return i;
    return nullptr;
}

void Epoll::insert_locked(EpollItem& item) {
    if (m_count >= m_bucket_count) {
        // Grow (rehash) at one entry per bucket; without memory the chains just get longer.
        size_t count = m_bucket_count ? m_bucket_count * 2 : 8;
        if (auto* buckets = new (std::nothrow) EpollItem*[count]()) {
            for (size_t b = 0; b < m_bucket_count; ++b)
                while (EpollItem* i = m_buckets[b]) {
                    m_buckets[b] = i->bucket_next;
                    size_t to = bucket_of(i->file, i->fd, count);
                    i->bucket_next = buckets[to];
                    buckets[to] = i;
                }
            delete[] m_buckets;
            m_buckets = buckets;
            m_bucket_count = count;
        }
    }
    EpollItem*& head = m_buckets[bucket_of(item.file, item.fd, m_bucket_count)];
    item.bucket_next = head;
    head = &item;
    ++m_count;
}

void Epoll::erase_locked(EpollItem& item) {
    for (EpollItem** at = &m_buckets[bucket_of(item.file, item.fd, m_bucket_count)]; *at; at = &(*at)->bucket_next)
        if (*at == &item) {
            *at = item.bucket_next;
            --m_count;
            return;
        }
}

void Epoll::make_ready_locked(EpollItem& item) {
    if (item.ready || item.dead) return;
    m_ready.push_back(item);
    item.ready = true;
}

int Epoll::depth_below(Epoll* target, uint64_t generation) {
    if (m_check_generation == generation) return m_check_depth;
    m_check_generation = generation;
    int depth = 0;
    // The interest set changes only under g_epoll_lock, which the caller holds.
    for (size_t b = 0; b < m_bucket_count && depth <= kMaxNesting; ++b)
        for (EpollItem* i = m_buckets[b]; i && depth <= kMaxNesting; i = i->bucket_next)
            if (Epoll* inner = file_cast<Epoll>(i->file))
                depth = max(depth, inner == target ? kMaxNesting + 1 : inner->depth_below(target, generation) + 1);
    m_check_depth = depth;
    return depth;
}

int Epoll::depth_above(uint64_t generation) {
    if (m_check_generation == generation) return m_check_depth;
    int depth = 0;
    for (EpollItem* i = epoll_items; i; i = i->file_next) depth = max(depth, i->owner.depth_above(generation) + 1);
    m_check_generation = generation;
    m_check_depth = depth;
    return depth;
}

void Epoll::check_now(EpollItem& item) {
    // The caller holds a reference on the item, so it outlives a concurrent unregistration.
    bool ready = item.file->poll() & item.events;
    bool last;
    {
        SpinLockGuard g(m_lock);
        if (ready && !item.disabled) make_ready_locked(item);
        ready = item.ready;
        last = --item.refs == 0;
    }
    if (last) delete &item;
    if (ready) m_readiness.notify(kPollIn, 1);
}

ErrorOr<void> Epoll::add(File& target, int fd, uint32_t events, uint64_t data) {
    Epoll* inner = file_cast<Epoll>(&target);
    if ((events & kEpollExclusive) && ((events & ~kExclusiveOk) || inner)) return Error(Errno::INVAL);
    auto* item = new (std::nothrow) EpollItem(*this, target, fd, events | kPollErr | kPollHup, data);
    if (!item) return Error(Errno::NOMEM);
    item->refs = 2;  // the registration, and this call until check_now
    {
        SpinLockGuard g(g_epoll_lock);
        Errno error{};
        if (inner) {
            // No cycle, and no chain of more than kMaxNesting instances through this one.
            int below = inner->depth_below(this, ++g_check_generation);
            if (below > kMaxNesting || below + 1 + depth_above(++g_check_generation) > kMaxNesting) error = Errno::LOOP;
        }
        if (error == Errno{}) {
            SpinLockGuard gi(m_lock);
            if (find_locked(&target, fd)) error = Errno::EXIST;
            else insert_locked(*item);
        }
        if (error != Errno{}) {
            delete item;
            return Error(error);
        }
        item->file_next = target.epoll_items;
        if (item->file_next) item->file_next->file_prev = item;
        target.epoll_items = item;
        target.epoll_watched.store(true, std::memory_order_release);
        item->callback.add_to(*target.readiness());  // the caller checked it can be polled
    }
    check_now(*item);
    return {};
}

ErrorOr<void> Epoll::modify(File& target, int fd, uint32_t events, uint64_t data) {
    if (events & kEpollExclusive) return Error(Errno::INVAL);
    EpollItem* item;
    {
        SpinLockGuard g(m_lock);
        item = find_locked(&target, fd);
        if (!item) return Error(Errno::NOENT);
        if (item->events & kEpollExclusive) return Error(Errno::INVAL);
        item->events = events | kPollErr | kPollHup;
        item->data = data;
        item->disabled = false;
        ++item->refs;
    }
    check_now(*item);
    return {};
}

ErrorOr<void> Epoll::remove(File& target, int fd) {
    SpinLockGuard g(g_epoll_lock);
    EpollItem* item;
    {
        SpinLockGuard gi(m_lock);
        item = find_locked(&target, fd);
    }
    if (!item) return Error(Errno::NOENT);
    unregister(*item);
    return {};
}

long Epoll::harvest(AddressSpace& space, uint64_t out, int max) {
    int count = 0;
    size_t budget;  // what is ready now: what turns ready meanwhile waits for the next call
    {
        SpinLockGuard g(m_lock);
        budget = m_ready.size();
    }
    long error = 0;
    for (; count < max && budget; --budget) {
        EpollItem* item;
        uint32_t wanted;
        uint64_t data;
        {
            SpinLockGuard g(m_lock);
            item = m_ready.pop_front();
            if (!item) break;
            item->ready = false;
            // A file whose last reference is going takes its registrations with it.
            if (item->disabled || !item->file->try_retain()) continue;
            ++item->refs;
            wanted = item->events;
            data = item->data;
        }
        FileRef file(item->file);  // the reference taken above, given back outside the lock
        uint32_t ready = file->poll() & wanted;
        bool copied = false;
        if (ready) {
            EpollEvent event{ready, data};
            copied = !copy_to_user(space, out + count * sizeof(EpollEvent), &event, sizeof event).is_error();
            if (!copied) error = error_result(Errno::FAULT);
        }
        bool last;
        {
            SpinLockGuard g(m_lock);
            if (!copied && ready) {
                // Not reported: it stays ready for the next call.
                if (!item->ready && !item->dead) {
                    m_ready.push_front(*item);
                    item->ready = true;
                }
            } else if (copied && (wanted & kEpollOneshot)) {
                item->disabled = true;
            } else if (copied && !(wanted & kEpollEt)) {
                make_ready_locked(*item);  // level-triggered: looked at again next time
            }
            last = --item->refs == 0;
        }
        if (last) delete item;
        if (error) break;
        count += copied;
    }
    // More left than this call could take: another waiter may take it.
    if (poll()) m_readiness.notify(kPollIn, 1);
    return count ? count : error;
}

Task<long> Epoll::wait(AddressSpace& space, uint64_t out, int max, uint64_t deadline, Cancellation* cancel) {
    bool timed_out = deadline <= platform::now_ns();
    for (;;) {
        long n = harvest(space, out, max);
        if (n || timed_out) co_return n;
        auto w = co_await m_readiness.wait([this] { return poll() != 0; },
                                           {.mask = kPollIn, .deadline_ns = deadline, .cancel = cancel});
        if (w == WaitResult::Cancelled) co_return error_result(Errno::INTR);
        timed_out = w == WaitResult::TimedOut;  // one more look, then 0
    }
}

uint32_t Epoll::poll() const {
    SpinLockGuard g(m_lock);
    return m_ready.empty() ? 0 : kPollIn | kPollRdnorm;
}

Stat Epoll::stat() const {
    return anonymous_inode_stat();
}

}  // namespace rt
