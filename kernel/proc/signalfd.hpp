#pragma once
// signalfd: the pending signals of a set, read as struct signalfd_siginfo instead of being
// delivered (the program blocks them). It watches the process that made it: Linux's reads
// the calling thread's and its process's pending signals; the file operations here do not
// know their caller, so this one reads those of the whole process, any thread's included
// (and a child that inherits it reads its parent's).
#include "kernel/fs/file.hpp"
#include "process.hpp"

namespace rt {

class SignalFd final : public File {
public:
    static constexpr FileKind kKind{"signalfd"};

    // A new signalfd for `mask` of `p`'s signals, open flags `flags`; nullptr if no memory.
    static SignalFd* create(Process& p, uint64_t mask, uint32_t flags);
    ~SignalFd() override;
    // signalfd4 on an existing one: the set changes.
    void set_mask(uint64_t mask);

    // As many pending signals of the set as fit (128 bytes each), taken off; EINVAL for a
    // buffer shorter than one, AGAIN if none is pending.
    ErrorOr<size_t> read(AddressSpace& space, uint64_t buf, size_t len, uint64_t offset) override;
    Stat stat() const override;
    uint32_t poll() const override { return m_ready.load(std::memory_order_acquire) ? kPollIn : 0; }
    WaitQueue* readiness() override { return &m_readiness; }
    const FileKind* kind() const override { return &kKind; }

private:
    SignalFd(Process& p, uint64_t mask, uint32_t flags);
    static void posted(void* self, int sig);
    // m_ready from what is pending now. g_process_lock held.
    void update_ready_locked();

    Process& m_process;  // a reference of its own
    std::atomic<uint64_t> m_mask;
    // Whether a signal of the set is pending: set as one is posted, looked at again as they
    // are read. (One taken meanwhile by a handler or sigwait leaves it set until then.)
    std::atomic<bool> m_ready{false};
    SignalWatch m_watch;
    WaitQueue m_readiness;
};

}  // namespace rt
