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
};

// Loads the ELF file `image` (`size` bytes) and starts it on `ex`. ENOEXEC for a file that is
// not a runnable riscv64 ELF, E2BIG for arguments over the limit, ENOMEM when memory runs out.
ErrorOr<Process*> spawn_program(const uint8_t* image, size_t size, const ProgramArgs& args, Executor& ex);

// execve's second half: replaces t's process image (single-threaded processes only, for now)
// with the ELF file `image`. On error the old image is untouched.
ErrorOr<void> exec_program(Thread& t, const uint8_t* image, size_t size, const ProgramArgs& args);

}  // namespace rt
