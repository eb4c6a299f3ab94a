#include "root_fs.hpp"

#include <cstring>
#include <new>

#include "char_devices.hpp"
#include "kernel/boot/boot_info.hpp"
#include "kernel/console.hpp"
#include "kernel/lib/cpio.hpp"
#include "kernel/mm/address.hpp"
#include "procfs.hpp"
#include "tmpfs.hpp"

namespace rt {
namespace {

const Credentials kRoot{};

// The hard-linked files of the archive: GNU cpio stores the data once, on the last entry of
// the inode, so a first pass finds it before the files are made.
struct HardLink {
    uint32_t ino;
    const uint8_t* data;
    size_t size;
    Inode* inode;  // made when the first of its names comes
};

// The directory `dir`'s child `name`, made as a directory if absent (a reference).
ErrorOr<Dentry*> child_dir(Dentry* dir, const char* name, size_t len, uint32_t mode) {
    if (Dentry* d = dir->find_child(name, len)) return d;
    Inode* inode = TRY(dir->inode()->make(kSIfdir | mode, 0, kRoot));
    Dentry* d = TRY(dir->add_child(name, len, inode));
    ++dir->inode()->nlink;
    return d;
}

// The directory holding `name`'s last component (made as needed; a reference) and where that
// component starts.
ErrorOr<Dentry*> parent_of(Dentry* root, const char* name, size_t len, size_t& last) {
    root->ref();
    Dentry* dir = root;
    size_t start = 0;
    for (size_t i = 0; i < len; ++i) {
        if (name[i] != '/') continue;
        auto next = child_dir(dir, name + start, i - start, 0755);
        dir->unref();
        dir = TRY(next);
        if (!dir->inode()->is_dir()) {
            dir->unref();
            return Error(Errno::NOTDIR);
        }
        start = i + 1;
    }
    last = start;
    return dir;
}

void set_attributes(Inode& inode, const CpioEntry& e) {
    inode.mode = (inode.mode & kSIfmt) | (e.mode & 07777);
    inode.uid = e.uid;
    inode.gid = e.gid;
    inode.atime = inode.mtime = inode.ctime = {e.mtime, 0};
}

ErrorOr<void> add_entry(Dentry* root, const CpioEntry& e, HardLink* links, size_t link_count) {
    if (e.is_root()) {
        set_attributes(*root->inode(), e);
        return {};
    }
    size_t last;
    Dentry* dir = TRY(parent_of(root, e.name, e.name_len, last));
    const char* name = e.name + last;
    size_t len = e.name_len - last;
    Inode& fs = *dir->inode();
    ErrorOr<Inode*> made = Error(Errno::INVAL);
    if (Dentry* existing = dir->find_child(name, len)) {
        // A directory made on the way for an earlier entry takes this entry's attributes.
        if (existing->inode()->is_dir() && e.is_directory()) set_attributes(*existing->inode(), e);
        existing->unref();
        dir->unref();
        return {};
    }
    HardLink* link = nullptr;
    for (size_t i = 0; e.nlink > 1 && i < link_count; ++i)
        if (links[i].ino == e.ino) link = &links[i];
    if (link && link->inode) {
        link->inode->ref();
        ++link->inode->nlink;
        made = link->inode;
    } else if (e.is_regular()) {
        made = link ? tmpfs_make_file_from(fs, e.mode, link->data, link->size)
                    : tmpfs_make_file_from(fs, e.mode, e.data, e.data_size);
    } else {
        uint64_t rdev = make_dev(e.rdev_major, e.rdev_minor);
        made = fs.make(e.mode & (kSIfmt | 07777), rdev, kRoot);
        if (!made.is_error() && e.is_symlink()) {
            if (auto r = made.value()->set_link(reinterpret_cast<const char*>(e.data), e.data_size); r.is_error()) {
                made.value()->unref();
                made = r.error();
            }
        }
    }
    if (made.is_error()) {
        dir->unref();
        return made.error();
    }
    Inode* inode = made.value();
    if (link && !link->inode) link->inode = inode;
    else if (!link) set_attributes(*inode, e);
    if (link && inode->nlink == 1) set_attributes(*inode, e);
    auto d = dir->add_child(name, len, inode);
    if (!d.is_error()) {
        if (inode->is_dir()) ++fs.nlink;
        d.value()->unref();
    }
    dir->unref();
    return d.is_error() ? ErrorOr<void>(d.error()) : ErrorOr<void>();
}

// Fills the root from the archive at [data, data + size).
ErrorOr<void> unpack(Dentry* root, const uint8_t* data, size_t size) {
    size_t link_count = 0;
    {
        CpioReader reader(data, size);
        CpioEntry e;
        while (TRY(reader.next(e)))
            if (e.is_regular() && e.nlink > 1 && e.data_size) ++link_count;
    }
    auto* links = new (std::nothrow) HardLink[link_count ? link_count : 1];
    if (!links) return Error(Errno::NOMEM);
    {
        CpioReader reader(data, size);
        CpioEntry e;
        size_t n = 0;
        for (auto more = reader.next(e); n < link_count && !more.is_error() && more.value(); more = reader.next(e))
            if (e.is_regular() && e.nlink > 1 && e.data_size) links[n++] = {e.ino, e.data, e.data_size, nullptr};
    }
    CpioReader reader(data, size);
    CpioEntry e;
    ErrorOr<void> result;
    for (;;) {
        auto more = reader.next(e);
        if (more.is_error()) {
            result = more.error();
            break;
        }
        if (!more.value()) break;
        if (auto r = add_entry(root, e, links, link_count); r.is_error()) {
            kprint("vfs: initramfs entry {} not unpacked (errno {})\n", std::string_view(e.name, e.name_len),
                   static_cast<int>(r.error().code));
        }
    }
    for (size_t i = 0; i < link_count; ++i)
        if (links[i].inode) links[i].inode->unref();
    delete[] links;
    return result;
}

struct Node {
    const char* name;
    uint32_t mode;
    uint32_t major, minor;
};
constexpr Node kDevices[] = {
    {"null", kSIfchr | 0666, 1, 3},    {"zero", kSIfchr | 0666, 1, 5},   {"full", kSIfchr | 0666, 1, 7},
    {"random", kSIfchr | 0666, 1, 8},  {"urandom", kSIfchr | 0666, 1, 9}, {"tty", kSIfchr | 0666, 5, 0},
    {"console", kSIfchr | 0600, 5, 1}, {"ttyS0", kSIfchr | 0660, 4, 64},
};
struct Link {
    const char* name;
    const char* target;
};
constexpr Link kDeviceLinks[] = {
    {"fd", "/proc/self/fd"}, {"stdin", "/proc/self/fd/0"}, {"stdout", "/proc/self/fd/1"}, {"stderr", "/proc/self/fd/2"},
};

ErrorOr<Dentry*> make_devfs() {
    Dentry* root = TRY(tmpfs_create("devtmpfs", 0755));
    Inode& fs = *root->inode();
    for (const Node& n : kDevices) {
        Inode* inode = TRY(fs.make(n.mode, make_dev(n.major, n.minor), kRoot));
        Dentry* d = TRY(root->add_child(n.name, strlen(n.name), inode));
        d->unref();
    }
    for (const Link& l : kDeviceLinks) {
        Inode* inode = TRY(fs.make(kSIflnk | 0777, 0, kRoot));
        TRY(inode->set_link(l.target, strlen(l.target)));
        Dentry* d = TRY(root->add_child(l.name, strlen(l.name), inode));
        d->unref();
    }
    for (const char* dir : {"pts", "shm"}) {
        Dentry* d = TRY(child_dir(root, dir, strlen(dir), dir[0] == 's' ? 01777 : 0755));
        d->unref();
    }
    return root;
}

// Mounts `fs` (adopting its reference) on the root's directory `name`, made if absent.
ErrorOr<void> mount_on(const PathRef& root, const char* name, uint32_t mode, Dentry* fs) {
    auto dir = child_dir(root.dentry, name, strlen(name), mode);
    if (dir.is_error()) {
        fs->unref();
        return dir.error();
    }
    PathRef at(root.mount, dir.value());
    return mount_at(at, fs, 0);
}

}  // namespace

ErrorOr<void> vfs_init() {
    Dentry* root = TRY(tmpfs_create("rootfs", 0755));
    TRY(mount_root(root));
    PathRef top = root_path();
    const BootInfo& info = g_boot_info;
    ErrorOr<void> unpacked;
    if (info.initrd.size) unpacked = unpack(root, phys_to_virt<const uint8_t>(info.initrd.base), info.initrd.size);
    TRY(mount_on(top, "dev", 0755, TRY(make_devfs())));
    TRY(mount_on(top, "tmp", 01777, TRY(tmpfs_create("tmpfs", 01777))));
    TRY(mount_on(top, "proc", 0555, TRY(procfs_create())));
    return unpacked;
}

}  // namespace rt
