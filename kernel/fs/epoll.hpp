#pragma once
// epoll: an interest set of (file, descriptor) registrations and a ready list. A WaitCallback
// on each registered file's readiness queue moves its registration to the ready list when the
// file announces a change, so a wait costs what is ready, not what is registered. Waiting
// takes registrations off the ready list, asks each file's poll() what holds now, reports
// those that are ready and puts level-triggered ones back. A registration lives as long as its
// file (its last reference, as on Linux), the epoll instance, or until EPOLL_CTL_DEL.
#include <cstdint>

#include "file.hpp"
#include "kernel/async/task.hpp"
#include "kernel/async/wait_callback.hpp"

namespace rt {

// The event bits epoll adds to poll's.
inline constexpr uint32_t kEpollExclusive = 1u << 28, kEpollWakeup = 1u << 29, kEpollOneshot = 1u << 30,
                          kEpollEt = 1u << 31;

class Epoll;

// One registration. Its state is under its instance's lock; `file_next`/`file_prev` (the
// file's list) and the registration itself under the global epoll lock.
struct EpollItem {
    EpollItem(Epoll& owner, File& file, int fd, uint32_t events, uint64_t data);
    // Runs on the file's readiness queue: queues the registration as ready.
    static bool on_notify(void* item, uint32_t events);

    Epoll& owner;
    File* file;  // no reference: the registration goes with the file's last one
    int fd;
    uint32_t events;  // what was asked for (EPOLLERR and EPOLLHUP always), with the flag bits
    uint64_t data;
    WaitCallback callback;
    ListNode ready_node;         // in owner's ready list, if `ready`
    EpollItem* bucket_next = nullptr;  // owner's interest set
    EpollItem* file_next = nullptr;
    EpollItem* file_prev = nullptr;
    int refs = 1;         // the registration, and each wait looking at it now
    bool ready = false;   // on the ready list
    bool dead = false;    // unregistered: only the waits looking at it hold it
    bool disabled = false;  // EPOLLONESHOT reported it: silent until EPOLL_CTL_MOD
};

class Epoll final : public File {
public:
    static constexpr FileKind kKind{"epoll"};

    // A new instance (open flags `flags`); nullptr if no memory.
    static Epoll* create(uint32_t flags);
    ~Epoll() override;

    // EPOLL_CTL_ADD, MOD and DEL of `target` as descriptor `fd`, with Linux's errors: EEXIST,
    // ENOENT, EINVAL (EPOLLEXCLUSIVE misused), ELOOP (a cycle or nesting deeper than 4 epoll
    // instances), ENOMEM. The caller has checked that `target` can be polled and is not this.
    ErrorOr<void> add(File& target, int fd, uint32_t events, uint64_t data);
    ErrorOr<void> modify(File& target, int fd, uint32_t events, uint64_t data);
    ErrorOr<void> remove(File& target, int fd);

    // epoll_wait: copies up to `max` ready events (struct epoll_event) to `out` in `space`,
    // waiting until one is ready, the deadline (0) or `cancel` (EINTR). EFAULT if the first
    // cannot be copied.
    Task<long> wait(AddressSpace& space, uint64_t out, int max, uint64_t deadline, Cancellation* cancel);
    // The same without waiting: the events ready now (maybe none).
    long take_ready(AddressSpace& space, uint64_t out, int max) { return harvest(space, out, max); }

    ErrorOr<size_t> read(AddressSpace&, uint64_t, size_t, uint64_t) override { return Error(Errno::INVAL); }
    ErrorOr<size_t> write(AddressSpace&, uint64_t, size_t, uint64_t) override { return Error(Errno::INVAL); }
    Stat stat() const override;
    // Readable while its ready list holds anything (which a wait may find stale).
    uint32_t poll() const override;
    WaitQueue* readiness() override { return &m_readiness; }
    const FileKind* kind() const override { return &kKind; }

private:
    friend void forget_epoll_watches(File& file);
    friend struct EpollItem;
    explicit Epoll(uint32_t flags) : File(flags) {}

    // Unregisters `item` from its file and this instance. The global epoll lock held.
    static void unregister(EpollItem& item);
    EpollItem* find_locked(File* file, int fd) const;
    void insert_locked(EpollItem& item);
    void erase_locked(EpollItem& item);
    void make_ready_locked(EpollItem& item);
    // After EPOLL_CTL_ADD or MOD: if the file is ready already, the registration is too.
    void check_now(EpollItem& item);
    // Takes up to `max` ready events to `out`; how many, or EFAULT if none could be copied.
    long harvest(AddressSpace& space, uint64_t out, int max);
    // The deepest chain of epoll instances below this one, and whether `target` is in it.
    int depth_below(Epoll* target, uint64_t generation);
    int depth_above(uint64_t generation);

    mutable SpinLock m_lock;  // the interest set, the ready list, the registrations' state
    EpollItem** m_buckets = nullptr;  // the interest set: a hash of (file, descriptor)
    size_t m_bucket_count = 0, m_count = 0;
    IntrusiveList<EpollItem, &EpollItem::ready_node> m_ready;
    WaitQueue m_readiness;  // epoll_wait's waiters, and the watchers of this instance
    uint64_t m_check_generation = 0;  // nesting checks (under the global epoll lock)
    int m_check_depth = 0;
};

}  // namespace rt
