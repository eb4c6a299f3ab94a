#pragma once
// Writes cpio newc archives for the reader tests (the way `cpio -o -H newc` does) and reads them
// back entry by entry.
#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "kernel/lib/cpio.hpp"

// Entries are written with designated initializers naming only the fields that matter, here
// and in the tests that include this; GCC 12 warns about the omitted ones even though they have
// default member initializers.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace rt::test {

using namespace rt::cpio;

struct Spec {
    std::string name;
    uint32_t mode = kModeRegular | 0644;
    std::string data;
    uint32_t ino = 0, uid = 0, gid = 0, nlink = 1, mtime = 0;
    uint32_t dev_major = 0, dev_minor = 0, rdev_major = 0, rdev_minor = 0;
    const char* magic = "070701";
    std::optional<uint32_t> namesize;  // default: name plus its NUL
    std::optional<uint32_t> filesize;  // default: data.size()
};

struct Archive {
    std::string bytes;

    // Returns the offset of the entry's header.
    size_t add(const Spec& s) {
        size_t at = bytes.size();
        char header[cpio::kHeaderSize + 1];
        uint32_t namesize = s.namesize.value_or(s.name.size() + 1);
        uint32_t filesize = s.filesize.value_or(s.data.size());
        snprintf(header, sizeof(header), "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
                 s.magic, s.ino, s.mode, s.uid, s.gid, s.nlink, s.mtime, filesize, s.dev_major,
                 s.dev_minor, s.rdev_major, s.rdev_minor, namesize, 0u);
        bytes.append(header, cpio::kHeaderSize);
        bytes += s.name;
        bytes += '\0';
        pad(4);
        bytes += s.data;
        pad(4);
        return at;
    }
    Archive& file(const std::string& name, const std::string& data = "") {
        add({.name = name, .data = data});
        return *this;
    }
    Archive& dir(const std::string& name) {
        add({.name = name, .mode = kModeDirectory | 0755, .nlink = 2});
        return *this;
    }
    Archive& trailer() {
        add({.name = "TRAILER!!!", .mode = 0, .nlink = 1});
        return *this;
    }
    Archive& pad(size_t block) {
        while (bytes.size() % block) bytes += '\0';
        return *this;
    }
};

struct Read {
    std::vector<CpioEntry> entries;
    std::vector<std::string> names;
    std::optional<Errno> error;  // nullopt: next() returned false
};

inline Read read_all(const uint8_t* data, size_t size) {
    Read out;
    CpioReader reader(data, size);
    // Every entry consumes a header, so more rounds than this means the reader is stuck.
    for (size_t round = 0; round <= size / kHeaderSize + 1; ++round) {
        CpioEntry e;
        auto r = reader.next(e);
        if (r.is_error()) {
            out.error = r.error().code;
            return out;
        }
        if (!r.value()) return out;
        out.entries.push_back(e);
        out.names.emplace_back(e.name, e.name_len);
    }
    ADD_FAILURE() << "reader did not finish";
    return out;
}

inline Read read_all(const std::string& s) {
    return read_all(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

inline std::optional<Errno> error_of(const std::string& s) { return read_all(s).error; }

// A relative path with no empty, "." or ".." components (or "", the root).
inline bool is_canonical(const std::string& name) {
    if (name.empty()) return true;
    size_t start = 0;
    for (;;) {
        size_t slash = name.find('/', start);
        std::string part = name.substr(start, slash == std::string::npos ? slash : slash - start);
        if (part.empty() || part == "." || part == "..") return false;
        if (slash == std::string::npos) return true;
        start = slash + 1;
    }
}

inline std::string view(const CpioEntry& e) {
    return std::string(reinterpret_cast<const char*>(e.data), e.data_size);
}

}  // namespace rt::test
