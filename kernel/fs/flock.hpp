#pragma once
// flock(2) locks: whole-file advisory locks held by open files (shared by every descriptor
// dup'd or inherited from one), released by LOCK_UN or when the open file goes. Conversions
// between shared and exclusive are not atomic, as on Linux.
#include "kernel/async/task.hpp"
#include "mount.hpp"

namespace rt {

// Takes (or converts to) `mode` for `file` (a file with a path), waiting unless `nonblocking`
// (then EAGAIN). ERESTARTSYS if `cancel` ends the wait.
Task<ErrorOr<void>> flock_acquire(File& file, FlockMode mode, bool nonblocking, Cancellation* cancel);
// Lets go of `file`'s lock, if it holds one.
void flock_release(File& file);

}  // namespace rt
