#include "image_file.hpp"

#include <new>

#include "kernel/mm/user_access.hpp"

namespace rt {
namespace {

class ImageFile final : public File {
public:
    ImageFile(const FileImage& image, uint32_t flags) : File(flags), m_image(image) {}

    ErrorOr<size_t> read(AddressSpace& space, uint64_t buf, size_t len, uint64_t offset) override {
        if (offset >= m_image.size) return size_t{0};
        size_t n = m_image.size - offset < len ? m_image.size - offset : len;
        TRY(copy_to_user(space, buf, m_image.data + offset, n));
        return n;
    }

    Stat stat() const override {
        Stat s{};
        s.dev = 1;  // the initramfs
        s.ino = m_image.ino;
        s.mode = 0100000 | m_image.mode;  // S_IFREG
        s.nlink = 1;
        s.uid = m_image.uid;
        s.gid = m_image.gid;
        s.size = static_cast<int64_t>(m_image.size);
        s.blksize = 4096;
        s.blocks = static_cast<int64_t>((m_image.size + 511) / 512);
        s.atime = s.mtime = s.ctime = m_image.mtime;
        return s;
    }

    bool seekable() const override { return true; }

private:
    FileImage m_image;
};

}  // namespace

File* open_image_file(const FileImage& image, uint32_t flags) { return new (std::nothrow) ImageFile(image, flags); }

}  // namespace rt
