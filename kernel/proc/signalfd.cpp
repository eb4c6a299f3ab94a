#include "signalfd.hpp"

#include <cstring>
#include <new>

#include "kernel/mm/user_access.hpp"
#include "signal.hpp"

namespace rt {
namespace {

// struct signalfd_siginfo.
struct SignalfdSiginfo {
    uint32_t signo;
    int32_t errno_, code;
    uint32_t pid, uid;
    int32_t fd;
    uint32_t tid, band, overrun, trapno;
    int32_t status, int_;
    uint64_t ptr, utime, stime, addr;
    uint16_t addr_lsb, pad2;
    int32_t syscall;
    uint64_t call_addr;
    uint32_t arch;
    uint8_t pad[28];
};
static_assert(sizeof(SignalfdSiginfo) == 128);

SignalfdSiginfo to_signalfd(const SigInfo& info) {
    SignalfdSiginfo out{};
    out.signo = static_cast<uint32_t>(info.signo);
    out.code = info.code;
    out.pid = static_cast<uint32_t>(info.pid);
    out.uid = info.uid;
    out.status = info.status;
    out.addr = info.addr;
    return out;
}

}  // namespace

SignalFd::SignalFd(Process& p, uint64_t mask, uint32_t flags)
    : File(flags), m_process(p), m_mask(mask), m_watch{{}, &posted, this} {}

SignalFd* SignalFd::create(Process& p, uint64_t mask, uint32_t flags) {
    auto* file = new (std::nothrow) SignalFd(p, mask, flags);
    if (!file) return nullptr;
    p.refs.fetch_add(1);
    SpinLockGuard g(g_process_lock);
    p.signal_watches.push_back(file->m_watch);
    file->update_ready_locked();
    return file;
}

SignalFd::~SignalFd() {
    {
        SpinLockGuard g(g_process_lock);
        m_process.signal_watches.remove(m_watch);
    }
    release_process(&m_process);
}

void SignalFd::set_mask(uint64_t mask) {
    m_mask.store(mask);
    {
        SpinLockGuard g(g_process_lock);
        update_ready_locked();
    }
    m_readiness.notify(kPollIn);
}

void SignalFd::posted(void* self, int sig) {
    auto* fd = static_cast<SignalFd*>(self);
    if (!(fd->m_mask.load() & sig_bit(sig))) return;
    fd->m_ready.store(true, std::memory_order_release);
    fd->m_readiness.notify(kPollIn);
}

void SignalFd::update_ready_locked() {
    m_ready.store((pending_anywhere_locked(m_process) & m_mask.load()) != 0, std::memory_order_release);
}

ErrorOr<size_t> SignalFd::read(AddressSpace& space, uint64_t buf, size_t len, uint64_t) {
    if (len < sizeof(SignalfdSiginfo)) return Error(Errno::INVAL);
    size_t done = 0;
    while (done + sizeof(SignalfdSiginfo) <= len) {
        SigInfo info;
        int sig;
        {
            SpinLockGuard g(g_process_lock);
            sig = take_process_signal(m_process, m_mask.load(), info);
        }
        if (!sig) break;
        SignalfdSiginfo out = to_signalfd(info);
        // Taken already: a bad buffer loses it, as on Linux.
        if (auto r = copy_to_user(space, buf + done, &out, sizeof out); r.is_error()) {
            if (!done) return r.error();
            break;
        }
        done += sizeof out;
    }
    {
        SpinLockGuard g(g_process_lock);
        update_ready_locked();
    }
    if (!done) return Error(Errno::AGAIN);
    return done;
}

Stat SignalFd::stat() const {
    return anonymous_inode_stat();
}

}  // namespace rt
