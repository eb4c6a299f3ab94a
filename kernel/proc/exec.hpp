#pragma once
// Starting a program: an ELF64 image (static ET_EXEC or static-pie ET_DYN) loaded into a new
// address space, with the initial stack Linux's ABI promises (argc, argv, envp, auxv).
#include <cstddef>
#include <cstdint>

#include "process.hpp"

namespace rt {

struct ProgramArgs {
    const char* path;               // AT_EXECFN
    const char* const* argv;        // nullptr-terminated
    const char* const* envp;        // nullptr-terminated
    Affinity affinity = Affinity::Any;  // Pinned: the thread stays on `ex`
    const Credentials* creds = nullptr;  // for AT_UID and friends; root if none
    // The program's interpreter (PT_INTERP), already read: loaded beside it and run first,
    // with AT_BASE telling it where it is. Required when the program names one.
    const uint8_t* interp = nullptr;
    size_t interp_size = 0;
    // The files' memory objects, when they have them (tmpfs): the segments then map the
    // file's pages copy-on-write instead of copying the bytes.
    MemoryObject* image_object = nullptr;
    MemoryObject* interp_object = nullptr;
};

// Loads the ELF file `image` (`size` bytes) and starts it on `ex`. ENOEXEC for a file that is
// not a runnable riscv64 ELF, E2BIG for arguments over the limit, ENOMEM when memory runs out.
ErrorOr<Process*> spawn_program(const uint8_t* image, size_t size, const ProgramArgs& args, Executor& ex);

// execve in two steps. prepare_program builds the new image in a new address space (on error
// the caller's image is untouched); commit_program switches the process to it, once its other
// threads are gone, and frees the old one.
struct PreparedProgram {
    AddressSpace* space;
    uint64_t entry, sp, brk;
};
ErrorOr<PreparedProgram> prepare_program(const uint8_t* image, size_t size, const ProgramArgs& args);
void commit_program(Thread& t, const PreparedProgram& prog);

}  // namespace rt
