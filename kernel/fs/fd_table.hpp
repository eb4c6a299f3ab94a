#pragma once
// A process's file descriptors: small integers naming open files, each with its close-on-exec
// flag. The table grows as descriptors are opened, up to the caller's RLIMIT_NOFILE.
#include "file.hpp"
#include "kernel/lib/spinlock.hpp"

namespace rt {

class FdTable {
public:
    FdTable() = default;
    ~FdTable();
    FdTable(const FdTable&) = delete;
    FdTable& operator=(const FdTable&) = delete;

    // A copy sharing every open file (fork). ENOMEM if no memory.
    ErrorOr<FdTable*> clone();
    // The processes using this table: one, or more after clone(CLONE_FILES) without a thread.
    // The last release closes every descriptor.
    void retain() { m_users.fetch_add(1, std::memory_order_relaxed); }
    static void release(FdTable* table) {
        if (table && table->m_users.fetch_sub(1, std::memory_order_acq_rel) == 1) delete table;
    }

    // Installs `file` (taking the reference) at the lowest free descriptor >= `min_fd` and
    // below `limit`; EMFILE if none, ENOMEM if the table cannot grow. On failure the
    // reference is dropped.
    ErrorOr<int> install(FileRef file, bool cloexec, int min_fd, uint64_t limit);
    // dup3: `fd`'s file at `target` too, closing what was there. EBADF for a bad fd or a
    // target at or past `limit`.
    ErrorOr<int> duplicate_to(int fd, int target, bool cloexec, uint64_t limit);
    // The file at `fd` (a reference of its own); empty if `fd` is not open.
    FileRef get(int fd);
    ErrorOr<void> close(int fd);
    // close_range: closes (or, with `only_cloexec`, marks close-on-exec) every open
    // descriptor in [first, last].
    void close_range(unsigned first, unsigned last, bool only_cloexec);
    // The highest open descriptor plus one (for /proc/<pid>/fd), and the file at each.
    size_t size_hint();
    ErrorOr<bool> cloexec(int fd);
    ErrorOr<void> set_cloexec(int fd, bool on);
    // execve: closes every close-on-exec descriptor.
    void close_on_exec();

private:
    struct Entry {
        File* file = nullptr;
        bool cloexec = false;
    };
    // Makes room for index `fd`. m_lock held; may drop nothing.
    ErrorOr<void> grow_locked(size_t fd);

    SpinLock m_lock;
    Entry* m_entries = nullptr;
    size_t m_size = 0;
    std::atomic<int> m_users{1};
};

}  // namespace rt
