// The terminal ioctls of tty_ioctl(4): settings, window size, the controlling terminal and its
// foreground group, flushing and flow control. Anything else is ENOTTY.
#include "controlling_tty.hpp"
#include "file.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/proc/signal.hpp"
#include "tty.hpp"

namespace rt {
namespace {

enum : uint32_t {
    kTcgets = 0x5401, kTcsets = 0x5402, kTcsetsw = 0x5403, kTcsetsf = 0x5404, kTcsbrk = 0x5409,
    kTcxonc = 0x540a, kTcflsh = 0x540b, kTiocsctty = 0x540e, kTiocgpgrp = 0x540f, kTiocspgrp = 0x5410,
    kTiocoutq = 0x5411, kTiocsti = 0x5412, kTiocgwinsz = 0x5413, kTiocswinsz = 0x5414, kFionread = 0x541b,
    kTiocnotty = 0x5422, kTiocgsid = 0x5429,
};
enum : uint64_t { kTcooff = 0, kTcoon = 1, kTcioff = 2, kTcion = 3 };
enum : uint64_t { kTciflush = 0, kTcoflush = 1, kTcioflush = 2 };

template <typename T>
ErrorOr<long> put(Thread& t, uint64_t addr, const T& value) {
    TRY(UserPtr<T>(addr).write(*t.process->space, value));
    return 0;
}

// TIOCGPGRP and TIOCGSID answer only about the caller's own controlling terminal.
ErrorOr<long> get_job_id(Thread& t, Tty& tty, uint64_t arg, bool session) {
    int id;
    {
        SpinLockGuard g(g_process_lock);
        if (t.process->ctty != &tty) return Error(Errno::NOTTY);
        id = session ? tty.session : tty.foreground;
    }
    if (session && !id) return Error(Errno::NOTTY);
    return put(t, arg, int32_t{id});
}

// TIOCSPGRP: the foreground group becomes one of the caller's session.
ErrorOr<long> set_foreground(Thread& t, Tty& tty, uint64_t arg) {
    if (auto c = check_foreground(t, tty, kSigTtou); c.is_error())
        return Error(c.error().code == Errno::IO ? Errno::NOTTY : c.error().code);
    int32_t pgrp;
    TRY(UserPtr<int32_t>(arg).read(*t.process->space, pgrp));
    if (pgrp < 0) return Error(Errno::INVAL);
    Process& self = *t.process;
    SpinLockGuard g(g_process_lock);
    if (self.ctty != &tty || tty.session != self.sid) return Error(Errno::NOTTY);
    // The group's session: that of a member, or else of a process with that pid, as Linux.
    int sid = 0;
    for (Process* p = g_processes.front(); p && !sid; p = g_processes.next_of(*p))
        if (!p->zombie && p->pgid == pgrp) sid = p->sid;
    if (!sid)
        if (Process* p = find_process_locked(pgrp); p && !p->zombie) sid = p->sid;
    if (!sid) return Error(Errno::SRCH);
    if (sid != self.sid) return Error(Errno::PERM);
    tty.foreground = pgrp;
    return 0;
}

}  // namespace

ErrorOr<long> Tty::ioctl(Thread& t, File& file, uint32_t request, uint64_t arg) {
    switch (request) {
    case kTcgets: {
        Termios now;
        {
            SpinLockGuard g(m_lock);
            now = m_discipline.termios();
        }
        return put(t, arg, now);
    }
    case kTcsets:
    case kTcsetsw:
    case kTcsetsf: return set_termios(t, request, arg);
    case kTcsbrk: return 0;  // output is sent as it is written: drained already; no break control
    case kTcxonc: return flow_control(t, arg);
    case kTcflsh: return flush(t, arg);
    case kTiocsctty:
        TRY(make_controlling(*t.process, *this, file.readable(), arg == 1));
        return 0;
    case kTiocnotty:
        TRY(give_up_controlling(*t.process, *this));
        return 0;
    case kTiocgpgrp: return get_job_id(t, *this, arg, false);
    case kTiocgsid: return get_job_id(t, *this, arg, true);
    case kTiocspgrp: return set_foreground(t, *this, arg);
    case kTiocoutq: return put(t, arg, int32_t{0});  // nothing waits to be sent
    case kFionread: {
        size_t n;
        {
            SpinLockGuard g(m_lock);
            n = m_discipline.readable_bytes();
        }
        return put(t, arg, static_cast<int32_t>(n));
    }
    case kTiocsti: {
        // Faking input: on one's own controlling terminal, or with privilege.
        bool own;
        {
            SpinLockGuard g(g_process_lock);
            own = t.process->ctty == this;
        }
        if (!own && !t.process->creds.privileged()) return Error(Errno::PERM);
        char c;
        TRY(UserPtr<char>(arg).read(*t.process->space, c));
        receive(&c, 1);
        return 0;
    }
    case kTiocgwinsz: {
        WinSize w;
        {
            SpinLockGuard g(m_lock);
            w = m_window;
        }
        return put(t, arg, w);
    }
    case kTiocswinsz: return set_window_size(t, arg);
    default: return Error(Errno::NOTTY);
    }
}

ErrorOr<long> Tty::set_termios(Thread& t, uint32_t request, uint64_t arg) {
    TRY(check_foreground(t, *this, kSigTtou));
    Termios fresh;
    TRY(UserPtr<Termios>(arg).read(*t.process->space, fresh));
    // TCSETSW and TCSETSF wait for output to drain: it never waits here. TCSETSF then drops
    // unread input.
    {
        SpinLockGuard g(m_lock);
        if (request == kTcsetsf) m_discipline.flush_input();
        m_discipline.set_termios(fresh);
    }
    m_readiness.notify(kPollIn | kPollOut);  // a mode change can make input readable
    return 0;
}

ErrorOr<long> Tty::set_window_size(Thread& t, uint64_t arg) {
    WinSize fresh;
    TRY(UserPtr<WinSize>(arg).read(*t.process->space, fresh));
    bool changed;
    {
        SpinLockGuard g(m_lock);
        changed = fresh.rows != m_window.rows || fresh.cols != m_window.cols || fresh.xpixel != m_window.xpixel ||
                  fresh.ypixel != m_window.ypixel;
        m_window = fresh;
    }
    if (changed) signal_foreground(kSigWinch);
    return 0;
}

ErrorOr<long> Tty::flow_control(Thread& t, uint64_t arg) {
    TRY(check_foreground(t, *this, kSigTtou));
    {
        SpinLockGuard g(m_lock);
        const Termios& now = m_discipline.termios();
        switch (arg) {
        case kTcooff: m_discipline.stop_output(); break;
        case kTcoon: m_discipline.start_output(); break;
        case kTcioff:
            if (now.cc[kVstop] != kDisabledChar) m_discipline.send_raw(now.cc[kVstop]);
            break;
        case kTcion:
            if (now.cc[kVstart] != kDisabledChar) m_discipline.send_raw(now.cc[kVstart]);
            break;
        default: return Error(Errno::INVAL);
        }
    }
    m_readiness.notify(kPollOut);
    return 0;
}

ErrorOr<long> Tty::flush(Thread& t, uint64_t arg) {
    TRY(check_foreground(t, *this, kSigTtou));
    if (arg != kTciflush && arg != kTcoflush && arg != kTcioflush) return Error(Errno::INVAL);
    // Output is never held back, so only input has anything to drop.
    if (arg != kTcoflush) {
        SpinLockGuard g(m_lock);
        m_discipline.flush_input();
    }
    return 0;
}

}  // namespace rt
