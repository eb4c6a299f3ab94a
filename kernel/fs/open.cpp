#include "open.hpp"

#include <cstring>

#include "console_file.hpp"
#include "ram_fs.hpp"
#include "kernel/lib/path.hpp"

namespace rt {

ErrorOr<FileRef> open_path(char* path, uint32_t flags, uint32_t mode) {
    bool trailing_slash;
    TRY(normalize_path(path, trailing_slash));
    if (strcmp(path, "dev/console") == 0) {
        if ((flags & kOCreat) && (flags & kOExcl)) return Error(Errno::EXIST);
        if (flags & kODirectory) return Error(Errno::NOTDIR);
        File* f = open_console(flags);
        if (!f) return Error(Errno::NOMEM);
        return FileRef(f);
    }
    return ram_open(path, trailing_slash, flags, mode);
}

}  // namespace rt
