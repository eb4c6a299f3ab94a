#include "eventfd.hpp"

#include <new>

#include "kernel/mm/user_access.hpp"

namespace rt {
namespace {

constexpr uint64_t kMax = ~uint64_t{0};  // the counter never reaches it

class EventFd final : public File {
public:
    EventFd(uint64_t initial, bool semaphore, uint32_t flags)
        : File(flags), m_count(initial), m_semaphore(semaphore) {}

    ErrorOr<size_t> read(AddressSpace& space, uint64_t buf, size_t len, uint64_t) override {
        if (len < sizeof(uint64_t)) return Error(Errno::INVAL);
        uint64_t value;
        {
            SpinLockGuard g(m_lock);
            if (!m_count) return Error(Errno::AGAIN);
            value = m_semaphore ? 1 : m_count;
            m_count -= value;
        }
        m_readiness.notify(kPollOut);
        // Taken already: a bad buffer loses it, as on Linux.
        TRY(copy_to_user(space, buf, &value, sizeof value));
        return sizeof value;
    }

    ErrorOr<size_t> write(AddressSpace& space, uint64_t buf, size_t len, uint64_t) override {
        if (len < sizeof(uint64_t)) return Error(Errno::INVAL);
        uint64_t value;
        TRY(copy_from_user(space, &value, buf, sizeof value));
        if (value == kMax) return Error(Errno::INVAL);
        {
            SpinLockGuard g(m_lock);
            if (kMax - m_count <= value) return Error(Errno::AGAIN);
            m_count += value;
        }
        m_readiness.notify(kPollIn);
        return sizeof value;
    }

    Stat stat() const override {
        return anonymous_inode_stat();
    }

    uint32_t poll() const override {
        SpinLockGuard g(m_lock);
        uint32_t mask = 0;
        if (m_count) mask |= kPollIn;
        if (m_count < kMax - 1) mask |= kPollOut;
        return mask;
    }
    WaitQueue* readiness() override { return &m_readiness; }

private:
    mutable SpinLock m_lock;
    uint64_t m_count;
    bool m_semaphore;
    WaitQueue m_readiness;
};

}  // namespace

File* make_eventfd(uint64_t initial, bool semaphore, uint32_t flags) {
    return new (std::nothrow) EventFd(initial, semaphore, flags);
}

}  // namespace rt
