// The C++ runtime a freestanding kernel must supply: global constructors' registration, pure
// virtual calls, and the library's throw helpers (there are no exceptions: they are fatal).
#include <new>

#include "kernel/panic.hpp"

extern "C" {
void* __dso_handle = nullptr;
// Global destructors are never run: the kernel does not exit.
int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }
void __cxa_pure_virtual() { rt::panic("pure virtual call"); }
}

namespace std {
[[noreturn]] void terminate() noexcept { rt::panic("std::terminate"); }
[[noreturn]] void __throw_bad_alloc() { rt::panic("bad_alloc"); }
[[noreturn]] void __throw_bad_array_new_length() { rt::panic("bad_array_new_length"); }
[[noreturn]] void __throw_length_error(const char* m) { rt::panic(m); }
[[noreturn]] void __throw_out_of_range_fmt(const char* m, ...) { rt::panic(m); }
}  // namespace std

namespace rt {
[[noreturn]] void fmt_assert_fail(const char* msg) { panic(msg); }
[[noreturn]] void fmt_throw() { panic("fmt: format error"); }
}  // namespace rt
