#pragma once
// Reader for cpio "newc" archives (`cpio -o -H newc`, magic 070701; the 070702 "crc" variant is
// read the same way, its checksum ignored): the initramfs format. The archive is one buffer
// already in memory; entries point into it, nothing is copied or allocated. Every header field
// is hostile: an entry returned by next() lies entirely inside the buffer, and its name is safe
// to use as a path relative to the root.
#include <cstddef>
#include <cstdint>

#include "error_or.hpp"

namespace rt {

namespace cpio {
// File type bits of the mode (the Linux S_IF* values, which is what the archive stores).
constexpr uint32_t kModeTypeMask = 0170000;
constexpr uint32_t kModeFifo = 0010000;
constexpr uint32_t kModeCharDevice = 0020000;
constexpr uint32_t kModeDirectory = 0040000;
constexpr uint32_t kModeBlockDevice = 0060000;
constexpr uint32_t kModeRegular = 0100000;
constexpr uint32_t kModeSymlink = 0120000;
constexpr uint32_t kModeSocket = 0140000;

constexpr size_t kHeaderSize = 110;
constexpr size_t kMaxNameSize = 4096;     // PATH_MAX, counting the NUL
constexpr size_t kMaxSymlinkSize = 4095;  // a target plus its NUL must fit in PATH_MAX
}  // namespace cpio

struct CpioEntry {
    // The normalized path, relative to the root and without a trailing NUL (the byte after it
    // is not necessarily NUL: use name_len). Empty for the root directory itself (".").
    const char* name = nullptr;
    size_t name_len = 0;

    uint32_t ino = 0;    // with nlink > 1, entries sharing ino are hard links; GNU cpio stores
    uint32_t nlink = 0;  // the data once, on the last of them (the others have data_size 0)
    uint32_t mode = 0;   // type bits (cpio::kModeTypeMask) and permissions
    uint32_t uid = 0;
    uint32_t gid = 0;
    uint32_t mtime = 0;
    uint32_t dev_major = 0;
    uint32_t dev_minor = 0;
    uint32_t rdev_major = 0;  // for character and block devices
    uint32_t rdev_minor = 0;

    // A regular file's contents, or a symlink's target (no NUL; 1..cpio::kMaxSymlinkSize
    // bytes). Empty for every other type.
    const uint8_t* data = nullptr;
    size_t data_size = 0;

    uint32_t type() const { return mode & cpio::kModeTypeMask; }
    bool is_root() const { return name_len == 0; }
    bool is_regular() const { return type() == cpio::kModeRegular; }
    bool is_directory() const { return type() == cpio::kModeDirectory; }
    bool is_symlink() const { return type() == cpio::kModeSymlink; }
};

// Iterates over the entries of data[0, size):
//
//   CpioReader reader(data, size);
//   CpioEntry e;
//   while (TRY(reader.next(e))) { ... }
//
// Decisions:
// - Names: leading "./" and "/" are stripped and so are trailing "/"; what remains must be a
//   canonical relative path: no empty, "." or ".." components ("a//b", "a/./b", "../x" are
//   rejected). "." (or "./", "/") is the root: reported with an empty name, so its owner and
//   permissions can be applied; it must be a directory. A raw empty name is rejected.
// - Only regular files and symlinks may carry data; any known file type is accepted.
// - The trailer "TRAILER!!!" is never returned. The start of the buffer and the end of each
//   trailer are boundaries: zero bytes there are skipped (padding to 512 bytes, as the Linux
//   initramfs allows); then the buffer either ends (next() returns false: an empty buffer is an
//   empty archive) or another archive starts, at a 4-byte-aligned offset, and iteration goes on
//   into it. Anything else there is an error, as is a buffer that ends without a trailer.
// - Padding bytes are not required to be zero (Linux does not check them either).
//
// Errors (sticky: once next() fails, it keeps failing with the same error):
//   Errno::INVAL        a bad magic or non-hex digit, a size or padding past the end of the
//                       buffer (a truncated archive), a bad name, data on a directory, ...
//   Errno::NAMETOOLONG  a name longer than PATH_MAX (namesize > cpio::kMaxNameSize)
class CpioReader {
public:
    CpioReader(const uint8_t* data, size_t size) : m_data(data), m_size(data ? size : 0) {}

    // True with the next entry in `out`; false at the end of the archive.
    ErrorOr<bool> next(CpioEntry& out);

    // Offset of the next header to read (for error messages).
    size_t offset() const { return m_pos; }

private:
    enum class State { Boundary, InArchive, End, Failed };

    ErrorOr<bool> read_entry(CpioEntry& out);
    ErrorOr<bool> fail(Errno e);

    const uint8_t* m_data;
    size_t m_size;
    size_t m_pos = 0;
    State m_state = State::Boundary;
    Errno m_error = Errno::INVAL;
};

}  // namespace rt
