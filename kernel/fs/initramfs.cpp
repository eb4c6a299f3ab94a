#include "initramfs.hpp"

#include <cstring>

#include "kernel/boot/boot_info.hpp"
#include "kernel/lib/cpio.hpp"
#include "kernel/mm/address.hpp"

namespace rt {

ErrorOr<FileImage> initramfs_find(const char* path) {
    const BootInfo& info = g_boot_info;
    if (!info.initrd.size) return Error(Errno::NOENT);
    CpioReader reader(phys_to_virt<const uint8_t>(info.initrd.base), info.initrd.size);
    while (*path == '/') ++path;
    while (path[0] == '.' && path[1] == '/') path += 2;
    size_t n = strlen(path);
    CpioEntry e;
    while (TRY(reader.next(e))) {
        if (e.is_regular() && e.name_len == n && memcmp(e.name, path, n) == 0) return FileImage{e.data, e.data_size, e.mode & 07777, e.ino, e.uid, e.gid, e.mtime};
    }
    return Error(Errno::NOENT);
}

}  // namespace rt
