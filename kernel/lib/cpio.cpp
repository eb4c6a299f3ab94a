// cpio newc reader: every size is checked against what is left of the buffer before it is used,
// so a hostile or truncated archive yields an error, never a read past the end.
#include "cpio.hpp"

#include <cstring>

namespace rt {
namespace {

// Header fields after the 6-byte magic, each 8 hex digits, in archive order.
enum Field { Ino, Mode, Uid, Gid, Nlink, Mtime, FileSize, DevMajor, DevMinor, RdevMajor,
             RdevMinor, NameSize, Check, FieldCount };
static_assert(6 + FieldCount * 8 == cpio::kHeaderSize);

constexpr char kTrailer[] = "TRAILER!!!";

// Offsets are relative to the start of the buffer: newc pads to 4 bytes from the archive start,
// and every archive in the buffer starts 4-aligned. Never overflows: x is at most size + 3.
size_t align4(size_t x) { return (x + 3) & ~size_t(3); }

bool parse_hex8(const uint8_t* p, uint32_t& out) {
    uint32_t v = 0;
    for (int i = 0; i < 8; ++i) {
        uint8_t c = p[i];
        uint32_t d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return false;  // strtoul would stop silently; a header is all digits or it is bad
        v = (v << 4) | d;
    }
    out = v;
    return true;
}

bool is_component_ok(const char* p, size_t len) {
    if (len == 0) return false;
    if (len == 1 && p[0] == '.') return false;
    if (len == 2 && p[0] == '.' && p[1] == '.') return false;
    return true;
}

// Turns an archive name into a canonical relative path (see cpio.hpp); false if it is not one.
bool normalize_name(const char*& name, size_t& len) {
    for (;;) {
        if (len >= 2 && name[0] == '.' && name[1] == '/') name += 2, len -= 2;
        else if (len >= 1 && name[0] == '/') name += 1, len -= 1;
        else break;
    }
    if (len == 1 && name[0] == '.') len = 0;
    while (len > 0 && name[len - 1] == '/') --len;
    size_t start = 0;
    for (size_t i = 0; i <= len && len > 0; ++i) {
        if (i == len || name[i] == '/') {
            if (!is_component_ok(name + start, i - start)) return false;
            start = i + 1;
        }
    }
    return true;
}

bool is_known_type(uint32_t type) {
    switch (type) {
        case cpio::kModeFifo: case cpio::kModeCharDevice: case cpio::kModeDirectory:
        case cpio::kModeBlockDevice: case cpio::kModeRegular: case cpio::kModeSymlink:
        case cpio::kModeSocket:
            return true;
        default: return false;
    }
}

}  // namespace

ErrorOr<bool> CpioReader::fail(Errno e) {
    m_state = State::Failed;
    m_error = e;
    return e;
}

ErrorOr<bool> CpioReader::next(CpioEntry& out) {
    for (;;) {
        switch (m_state) {
            case State::Failed: return m_error;
            case State::End: return false;
            case State::Boundary:
                while (m_pos < m_size && m_data[m_pos] == 0) ++m_pos;
                if (m_pos == m_size) {
                    m_state = State::End;
                    return false;
                }
                if (m_pos % 4 != 0) return fail(Errno::INVAL);  // the Linux "broken padding"
                m_state = State::InArchive;
                break;
            case State::InArchive: {
                // Each round consumes at least a header, so this loop ends.
                auto got = read_entry(out);
                if (got.is_error()) return fail(got.error().code);
                if (got.value()) return true;
                break;  // a trailer: read_entry moved to the boundary after it
            }
        }
    }
}

// Reads the entry at m_pos: true with `out` filled, false for a trailer.
ErrorOr<bool> CpioReader::read_entry(CpioEntry& out) {
    if (m_size - m_pos < cpio::kHeaderSize) return Errno::INVAL;
    const uint8_t* h = m_data + m_pos;
    if (memcmp(h, "070701", 6) != 0 && memcmp(h, "070702", 6) != 0) return Errno::INVAL;
    uint32_t f[FieldCount];
    for (int i = 0; i < FieldCount; ++i) {
        if (!parse_hex8(h + 6 + 8 * i, f[i])) return Errno::INVAL;
    }

    // The name: namesize counts its NUL, which must be the last byte and the only NUL.
    uint32_t namesize = f[NameSize];
    if (namesize == 0) return Errno::INVAL;
    if (namesize > cpio::kMaxNameSize) return Errno::NAMETOOLONG;
    size_t name_off = m_pos + cpio::kHeaderSize;
    if (m_size - name_off < namesize) return Errno::INVAL;
    const char* name = reinterpret_cast<const char*>(m_data + name_off);
    size_t name_len = namesize - 1;
    if (name[name_len] != '\0') return Errno::INVAL;
    for (size_t i = 0; i < name_len; ++i) {
        if (name[i] == '\0') return Errno::INVAL;
    }

    uint32_t size = f[FileSize];
    size_t data_off = align4(name_off + namesize);
    if (size != 0 && (data_off > m_size || m_size - data_off < size)) return Errno::INVAL;
    // Only empty data (a trailer's) may lose its padding at the very end of the buffer.
    if (data_off > m_size) data_off = m_size;
    size_t end = align4(data_off + size);

    if (name_len == sizeof(kTrailer) - 1 && memcmp(name, kTrailer, name_len) == 0) {
        // Padding after the last trailer may be cut off; whatever follows is checked as a
        // boundary by next().
        m_pos = end < m_size ? end : m_size;
        m_state = State::Boundary;
        return false;
    }

    if (name_len == 0) return Errno::INVAL;
    if (!normalize_name(name, name_len)) return Errno::INVAL;
    uint32_t mode = f[Mode];
    uint32_t type = mode & cpio::kModeTypeMask;
    if (!is_known_type(type)) return Errno::INVAL;
    if (name_len == 0 && type != cpio::kModeDirectory) return Errno::INVAL;  // the root
    const uint8_t* data = m_data + data_off;
    if (type == cpio::kModeSymlink) {
        // The target is stored without a NUL; an empty target or an embedded NUL is no path.
        if (size == 0 || size > cpio::kMaxSymlinkSize) return Errno::INVAL;
        for (size_t i = 0; i < size; ++i) {
            if (data[i] == 0) return Errno::INVAL;
        }
    } else if (type != cpio::kModeRegular && size != 0) {
        return Errno::INVAL;
    }

    out.name = name;
    out.name_len = name_len;
    out.ino = f[Ino];
    out.nlink = f[Nlink];
    out.mode = mode;
    out.uid = f[Uid];
    out.gid = f[Gid];
    out.mtime = f[Mtime];
    out.dev_major = f[DevMajor];
    out.dev_minor = f[DevMinor];
    out.rdev_major = f[RdevMajor];
    out.rdev_minor = f[RdevMinor];
    out.data = data;
    out.data_size = size;
    // The data's padding may be cut off at the very end; the next read then finds no trailer.
    m_pos = end < m_size ? end : m_size;
    return true;
}

}  // namespace rt
