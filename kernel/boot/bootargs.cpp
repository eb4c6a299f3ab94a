#include "bootargs.hpp"

#include <cstring>

namespace rt {

namespace {

// Calls f(word, length) for each space-separated word until f returns true.
template <typename F>
bool any_word(const char* args, F f) {
    for (const char* p = args; *p;) {
        while (*p == ' ') ++p;
        const char* end = p;
        while (*end && *end != ' ') ++end;
        if (end > p && f(p, size_t(end - p))) return true;
        p = end;
    }
    return false;
}

}  // namespace

bool has_bootarg(const char* args, const char* word) {
    size_t n = strlen(word);
    return any_word(args, [&](const char* w, size_t len) { return len == n && strncmp(w, word, n) == 0; });
}

bool bootarg_value(const char* args, const char* key, char* out, size_t size) {
    size_t k = strlen(key);
    return any_word(args, [&](const char* w, size_t len) {
        if (len <= k || strncmp(w, key, k) != 0 || w[k] != '=') return false;
        size_t n = len - k - 1 < size - 1 ? len - k - 1 : size - 1;
        memcpy(out, w + k + 1, n);
        out[n] = 0;
        return true;
    });
}

}  // namespace rt
