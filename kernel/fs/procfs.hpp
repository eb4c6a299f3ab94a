#pragma once
// procfs: what the kernel knows, as files made up when they are opened. /proc/self, and per
// process /proc/<pid>/ with exe, cwd, root, fd/, cmdline, comm, stat, status and environ-less
// basics; system-wide meminfo, cpuinfo, mounts, uptime, loadavg, stat, filesystems, version.
#include "dentry.hpp"

namespace rt {

// A new procfs instance's root dentry. ENOMEM.
ErrorOr<Dentry*> procfs_create();

}  // namespace rt
