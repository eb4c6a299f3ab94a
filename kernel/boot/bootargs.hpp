#pragma once
// The kernel command line (the device tree's /chosen/bootargs, QEMU's -append).

#include <cstddef>

namespace rt {

// True if `word` is one of the space-separated words of `args`.
bool has_bootarg(const char* args, const char* word);
// The value of `key=value` among the words of `args`, copied NUL-terminated into out (at most
// size-1 characters); false if there is no such word.
bool bootarg_value(const char* args, const char* key, char* out, size_t size);

}  // namespace rt
