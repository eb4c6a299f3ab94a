#pragma once
// An inode: one file-system object (file, directory, symlink, device, fifo) with its
// attributes. Each file system derives its kinds from Inode and overrides the operations its
// kinds have; the defaults answer as Linux does for a kind without the operation. Directory
// contents live in dentries (dentry.hpp): a file system whose directories are entirely in the
// dentry tree (tmpfs, devfs) never sees lookups; one that makes its entries up (procfs)
// answers lookup() and list().
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "file.hpp"
#include "kernel/lib/spinlock.hpp"
#include "kernel/proc/credentials.hpp"

namespace rt {

class Dentry;
class Inode;
class SuperBlock;
struct PathRef;
struct Thread;
struct Process;

// File type bits of a mode (S_IF*).
inline constexpr uint32_t kSIfmt = 0170000, kSIfsock = 0140000, kSIflnk = 0120000, kSIfreg = 0100000,
                          kSIfblk = 060000, kSIfdir = 040000, kSIfchr = 020000, kSIfifo = 010000;
inline constexpr uint32_t kSIsuid = 04000, kSIsgid = 02000, kSIsvtx = 01000;

struct Timespec {
    int64_t sec = 0, nsec = 0;
};
// The wall clock now, for inode times.
Timespec current_time();

// What list() hands out for each entry.
struct DirEntry {
    const char* name;
    size_t name_len;
    uint64_t ino;
    uint32_t type;  // S_IF* bits
};

// A file system instance: its device number, name and the counts statfs reports.
class SuperBlock {
public:
    SuperBlock(const char* type, uint64_t dev, uint64_t magic) : type(type), dev(dev), magic(magic) {}
    virtual ~SuperBlock() = default;
    const char* const type;  // "tmpfs", "proc", "devtmpfs"
    const uint64_t dev;
    const uint64_t magic;  // statfs f_type
    std::atomic<uint64_t> next_ino{2};
    std::atomic<uint64_t> active_inodes{0};
};

class Inode {
public:
    Inode(SuperBlock& sb, uint32_t mode, const Credentials* owner);
    virtual ~Inode();
    Inode(const Inode&) = delete;
    Inode& operator=(const Inode&) = delete;

    void ref() { m_refs.fetch_add(1, std::memory_order_relaxed); }
    void unref() {
        if (m_refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }

    uint32_t type() const { return mode & kSIfmt; }
    bool is_dir() const { return type() == kSIfdir; }
    bool is_symlink() const { return type() == kSIflnk; }
    bool is_regular() const { return type() == kSIfreg; }

    // Attributes. `lock` guards them (and a kind's own data, unless it says otherwise).
    SuperBlock& sb;
    const uint64_t ino;
    mutable SpinLock lock;
    uint32_t mode;  // type and permission bits
    uint32_t uid = 0, gid = 0;
    uint32_t nlink = 1;
    uint64_t rdev = 0;
    Timespec atime, mtime, ctime;
    // flock(2): one exclusive holder or any number of shared ones (flock.hpp), under `lock`.
    uint32_t flock_shared = 0;
    bool flock_exclusive = false;
    // ETXTBSY (write_access.cpp's functions): > 0 opens for writing, < 0 programs running it.
    std::atomic<int> write_access{0};

    // Size in bytes, as stat reports it.
    virtual uint64_t size() const { return 0; }
    Stat stat() const;

    // An open file for this inode reached through `path`, with open(2) `flags` (already checked
    // against the mode). Regular files, directories and symlinks (O_PATH) have defaults.
    virtual ErrorOr<FileRef> open(const PathRef& path, uint32_t flags, Thread& opener);

    // Regular files: data at `offset` (kernel buffers). EISDIR/EINVAL by default.
    virtual ErrorOr<size_t> read(void* buf, size_t len, uint64_t offset);
    virtual ErrorOr<size_t> write(const void* buf, size_t len, uint64_t offset);
    virtual ErrorOr<void> truncate(uint64_t size);

    // Symlinks: the target (no NUL) into buf, as `caller` sees it; EINVAL for others.
    virtual ErrorOr<size_t> readlink(char* buf, size_t len, Process* caller);
    // A new symlink's target, set before it is linked. EPERM where symlinks cannot be made.
    virtual ErrorOr<void> set_link(const char* target, size_t len);
    // A symlink that is a kernel object rather than text (procfs's exe, cwd, fd/N): the path it
    // stands for. EINVAL by default (follow the text).
    virtual ErrorOr<PathRef> follow(Process* caller) const;

    // Directories of a file system that makes its entries up: the inode named `name` (a new
    // reference), ENOENT if none. ENOENT by default: the dentry tree holds everything.
    virtual ErrorOr<Inode*> lookup(const char* name, size_t len);
    // Such a directory's entries past the first `skip`: calls emit for each until it returns
    // false; returns how many were emitted.
    virtual size_t list(size_t skip, bool (*emit)(void*, const DirEntry&), void* ctx);
    virtual bool made_up() const { return false; }

    // A new inode of this file system with `mode` (type included) and device `rdev`, owned by
    // `owner` (a directory's operation: the caller links it). EPERM where files cannot be
    // made (procfs).
    virtual ErrorOr<Inode*> make(uint32_t mode, uint64_t rdev, const Credentials& owner);
    // Whether entries can be added, removed or renamed here (tmpfs yes, procfs no).
    virtual bool writable_dir() const { return false; }

private:
    std::atomic<int> m_refs{1};
};

// Holds one reference to an inode.
class InodeRef {
public:
    InodeRef() = default;
    explicit InodeRef(Inode* i) : m_inode(i) {}  // adopts a reference
    InodeRef(InodeRef&& o) noexcept : m_inode(o.m_inode) { o.m_inode = nullptr; }
    InodeRef& operator=(InodeRef&& o) noexcept {
        if (this != &o) {
            if (m_inode) m_inode->unref();
            m_inode = o.m_inode;
            o.m_inode = nullptr;
        }
        return *this;
    }
    ~InodeRef() {
        if (m_inode) m_inode->unref();
    }
    Inode* get() const { return m_inode; }
    Inode* operator->() const { return m_inode; }
    explicit operator bool() const { return m_inode != nullptr; }
    Inode* leak() {
        Inode* i = m_inode;
        m_inode = nullptr;
        return i;
    }

private:
    Inode* m_inode = nullptr;
};

// Permission checks, as Linux makes them: `want` is a mask of 4 (read), 2 (write), 1 (execute
// or search). Root passes, except that execute needs some execute bit on a non-directory.
bool may_access(const Inode& inode, const Credentials& creds, uint32_t want);

// ETXTBSY, as Linux: a regular file open for writing (or being truncated) cannot be run, and a
// running program's file cannot be opened for writing or truncated. get_write_access is false
// while a program runs the file, deny_write_access while it is open for writing; each success
// is undone by its put/allow.
bool get_write_access(Inode& inode);
void put_write_access(Inode& inode);
bool deny_write_access(Inode& inode);
void allow_write_access(Inode& inode);

}  // namespace rt
