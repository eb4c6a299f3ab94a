#pragma once
// The file tree at boot: a tmpfs root filled from the initramfs, devtmpfs on /dev (with the
// device nodes), procfs on /proc and a tmpfs on /tmp.
#include "kernel/lib/error_or.hpp"

namespace rt {

// Builds the tree. EINVAL for a malformed initramfs (what was unpacked before the bad entry
// stays), ENOMEM.
ErrorOr<void> vfs_init();

}  // namespace rt
