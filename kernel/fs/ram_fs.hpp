#pragma once
// The files until the VFS: the initramfs as an in-memory file system. A file of the archive
// gets a node the first time it is opened and is read in place until it is first written
// (then it has a buffer of its own); O_CREAT makes new files in the root or a directory of the
// archive. One flat table of paths, never shrinking (there is no unlink yet): the files issue
// turns this into tmpfs with real directories.
#include "file.hpp"
#include "initramfs.hpp"

namespace rt {

// Opens the file at normalized `path` (kernel/lib/path.hpp) with open(2) `flags` and, when it
// creates one, permission bits `mode`. ENOENT, EEXIST (O_CREAT|O_EXCL), EISDIR (a directory),
// ENOTDIR (O_DIRECTORY, or a trailing slash, on a file), ENOMEM.
ErrorOr<FileRef> ram_open(const char* path, bool trailing_slash, uint32_t flags, uint32_t mode);

// The bytes of the file at `path` (as execve gives it) for execve: the archive's in place, or
// a private copy of a file written since (held by `copy` until it goes).
struct RunnableImage {
    FileImage image{};
    uint8_t* copy = nullptr;
    RunnableImage() = default;
    RunnableImage(const RunnableImage&) = delete;
    ~RunnableImage() { delete[] copy; }
};
ErrorOr<void> ram_runnable(const char* path, RunnableImage& out);

}  // namespace rt
