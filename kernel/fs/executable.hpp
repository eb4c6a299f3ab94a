#pragma once
// A program's bytes for execve: read in place when the file is an initramfs file nobody has
// written (nothing is copied), otherwise copied whole into a buffer of its own.
#include "vfs.hpp"

namespace rt {
class MemoryObject;
}

namespace rt {

struct Executable {
    const uint8_t* data = nullptr;
    size_t size = 0;
    uint8_t* copy = nullptr;
    PathRef where;  // the file (/proc/<pid>/exe)
    MemoryObject* object = nullptr;  // its pages, if a tmpfs file (kept by `where`)
    Inode* denied = nullptr;         // held off writers while it is loaded (ETXTBSY); a reference
    Executable() = default;
    Executable(const Executable&) = delete;
    ~Executable() {
        delete[] copy;
        if (denied) {
            allow_write_access(*denied);
            denied->unref();
        }
    }
};

// The file at `path` for `ctx`'s process to run: EACCES unless it is a regular file with
// execute permission for `ctx.creds`; ETXTBSY while it is open for writing (and no open for
// writing succeeds while `out` holds it); the walk's errors; ENOMEM.
ErrorOr<void> read_executable(const WalkContext& ctx, const char* path, Executable& out);

// The interpreter a dynamic ELF `program` names (PT_INTERP), read as read_executable reads it;
// `out` stays empty for a static program or one that is no ELF (the loader judges those).
ErrorOr<void> read_interpreter(const WalkContext& ctx, const Executable& program, Executable& out);

}  // namespace rt
