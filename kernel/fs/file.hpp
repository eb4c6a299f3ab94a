#pragma once
// An open file: what a file descriptor refers to (Linux's "open file description"), shared by
// every descriptor dup'd or inherited from it. Each kind of file implements non-blocking
// operations (AGAIN where it would have to wait) and readiness over a WaitQueue; the system
// calls block by try, co_await readiness, retry (DESIGN §7).
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "kernel/async/wait_queue.hpp"
#include "kernel/lib/error_or.hpp"
#include "kernel/mm/address_space.hpp"

namespace rt {

struct Thread;
struct EpollItem;
class File;

// The kind of a file, for the calls that take one kind only (epoll_ctl, timerfd_settime,
// signalfd4): such a kind has a tag of its own, and file_cast finds it.
struct FileKind {
    const char* name;
};

// The last reference to `file` is going: every epoll registration of it goes too (epoll.cpp).
void forget_epoll_watches(File& file);
struct PathRef;

enum class FlockMode : uint8_t { None, Shared, Exclusive };

// Readiness bits, as poll(2) names them.
inline constexpr uint32_t kPollIn = 0x001, kPollPri = 0x002, kPollOut = 0x004, kPollErr = 0x008, kPollHup = 0x010,
                          kPollNval = 0x020, kPollRdnorm = 0x040, kPollWrnorm = 0x100, kPollRdhup = 0x2000;

// Open flags (asm-generic): those the files keep, and those open acts on.
inline constexpr uint32_t kOAccMode = 03, kORdonly = 0, kOWronly = 01, kORdwr = 02, kOAppend = 02000,
                          kONonblock = 04000;
inline constexpr uint32_t kOCreat = 0100, kOExcl = 0200, kOTrunc = 01000, kODirectory = 0200000,
                          kOCloexec = 02000000, kONofollow = 0400000, kONoctty = 0400, kOPath = 010000000,
                          kOTmpfile = 020000000 | 0200000, kODirect = 040000, kOLargefile = 0100000,
                          kONoatime = 01000000, kOSync = 04010000, kODsync = 010000;
// The kernel's own open flag (no user flag has this bit; openat clears it): a named pipe opens
// its end even with no one on the other side yet, and its caller waits for them.
inline constexpr uint32_t kOFifoEndNow = 1u << 30;

// struct stat on riscv64 (the asm-generic layout).
struct Stat {
    uint64_t dev, ino;
    uint32_t mode, nlink, uid, gid;
    uint64_t rdev, pad1;
    int64_t size;
    int32_t blksize, pad2;
    int64_t blocks, atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
    uint32_t unused[2];
};
static_assert(sizeof(Stat) == 128);

// What fstat shows of a file with no inode of its own (epoll, eventfd, timerfd, signalfd): an
// inode of the anonymous device, as Linux's anon_inodefs.
Stat anonymous_inode_stat();

class File {
public:
    // O_NOCTTY acts on the open alone (a terminal's), so no file keeps it.
    explicit File(uint32_t flags) : m_flags(flags & ~kONoctty) {}
    virtual ~File() = default;
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    // Copies up to `len` bytes at `offset` to the user buffer `buf` (in `space`, the active
    // space). AGAIN if nothing is there yet and more may come; 0 at the end.
    virtual ErrorOr<size_t> read(AddressSpace& space, uint64_t buf, size_t len, uint64_t offset) = 0;
    // Copies up to `len` bytes from `buf` to the file at `offset`. AGAIN if it cannot take any
    // now. EBADF by default: a kind that cannot be written.
    virtual ErrorOr<size_t> write(AddressSpace& space, uint64_t buf, size_t len, uint64_t offset);
    virtual Stat stat() const = 0;
    // Whether offsets mean anything (lseek, pread); ESPIPE otherwise.
    virtual bool seekable() const { return false; }
    // A byte stream (a pipe, a terminal): a blocking write goes on until all of it is written.
    // Any other file takes what one call of write() takes (an eventfd, 8 bytes).
    virtual bool stream() const { return false; }
    // Readiness now (kPoll* bits) and where changes to it are announced (nullptr: it never
    // changes; a read or write never returns AGAIN).
    virtual uint32_t poll() const { return kPollIn | kPollRdnorm | kPollOut | kPollWrnorm; }
    virtual WaitQueue* readiness() { return nullptr; }
    // A request ioctl(2) did not handle generically (FIOCLEX, FIONBIO...), from `caller`: the
    // result, or ENOTTY for a kind that knows no such request.
    virtual ErrorOr<long> ioctl(Thread& caller, uint32_t request, uint64_t arg);
    // Likewise a command fcntl(2) did not handle (F_SETPIPE_SZ...): EINVAL for a kind that
    // knows no such command.
    virtual ErrorOr<long> fcntl(Thread& caller, uint32_t command, uint64_t arg);
    // Where in the tree the file was opened; nullptr for a file that has no name (a pipe).
    virtual const PathRef* path() const { return nullptr; }
    // Directories: entries in getdents64's format, as many as fit in `len` bytes at `buf`,
    // from the file position on. ENOTDIR by default.
    virtual ErrorOr<size_t> read_dir(AddressSpace& space, uint64_t buf, size_t len);
    // A terminal's job control, before each try of a read or write by `caller`: EIO, or
    // RESTARTSYS once the caller's group has been sent SIGTTIN or SIGTTOU. Other kinds let
    // every caller through.
    virtual ErrorOr<void> check_job_control(Thread& caller, bool writing);
    // A terminal's VTIME: a blocking read that began waiting at `started` (platform::now_ns)
    // and still finds nothing ready at this deadline returns 0. kNoDeadline: it waits on.
    virtual uint64_t read_deadline(uint64_t) const { return kNoDeadline; }

    uint32_t flags() const { return m_flags.load(std::memory_order_relaxed); }
    // fcntl(F_SETFL): only O_APPEND and O_NONBLOCK change.
    void set_status_flags(uint32_t f) {
        constexpr uint32_t kChangeable = kOAppend | kONonblock;
        m_flags.store((flags() & ~kChangeable) | (f & kChangeable), std::memory_order_relaxed);
    }
    bool readable() const { return (flags() & kOAccMode) != kOWronly; }
    bool writable() const { return (flags() & kOAccMode) != kORdonly; }

    // The file position: read and write without an offset use and advance it.
    std::atomic<uint64_t> position{0};
    // The flock(2) lock this open file holds on its inode (flock.hpp), under the inode's lock.
    FlockMode flock_mode = FlockMode::None;

    // The kind's tag, for file_cast; nullptr for kinds no call needs to tell apart.
    virtual const FileKind* kind() const { return nullptr; }

    void retain() { m_refs.fetch_add(1, std::memory_order_relaxed); }
    // A reference unless the last one is already gone (the file is being torn down).
    bool try_retain() {
        for (int r = m_refs.load(std::memory_order_relaxed); r;)
            if (m_refs.compare_exchange_weak(r, r + 1, std::memory_order_acquire, std::memory_order_relaxed)) return true;
        return false;
    }
    // The last release lets go of the flock lock and the epoll registrations, and frees it.
    void release() {
        if (m_refs.fetch_sub(1, std::memory_order_acq_rel) == 1) destroy();
    }

    // The epoll registrations of this file, as Linux's f_ep: they go with its last reference,
    // not with a descriptor. `epoll_watched` is set once the first is made (then the last
    // release takes epoll's lock); the list is under that lock (epoll.cpp).
    std::atomic<bool> epoll_watched{false};
    EpollItem* epoll_items = nullptr;

private:
    void destroy();  // out of line: the rare last release stays off every read's and write's path
    std::atomic<uint32_t> m_flags;
    std::atomic<int> m_refs{1};
};

// `f` as the kind T (which has `static constexpr FileKind kKind`), or nullptr if it is another.
template <typename T>
T* file_cast(File* f) {
    return f && f->kind() == &T::kKind ? static_cast<T*>(f) : nullptr;
}

// Holds one reference to a File for as long as it lives.
class FileRef {
public:
    FileRef() = default;
    explicit FileRef(File* f) : m_file(f) {}  // adopts a reference
    FileRef(FileRef&& o) noexcept : m_file(o.m_file) { o.m_file = nullptr; }
    FileRef& operator=(FileRef&& o) noexcept {
        if (this != &o) {
            if (m_file) m_file->release();
            m_file = o.m_file;
            o.m_file = nullptr;
        }
        return *this;
    }
    ~FileRef() {
        if (m_file) m_file->release();
    }
    File* get() const { return m_file; }
    File* operator->() const { return m_file; }
    explicit operator bool() const { return m_file != nullptr; }
    File* leak() {
        File* f = m_file;
        m_file = nullptr;
        return f;
    }

private:
    File* m_file = nullptr;
};

}  // namespace rt
