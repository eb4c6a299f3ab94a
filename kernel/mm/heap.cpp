// The kernel's operator new/delete: every allocation, coroutine frames included, comes from the
// slabs. Built with -fcheck-new, so a failed `new` yields nullptr rather than undefined
// behaviour; callers check it.
#include <new>

#include "slab.hpp"

void* operator new(size_t size) { return rt::kmalloc(size); }
void* operator new[](size_t size) { return rt::kmalloc(size); }
void* operator new(size_t size, const std::nothrow_t&) noexcept { return rt::kmalloc(size); }
void* operator new[](size_t size, const std::nothrow_t&) noexcept { return rt::kmalloc(size); }
void operator delete(void* p) noexcept { rt::kfree(p); }
void operator delete[](void* p) noexcept { rt::kfree(p); }
void operator delete(void* p, size_t) noexcept { rt::kfree(p); }
void operator delete[](void* p, size_t) noexcept { rt::kfree(p); }
