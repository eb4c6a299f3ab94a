#pragma once
// Path walk: from a starting directory, one component at a time, through "." and "..",
// mounts and symlinks (at most 40 followed per walk: ELOOP), checking search permission on
// every directory passed. The process's root bounds ".." (chroot).
#include "mount.hpp"

namespace rt {

struct WalkContext {
    const PathRef& root;  // the process's root
    const PathRef& start;  // where a relative path starts (cwd or a directory fd)
    const Credentials& creds;
    Process* caller;  // whose /proc/self this is (nullptr: the kernel's own walk)
};

enum WalkFlags : unsigned {
    kWalkFollow = 1,     // follow a symlink in the last component
    kWalkDirectory = 2,  // the last component must be a directory (as a trailing slash says)
};

// The place `path` names. ENOENT, ENOTDIR, ELOOP, EACCES, ENAMETOOLONG, ENOMEM.
ErrorOr<PathRef> walk(const WalkContext& ctx, const char* path, unsigned flags);

// The directory that would hold `path`'s last component, and that component (pointing into
// a copy), for calls that make, remove or rename an entry. `last_len` is 0 for the root
// ("/"); `trailing_slash` says whether the path ended in a slash. A last component of "." or
// ".." is returned as such: the callers refuse it with their own errors.
struct ParentWalk {
    PathRef dir;
    char last[kNameMax + 1] = {};
    size_t last_len = 0;
    bool trailing_slash = false;
};
ErrorOr<ParentWalk> walk_parent(const WalkContext& ctx, const char* path);

// The child `name` of directory `dir` (crossing mounts), or ENOENT; symlinks are not followed.
ErrorOr<PathRef> lookup_child(const PathRef& dir, const char* name, size_t len);

// The path of `p` as the process with root `root` sees it, into buf (NUL-terminated).
// ENAMETOOLONG (ERANGE for getcwd) if it does not fit. A place outside the root, or unlinked,
// is named as Linux does for /proc links: "(unreachable)" prefixes, " (deleted)" suffixes. A
// path on no mount (a memfd) is named from its file system's root.
ErrorOr<size_t> path_name(const PathRef& p, const PathRef& root, char* buf, size_t len);

}  // namespace rt
