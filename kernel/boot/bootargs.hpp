#pragma once
// The kernel command line (the device tree's /chosen/bootargs, QEMU's -append).

namespace rt {

// True if `word` is one of the space-separated words of `args`.
bool has_bootarg(const char* args, const char* word);

}  // namespace rt
