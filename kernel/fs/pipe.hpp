#pragma once
// Pipes: a ring of bytes between reader ends and writer ends. pipe2 makes one of each; a
// named pipe (mkfifo) keeps one Pipe per inode and opens ends on it as processes open the
// name. Writes of up to kPipeBuf bytes are atomic; a read with no writer left sees the end
// (0); a write with no reader left fails with EPIPE (the write system call adds SIGPIPE).
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "file.hpp"

namespace rt {

inline constexpr size_t kPipeBuf = 4096;               // PIPE_BUF: writes up to this are atomic
inline constexpr size_t kPipeDefaultSize = 64 * 1024;  // Linux's default capacity
inline constexpr size_t kPipeMaxUserSize = 1024 * 1024;  // /proc/sys/fs/pipe-max-size

class Pipe {
public:
    // A new pipe without ends, owned by `uid`/`gid` (what fstat shows); the caller holds one
    // reference. nullptr if no memory.
    static Pipe* create(uint32_t uid, uint32_t gid);
    void retain() { m_refs.fetch_add(1, std::memory_order_relaxed); }
    void release() {
        if (m_refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }

    // A new open file on this pipe with open flags `flags`: a reader end (O_RDONLY), a writer
    // end (O_WRONLY) or both at once (O_RDWR, as a FIFO may be opened). The end counts as a
    // reader or writer until its last reference goes. nullptr if no memory.
    File* open_end(uint32_t flags);
    // How many ends of each kind are open now (a FIFO's open waits for the other side), and
    // where changes to that, like every readiness change, are announced.
    uint32_t readers();
    uint32_t writers();
    WaitQueue& readiness() { return m_readiness; }

    // The operations behind the ends (an end is just a reference and a side).
    ErrorOr<size_t> read(AddressSpace& space, uint64_t buf, size_t len) { return take(space, buf, len, true); }
    // A copy of what read would give, left in the pipe (tee).
    ErrorOr<size_t> peek(AddressSpace& space, uint64_t buf, size_t len) { return take(space, buf, len, false); }
    ErrorOr<size_t> write(AddressSpace& space, uint64_t buf, size_t len);
    uint32_t poll(bool reader, bool writer);
    size_t available();  // FIONREAD
    size_t capacity();   // F_GETPIPE_SZ
    // F_SETPIPE_SZ: the capacity becomes `size` rounded up to a power of two pages. EINVAL
    // past 2 GiB, EPERM past kPipeMaxUserSize unless `privileged`, EBUSY if the bytes in
    // the pipe do not fit, ENOMEM. Returns the new capacity.
    ErrorOr<size_t> resize(uint64_t size, bool privileged);
    void end_opened(bool reader, bool writer);
    void end_closed(bool reader, bool writer);
    Stat stat() const;

private:
    Pipe(uint32_t uid, uint32_t gid, uint64_t ino) : m_uid(uid), m_gid(gid), m_ino(ino) {}
    ~Pipe() { delete[] m_buffer; }
    size_t free_locked() const { return m_capacity - m_count; }
    // read and peek: up to `len` bytes to the user, removed from the pipe if `consume`.
    ErrorOr<size_t> take(AddressSpace& space, uint64_t buf, size_t len, bool consume);

    // The bytes are copied to and from user memory outside m_lock: a reader (or writer)
    // claims its side for the copy, so readers never interleave within one read and writers
    // never within one write. A claim lasts one copy, never a wait. While a side is claimed
    // it does not look ready to another caller of that side; whoever was turned away (or
    // polled) meanwhile is notified when the claim ends.
    SpinLock m_lock;
    char* m_buffer = nullptr;  // allocated by the first write
    size_t m_capacity = kPipeDefaultSize;
    size_t m_head = 0, m_count = 0;  // the bytes in the pipe: [m_head, m_head + m_count) mod capacity
    uint32_t m_readers = 0, m_writers = 0;
    bool m_reading = false, m_writing = false;  // the claims
    bool m_reader_turned_away = false, m_writer_turned_away = false;
    WaitQueue m_readiness;  // kPollIn, kPollOut, kPollHup, kPollErr
    std::atomic<int> m_refs{1};
    uint32_t m_uid, m_gid;
    uint64_t m_ino;
};

// The pipe an end of one is on; nullptr for any other file.
Pipe* pipe_of(File& file);

// pipe2's two ends of a new pipe, with O_NONBLOCK from `flags`. ENOMEM if no memory.
struct PipeEnds {
    FileRef reader, writer;
};
ErrorOr<PipeEnds> make_pipe(uint32_t flags, uint32_t uid, uint32_t gid);

}  // namespace rt
