#include "slab.hpp"

#include "address.hpp"
#include "frames.hpp"
#include "kernel/panic.hpp"
#include "kernel/sched/hart.hpp"

namespace rt {

inline constexpr size_t kClassSizes[] = {16, 32, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048};
inline constexpr size_t kClassCount = sizeof kClassSizes / sizeof kClassSizes[0];
inline constexpr size_t kMagazineSize = 32;

// A size class: slabs with free objects on `m_partial`; full slabs are on no list.
class SlabCache {
public:
    void set_size(size_t s) { m_size = s; }
    size_t size() const { return m_size; }
    // Moves up to `n` objects into `out`; returns how many (0 when memory is exhausted).
    size_t take(void** out, size_t n) noexcept;
    void give_back(void* const* objs, size_t n) noexcept;
    SlabStats stats() noexcept {
        SpinLockGuard g(m_lock);
        return {m_slabs, m_in_use};
    }

private:
    bool grow() noexcept;
    SpinLock m_lock;
    size_t m_size = 0;
    IntrusiveList<FrameDesc, &FrameDesc::node> m_partial;
    size_t m_slabs = 0, m_in_use = 0;
};

namespace {

struct Magazine {
    void* objs[kMagazineSize];
    size_t count = 0;
};

SlabCache g_caches[kClassCount];
// One set per kernel thread: a thread is only ever preempted by another thread of its hart,
// never by an interrupt handler that allocates (they don't), so no interrupt masking is needed.
Magazine g_magazines[kMaxHarts][kPriorities][kClassCount];
bool g_caches_ready = false;

Magazine& magazine(int c) {
    Hart& h = this_hart();
    RT_ASSERT(h.irq_depth == 0);  // interrupt handlers post wakers; they never allocate
    return g_magazines[h.index][static_cast<size_t>(h.current->priority)][c];
}

int class_of(size_t size) {
    for (size_t i = 0; i < kClassCount; ++i)
        if (size <= kClassSizes[i]) return static_cast<int>(i);
    return -1;
}

unsigned order_of(size_t size) {
    unsigned o = 0;
    while ((kPageSize << o) < size) ++o;
    return o;
}

void ensure_caches() {
    if (g_caches_ready) return;
    for (size_t i = 0; i < kClassCount; ++i) g_caches[i].set_size(kClassSizes[i]);
    g_caches_ready = true;
}

}  // namespace

bool SlabCache::grow() noexcept {
    auto pa = g_frames.alloc(0);
    if (pa.is_error()) return false;
    FrameDesc* d = g_frames.desc(pa.value());
    d->state = FrameDesc::State::Slab;
    d->cache = this;
    d->in_use = 0;
    char* page = phys_to_virt<char>(pa.value());
    void* head = nullptr;
    for (size_t off = (kPageSize / m_size - 1) * m_size;; off -= m_size) {
        *reinterpret_cast<void**>(page + off) = head;
        head = page + off;
        if (off == 0) break;
    }
    d->free_objects = head;
    m_partial.push_back(*d);
    ++m_slabs;
    return true;
}

size_t SlabCache::take(void** out, size_t n) noexcept {
    SpinLockGuard g(m_lock);
    size_t got = 0;
    while (got < n) {
        FrameDesc* d = m_partial.front();
        if (!d && !grow()) break;
        d = m_partial.front();
        while (got < n && d->free_objects) {
            void* obj = d->free_objects;
            d->free_objects = *static_cast<void**>(obj);
            ++d->in_use;
            out[got++] = obj;
        }
        if (!d->free_objects) m_partial.remove(*d);
    }
    m_in_use += got;
    return got;
}

void SlabCache::give_back(void* const* objs, size_t n) noexcept {
    SpinLockGuard g(m_lock);
    for (size_t i = 0; i < n; ++i) {
        FrameDesc* d = g_frames.desc(virt_to_phys(objs[i]));
        bool was_full = !d->free_objects;
        *static_cast<void**>(objs[i]) = d->free_objects;
        d->free_objects = objs[i];
        --d->in_use;
        if (was_full) m_partial.push_back(*d);
        // An empty slab goes back to the buddy allocator unless it is the last partial one.
        if (d->in_use == 0 && m_partial.size() > 1) {
            m_partial.remove(*d);
            d->state = FrameDesc::State::Allocated;
            d->cache = nullptr;
            g_frames.free(g_frames.pa_of(d), 0);
            --m_slabs;
        }
    }
    m_in_use -= n;
}

void* kmalloc(size_t size) noexcept {
    if (size == 0) size = 1;
    int c = class_of(size);
    if (c < 0) {
        auto pa = g_frames.alloc(order_of(size));
        return pa.is_error() ? nullptr : phys_to_virt(pa.value());
    }
    ensure_caches();
    Magazine& m = magazine(c);
    if (m.count == 0) m.count = g_caches[c].take(m.objs, kMagazineSize / 2);
    return m.count ? m.objs[--m.count] : nullptr;
}

void kfree(void* p) noexcept {
    if (!p) return;
    FrameDesc* d = g_frames.desc(virt_to_phys(p));
    if (d->state != FrameDesc::State::Slab) {
        g_frames.free(virt_to_phys(p), d->order);
        return;
    }
    SlabCache* cache = d->cache;
    int c = static_cast<int>(cache - g_caches);
    Magazine& m = magazine(c);
    if (m.count == kMagazineSize) {
        cache->give_back(m.objs + kMagazineSize / 2, kMagazineSize / 2);
        m.count = kMagazineSize / 2;
    }
    m.objs[m.count++] = p;
}

size_t kmalloc_usable_size(size_t size) noexcept {
    int c = class_of(size ? size : 1);
    return c < 0 ? kPageSize << order_of(size) : kClassSizes[c];
}

SlabStats slab_stats() noexcept {
    SlabStats total;
    for (auto& cache : g_caches) {
        SlabStats s = cache.stats();
        total.slabs += s.slabs;
        total.objects_in_use += s.objects_in_use;
    }
    return total;
}

}  // namespace rt
