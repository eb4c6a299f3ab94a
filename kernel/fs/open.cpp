#include "open.hpp"

#include <cstring>

#include "console_file.hpp"
#include "image_file.hpp"
#include "initramfs.hpp"
#include "kernel/lib/path.hpp"

namespace rt {

ErrorOr<FileRef> open_path(char* path, uint32_t flags) {
    bool trailing_slash;
    TRY(normalize_path(path, trailing_slash));
    bool writing = (flags & kOAccMode) != kORdonly || (flags & kOTrunc);
    if (strcmp(path, "dev/console") == 0) {
        if ((flags & kOCreat) && (flags & kOExcl)) return Error(Errno::EXIST);
        if (flags & kODirectory) return Error(Errno::NOTDIR);
        File* f = open_console(flags);
        if (!f) return Error(Errno::NOMEM);
        return FileRef(f);
    }
    auto image = initramfs_find(path);
    if (image.is_error()) {
        if (image.error().code != Errno::NOENT) return image.error();
        return Error((flags & kOCreat) ? Errno::ROFS : Errno::NOENT);
    }
    if ((flags & kOCreat) && (flags & kOExcl)) return Error(Errno::EXIST);
    if ((flags & kODirectory) || trailing_slash) return Error(Errno::NOTDIR);
    if (writing) return Error(Errno::ROFS);
    File* f = open_image_file(image.value(), flags);
    if (!f) return Error(Errno::NOMEM);
    return FileRef(f);
}

}  // namespace rt
