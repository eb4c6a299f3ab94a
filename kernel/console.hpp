#pragma once
// Kernel console output: formatted with {fmt} into a fixed buffer, written a whole line at a
// time under a lock so lines from different harts never interleave.
// {fmt} in the kernel: header-only, no locale, and its assertions and throws become panics.
#define FMT_HEADER_ONLY
#define FMT_STATIC_THOUSANDS_SEPARATOR ','
#define FMT_ASSERT(cond, msg) ((cond) ? (void)0 : ::rt::fmt_assert_fail(msg))
#define FMT_THROW(x) ::rt::fmt_throw()
namespace rt {
[[noreturn]] void fmt_assert_fail(const char* msg);
[[noreturn]] void fmt_throw();
}  // namespace rt
#include <fmt/format.h>

#include <cstddef>

namespace rt {

void console_write(const char* s, size_t n);
// Bytes exactly as given (a terminal's output, which its line discipline has processed),
// without console_write's newline translation; never interleaved with a kernel line.
void console_write_raw(const char* s, size_t n);

template <typename... Args>
void kprint(fmt::format_string<Args...> f, Args&&... args) {
    char buf[512];
    auto r = fmt::format_to_n(buf, sizeof buf, f, static_cast<Args&&>(args)...);
    console_write(buf, r.size < sizeof buf ? r.size : sizeof buf);
}

// Formats into `buf` (NUL-terminated, truncated to fit); returns the length.
template <typename... Args>
size_t format_to(char* buf, size_t size, fmt::format_string<Args...> f, Args&&... args) {
    auto r = fmt::format_to_n(buf, size - 1, f, static_cast<Args&&>(args)...);
    size_t n = r.size < size - 1 ? r.size : size - 1;
    buf[n] = 0;
    return n;
}

}  // namespace rt
