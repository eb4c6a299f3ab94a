#include "bootargs.hpp"

#include <cstring>

namespace rt {

bool has_bootarg(const char* args, const char* word) {
    size_t n = strlen(word);
    for (const char* p = args; *p;) {
        while (*p == ' ') ++p;
        const char* end = p;
        while (*end && *end != ' ') ++end;
        if (size_t(end - p) == n && strncmp(p, word, n) == 0) return true;
        p = end;
    }
    return false;
}

}  // namespace rt
