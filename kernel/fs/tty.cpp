#include "tty.hpp"

#include "controlling_tty.hpp"
#include "file.hpp"
#include "kernel/lib/platform.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/proc/signal.hpp"

namespace rt {
namespace {

constexpr size_t kChunk = 256;
constexpr uint64_t kDecisecond = 100'000'000;

int signal_of(LineDiscipline::Signal s) {
    switch (s) {
    case LineDiscipline::Signal::Interrupt: return kSigInt;
    case LineDiscipline::Signal::Quit: return kSigQuit;
    case LineDiscipline::Signal::Suspend: return kSigTstp;
    case LineDiscipline::Signal::None: break;
    }
    return 0;
}

}  // namespace

void Tty::receive(const char* bytes, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        LineDiscipline::Signal s;
        {
            SpinLockGuard g(m_lock);
            s = m_discipline.receive(static_cast<uint8_t>(bytes[i]));
            m_last_receive_ns = platform::now_ns();
        }
        if (int sig = signal_of(s)) signal_foreground(sig);
    }
    m_readiness.notify(kPollIn | kPollOut);  // data, or output started again
}

void Tty::signal_foreground(int sig) {
    SpinLockGuard g(g_process_lock);
    if (foreground) signal_group_locked(foreground, sig);
}

bool Tty::input_ready_locked(size_t want) const {
    const Termios& t = m_discipline.termios();
    if (t.lflag & kIcanon) return m_discipline.line_ready();
    size_t queued = m_discipline.queued();
    size_t min = t.cc[kVmin] < want ? t.cc[kVmin] : want;
    if (min == 0) return queued > 0;
    if (queued >= min) return true;
    // VMIN and VTIME: the timer between bytes ends the wait with fewer.
    return t.cc[kVtime] && queued && platform::now_ns() >= m_last_receive_ns + t.cc[kVtime] * kDecisecond;
}

ErrorOr<size_t> Tty::read(AddressSpace& space, uint64_t buf, size_t len, bool nonblocking) {
    if (len == 0) return size_t{0};
    char chunk[kChunk];
    size_t done = 0;
    for (;;) {
        size_t n;
        bool line_end;
        {
            SpinLockGuard g(m_lock);
            const Termios& t = m_discipline.termios();
            bool canonical = t.lflag & kIcanon;
            if (done == 0 && !input_ready_locked(len) && (canonical || !nonblocking || !m_discipline.queued())) {
                // VMIN 0 and VTIME 0: a read never waits, it finds nothing.
                if (!canonical && t.cc[kVmin] == 0 && t.cc[kVtime] == 0) return size_t{0};
                return Error(Errno::AGAIN);
            }
            size_t want = len - done < kChunk ? len - done : kChunk;
            n = m_discipline.take(chunk, want, line_end);
        }
        if (n) {
            // A bad buffer loses the bytes taken, as it would on Linux.
            if (auto r = copy_to_user(space, buf + done, chunk, n); r.is_error()) {
                if (done) return done;
                return r.error();
            }
        }
        done += n;
        if (line_end || done == len || n < kChunk) return done;
    }
}

ErrorOr<size_t> Tty::write(AddressSpace& space, uint64_t buf, size_t len) {
    if (!user_range_ok(buf, len)) return Error(Errno::FAULT);
    char chunk[kChunk];
    size_t done = 0;
    while (done < len) {
        size_t n = len - done < kChunk ? len - done : kChunk;
        if (auto r = copy_from_user(space, chunk, buf + done, n); r.is_error()) {
            if (done) break;  // a partial write, as Linux reports it
            return r.error();
        }
        SpinLockGuard g(m_lock);
        if (m_discipline.output_stopped()) {
            if (done) break;
            return Error(Errno::AGAIN);
        }
        m_discipline.write(chunk, n);
        done += n;
    }
    return done;
}

uint32_t Tty::poll() const {
    SpinLockGuard g(m_lock);
    return (input_ready_locked(~size_t{0}) ? kPollIn : 0) | (m_discipline.output_stopped() ? 0 : kPollOut);
}

uint64_t Tty::read_deadline(uint64_t started) const {
    SpinLockGuard g(m_lock);
    const Termios& t = m_discipline.termios();
    if ((t.lflag & kIcanon) || !t.cc[kVtime]) return kNoDeadline;
    uint64_t time = t.cc[kVtime] * kDecisecond;
    // VMIN 0: a timer from the start of the read; else one between bytes, from the first.
    if (!t.cc[kVmin]) return started + time;
    return m_discipline.queued() ? m_last_receive_ns + time : kNoDeadline;
}

}  // namespace rt
