// The C library functions the compiler, libfdt and {fmt} expect in a freestanding kernel.
#include <cstddef>
#include <cstdint>

#include "kernel/panic.hpp"

extern "C" {

// Whole pages are zeroed and copied all the time (page faults, copy-on-write): the aligned
// loops move 64 bytes a turn, since under QEMU every instruction of the loop costs about as
// much as the store itself.
void* memcpy(void* dst, const void* src, size_t n) {
    auto* d = static_cast<unsigned char*>(dst);
    auto* s = static_cast<const unsigned char*>(src);
    if (((uintptr_t(d) | uintptr_t(s)) & 7) == 0) {
        for (; n >= 64; n -= 64, d += 64, s += 64) {
            auto* dw = reinterpret_cast<uint64_t*>(d);
            auto* sw = reinterpret_cast<const uint64_t*>(s);
            uint64_t a = sw[0], b = sw[1], c = sw[2], e = sw[3], f = sw[4], g = sw[5], h = sw[6], i = sw[7];
            dw[0] = a, dw[1] = b, dw[2] = c, dw[3] = e, dw[4] = f, dw[5] = g, dw[6] = h, dw[7] = i;
        }
        for (; n >= 8; n -= 8, d += 8, s += 8) *reinterpret_cast<uint64_t*>(d) = *reinterpret_cast<const uint64_t*>(s);
    }
    while (n--) *d++ = *s++;
    return dst;
}

void* memmove(void* dst, const void* src, size_t n) {
    auto* d = static_cast<unsigned char*>(dst);
    auto* s = static_cast<const unsigned char*>(src);
    if (d <= s || d >= s + n) return memcpy(dst, src, n);
    while (n--) d[n] = s[n];
    return dst;
}

void* memset(void* dst, int c, size_t n) {
    auto* d = static_cast<unsigned char*>(dst);
    if ((uintptr_t(d) & 7) == 0) {
        uint64_t v = 0x0101010101010101ull * static_cast<unsigned char>(c);
        for (; n >= 64; n -= 64, d += 64) {
            auto* w = reinterpret_cast<uint64_t*>(d);
            w[0] = v, w[1] = v, w[2] = v, w[3] = v, w[4] = v, w[5] = v, w[6] = v, w[7] = v;
        }
        for (; n >= 8; n -= 8, d += 8) *reinterpret_cast<uint64_t*>(d) = v;
    }
    while (n--) *d++ = static_cast<unsigned char>(c);
    return dst;
}

int memcmp(const void* a, const void* b, size_t n) {
    auto* x = static_cast<const unsigned char*>(a);
    auto* y = static_cast<const unsigned char*>(b);
    for (; n; --n, ++x, ++y)
        if (*x != *y) return *x - *y;
    return 0;
}

void* memchr(const void* p, int c, size_t n) {
    auto* s = static_cast<const unsigned char*>(p);
    for (; n; --n, ++s)
        if (*s == static_cast<unsigned char>(c)) return const_cast<unsigned char*>(s);
    return nullptr;
}

size_t strlen(const char* s) {
    size_t n = 0;
    while (s[n]) ++n;
    return n;
}

size_t strnlen(const char* s, size_t max) {
    size_t n = 0;
    while (n < max && s[n]) ++n;
    return n;
}

char* strcpy(char* dst, const char* src) {
    char* d = dst;
    while ((*d++ = *src++)) {
    }
    return dst;
}

int strcmp(const char* a, const char* b) {
    while (*a && *a == *b) ++a, ++b;
    return static_cast<unsigned char>(*a) - static_cast<unsigned char>(*b);
}

int strncmp(const char* a, const char* b, size_t n) {
    for (; n; --n, ++a, ++b) {
        if (*a != *b || !*a) return static_cast<unsigned char>(*a) - static_cast<unsigned char>(*b);
    }
    return 0;
}

char* strchr(const char* s, int c) {
    for (;; ++s) {
        if (*s == static_cast<char>(c)) return const_cast<char*>(s);
        if (!*s) return nullptr;
    }
}

char* strrchr(const char* s, int c) {
    const char* last = nullptr;
    for (;; ++s) {
        if (*s == static_cast<char>(c)) last = s;
        if (!*s) return const_cast<char*>(last);
    }
}

unsigned long strtoul(const char* s, char** end, int base) {
    unsigned long v = 0;
    if (base == 0) base = 10;
    for (;; ++s) {
        int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'z' ? *s - 'a' + 10 : 99;
        if (d >= base) break;
        v = v * base + d;
    }
    if (end) *end = const_cast<char*>(s);
    return v;
}

double ceil(double x) {
    if (!(x > -4503599627370496.0 && x < 4503599627370496.0)) return x;  // |x| >= 2^52: integral
    double t = static_cast<double>(static_cast<long long>(x));
    return t < x ? t + 1 : t;
}

// {fmt} reaches for snprintf only to format long double, which the kernel never does.
int snprintf(char*, size_t, const char*, ...) { rt::panic("snprintf: long double formatting is not supported"); }

}  // extern "C"
