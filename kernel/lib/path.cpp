#include "path.hpp"

#include <cstring>

namespace rt {

ErrorOr<void> normalize_path(char* path, bool& trailing_slash) {
    constexpr size_t kNameMax = 255;
    size_t len = strlen(path);
    trailing_slash = len > 0 && path[len - 1] == '/';
    size_t out = 0;  // path[0, out): the result so far, never longer than what was read
    for (size_t i = 0; i < len;) {
        while (i < len && path[i] == '/') ++i;
        size_t start = i;
        while (i < len && path[i] != '/') ++i;
        size_t n = i - start;
        if (n == 0 || (n == 1 && path[start] == '.')) continue;
        if (n > kNameMax) return Error(Errno::NAMETOOLONG);
        if (n == 2 && path[start] == '.' && path[start + 1] == '.') {
            while (out > 0 && path[out - 1] != '/') --out;
            if (out > 0) --out;
            continue;
        }
        if (out > 0) path[out++] = '/';
        memmove(path + out, path + start, n);
        out += n;
    }
    path[out] = 0;
    return {};
}

}  // namespace rt
