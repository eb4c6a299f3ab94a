#pragma once
// tmpfs: a file system in memory. Directories are their dentries; a regular file's bytes are
// a memory object (so mapping it shares its pages), which may start as bytes of the initramfs,
// read in place until written; a symlink keeps its target text.
#include "dentry.hpp"

namespace rt {

class MemoryObject;

// A new tmpfs instance: its root directory's dentry (one reference), owned by root with
// permission bits `mode`. `type` is the name /proc/mounts shows ("tmpfs", "devtmpfs").
ErrorOr<Dentry*> tmpfs_create(const char* type, uint32_t mode);

// A regular file of `fs`'s file system (any tmpfs dentry's inode) whose contents are the
// `size` bytes at `data`, which outlive it (the initramfs). ENOMEM.
ErrorOr<Inode*> tmpfs_make_file_from(Inode& fs, uint32_t mode, const uint8_t* data, uint64_t size);

// A tmpfs regular file's memory object (for mmap and exec); nullptr for any other inode.
MemoryObject* tmpfs_memory(Inode& inode);

}  // namespace rt
