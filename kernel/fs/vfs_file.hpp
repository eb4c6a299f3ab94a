#pragma once
// Open files of the tree: a regular file, a directory, or a name only (O_PATH). Each keeps the
// path it was opened by (fchdir, /proc/<pid>/fd, the *at calls) and reaches its inode through it.
#include "mount.hpp"

namespace rt {

// A new open file for `path`'s inode (a regular file, a directory, or O_PATH for any kind).
ErrorOr<FileRef> open_inode_file(const PathRef& path, uint32_t flags);

// The base of files that have a path: stat() and path() from it.
class PathFile : public File {
public:
    PathFile(const PathRef& path, uint32_t flags) : File(flags), m_path(path) {}
    ErrorOr<size_t> read(AddressSpace&, uint64_t, size_t, uint64_t) override { return Error(Errno::BADF); }
    ErrorOr<size_t> write(AddressSpace&, uint64_t, size_t, uint64_t) override { return Error(Errno::BADF); }
    Stat stat() const override { return m_path.inode()->stat(); }
    const PathRef* path() const override { return &m_path; }
    Inode& inode() const { return *m_path.inode(); }

private:
    PathRef m_path;
};

}  // namespace rt
