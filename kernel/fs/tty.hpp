#pragma once
// A terminal: its line discipline between a device and the processes that read and write it,
// its window size, and the job-control state of the session it is the controlling terminal of.
// The files opened on it (tty_file.hpp) forward here. A terminal lasts as long as the kernel
// (the console is the only one yet): files and processes point at it without a reference.
#include "kernel/async/wait_queue.hpp"
#include "kernel/lib/error_or.hpp"
#include "kernel/lib/spinlock.hpp"
#include "kernel/mm/address_space.hpp"
#include "line_discipline.hpp"

namespace rt {

struct Thread;
class File;

class Tty {
public:
    explicit Tty(LineDiscipline::Send send) : m_discipline(send) {}
    Tty(const Tty&) = delete;

    // Bytes from the line (the device's input, or TIOCSTI's). Not from an interrupt handler:
    // a signal character signals the foreground group, which allocates.
    void receive(const char* bytes, size_t n);

    // Reads as the termios settings say: a line in canonical mode, else by VMIN and VTIME (a
    // `nonblocking` read takes what there is). AGAIN if the read must wait (read_deadline
    // says until when).
    ErrorOr<size_t> read(AddressSpace& space, uint64_t buf, size_t len, bool nonblocking);
    // Writes through output processing; AGAIN while output is stopped (IXON, TCXONC).
    ErrorOr<size_t> write(AddressSpace& space, uint64_t buf, size_t len);
    uint32_t poll() const;
    uint32_t local_flags() const {
        SpinLockGuard g(m_lock);
        return m_discipline.termios().lflag;
    }
    WaitQueue& readiness() { return m_readiness; }
    // VTIME: when a blocking read that began waiting at `started` ends with what there is.
    uint64_t read_deadline(uint64_t started) const;

    // The terminal ioctls (tty_ioctl.cpp), on `file` (opened on this terminal) from `caller`.
    ErrorOr<long> ioctl(Thread& caller, File& file, uint32_t request, uint64_t arg);

    // The session this is the controlling terminal of (0: none) and its foreground process
    // group. g_process_lock.
    int session = 0, foreground = 0;

private:
    // Whether a read of up to `want` bytes can return now; m_lock held.
    bool input_ready_locked(size_t want) const;
    // Signals the foreground process group (ISIG).
    void signal_foreground(int sig);
    ErrorOr<long> set_termios(Thread& caller, uint32_t request, uint64_t arg);
    ErrorOr<long> set_window_size(Thread& caller, uint64_t arg);
    ErrorOr<long> flow_control(Thread& caller, uint64_t arg);
    ErrorOr<long> flush(Thread& caller, uint64_t arg);

    mutable SpinLock m_lock;  // everything below
    LineDiscipline m_discipline;
    WinSize m_window{};
    uint64_t m_last_receive_ns = 0;  // for VTIME's timer between bytes
    WaitQueue m_readiness;
};

}  // namespace rt
