#pragma once
// A regular file of the initramfs, opened for reading: its bytes are the archive's own, read
// in place. (The files issue unpacks the archive into tmpfs; until then files are read-only.)
#include "file.hpp"
#include "initramfs.hpp"

namespace rt {

// A new open file over `image` with open flags `flags` (read-only); nullptr if no memory.
File* open_image_file(const FileImage& image, uint32_t flags);

}  // namespace rt
