#pragma once
// The operations on names that the system calls make: open (and create), make a node, remove,
// link, symlink, rename. Each walks from a WalkContext (root, starting directory,
// credentials) and checks permissions as Linux does.
#include "path_walk.hpp"

namespace rt {

// open(2): `flags` as given, `mode` already masked by the umask.
ErrorOr<FileRef> vfs_open(const WalkContext& ctx, const char* path, uint32_t flags, uint32_t mode, Thread& opener);
// mknod(2)/mkdir(2): a new node of `mode` (type included) and device `rdev`.
ErrorOr<void> vfs_make_node(const WalkContext& ctx, const char* path, uint32_t mode, uint64_t rdev);
// unlink(2) (`directory` false) or rmdir(2).
ErrorOr<void> vfs_remove(const WalkContext& ctx, const char* path, bool directory);
ErrorOr<void> vfs_symlink(const WalkContext& ctx, const char* target, const char* path);
ErrorOr<void> vfs_link(const WalkContext& from_ctx, const char* from, const WalkContext& to_ctx, const char* to,
                       bool follow);
// renameat2 flags.
inline constexpr uint32_t kRenameNoreplace = 1, kRenameExchange = 2, kRenameWhiteout = 4;
ErrorOr<void> vfs_rename(const WalkContext& from_ctx, const char* from, const WalkContext& to_ctx, const char* to,
                         uint32_t flags);

// Whether `creds` may change `inode`'s attributes (its owner, or root): chmod, utimes.
bool owns(const Inode& inode, const Credentials& creds);

}  // namespace rt
