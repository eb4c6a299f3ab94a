#include "fd_table.hpp"

#include <new>

namespace rt {

FdTable::~FdTable() {
    for (size_t i = 0; i < m_size; ++i)
        if (m_entries[i].file) m_entries[i].file->release();
    delete[] m_entries;
}

ErrorOr<FdTable*> FdTable::clone() {
    auto* copy = new (std::nothrow) FdTable;
    if (!copy) return Error(Errno::NOMEM);
    SpinLockGuard g(m_lock);
    // Only as far as the highest open descriptor, rounded as grow_locked rounds: a table that
    // once held thousands of descriptors does not make every child pay for them.
    size_t used = m_size;
    while (used && !m_entries[used - 1].file) --used;
    size_t size = used ? 16 : 0;
    while (size && size < used) size *= 2;
    if (size) {
        copy->m_entries = new (std::nothrow) Entry[size];
        if (!copy->m_entries) {
            delete copy;
            return Error(Errno::NOMEM);
        }
        copy->m_size = size;
        for (size_t i = 0; i < used; ++i) {
            copy->m_entries[i] = m_entries[i];
            if (m_entries[i].file) m_entries[i].file->retain();
        }
    }
    return copy;
}

ErrorOr<void> FdTable::grow_locked(size_t fd) {
    if (fd < m_size) return {};
    size_t size = m_size ? m_size : 16;
    while (size <= fd) size *= 2;
    auto* entries = new (std::nothrow) Entry[size];
    if (!entries) return Error(Errno::NOMEM);
    for (size_t i = 0; i < m_size; ++i) entries[i] = m_entries[i];
    delete[] m_entries;
    m_entries = entries;
    m_size = size;
    return {};
}

ErrorOr<int> FdTable::install(FileRef file, bool cloexec, int min_fd, uint64_t limit) {
    if (min_fd < 0) return Error(Errno::INVAL);
    SpinLockGuard g(m_lock);
    size_t fd = static_cast<size_t>(min_fd);
    while (fd < m_size && m_entries[fd].file) ++fd;
    if (fd >= limit) return Error(Errno::MFILE);
    TRY(grow_locked(fd));
    m_entries[fd] = {file.leak(), cloexec};
    return static_cast<int>(fd);
}

ErrorOr<int> FdTable::duplicate_to(int fd, int target, bool cloexec, uint64_t limit) {
    if (target < 0 || static_cast<uint64_t>(target) >= limit) return Error(Errno::BADF);
    File* old = nullptr;
    {
        SpinLockGuard g(m_lock);
        if (fd < 0 || static_cast<size_t>(fd) >= m_size || !m_entries[fd].file) return Error(Errno::BADF);
        TRY(grow_locked(static_cast<size_t>(target)));
        File* f = m_entries[fd].file;
        f->retain();
        old = m_entries[target].file;
        m_entries[target] = {f, cloexec};
    }
    if (old) old->release();  // outside the lock: the last reference may free a lot
    return target;
}

FileRef FdTable::get(int fd) {
    SpinLockGuard g(m_lock);
    if (fd < 0 || static_cast<size_t>(fd) >= m_size || !m_entries[fd].file) return {};
    m_entries[fd].file->retain();
    return FileRef(m_entries[fd].file);
}

ErrorOr<void> FdTable::close(int fd) {
    File* f;
    {
        SpinLockGuard g(m_lock);
        if (fd < 0 || static_cast<size_t>(fd) >= m_size || !m_entries[fd].file) return Error(Errno::BADF);
        f = m_entries[fd].file;
        m_entries[fd] = {};
    }
    f->release();
    return {};
}

void FdTable::close_range(unsigned first, unsigned last, bool only_cloexec) {
    // One descriptor at a time: a file's release must not run under the table's lock.
    for (size_t fd = first; fd <= last; ++fd) {
        File* f = nullptr;
        {
            SpinLockGuard g(m_lock);
            if (fd >= m_size) return;
            if (!m_entries[fd].file) continue;
            if (only_cloexec) {
                m_entries[fd].cloexec = true;
                continue;
            }
            f = m_entries[fd].file;
            m_entries[fd] = {};
        }
        f->release();
    }
}

size_t FdTable::size_hint() {
    SpinLockGuard g(m_lock);
    size_t n = m_size;
    while (n && !m_entries[n - 1].file) --n;
    return n;
}

ErrorOr<bool> FdTable::cloexec(int fd) {
    SpinLockGuard g(m_lock);
    if (fd < 0 || static_cast<size_t>(fd) >= m_size || !m_entries[fd].file) return Error(Errno::BADF);
    return m_entries[fd].cloexec;
}

ErrorOr<void> FdTable::set_cloexec(int fd, bool on) {
    SpinLockGuard g(m_lock);
    if (fd < 0 || static_cast<size_t>(fd) >= m_size || !m_entries[fd].file) return Error(Errno::BADF);
    m_entries[fd].cloexec = on;
    return {};
}

void FdTable::close_on_exec() {
    for (size_t fd = 0;; ++fd) {
        File* f = nullptr;
        {
            SpinLockGuard g(m_lock);
            if (fd >= m_size) return;
            if (m_entries[fd].cloexec) {
                f = m_entries[fd].file;
                m_entries[fd] = {};
            }
        }
        if (f) f->release();
    }
}

}  // namespace rt
