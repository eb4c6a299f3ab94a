// Memory objects and the shared regions that map them: one frame per page whoever maps it,
// frame uses counted, everything given back when the last user goes.
#include "kernel/mm/address.hpp"
#include "kernel/mm/address_space.hpp"
#include "kernel/mm/frames.hpp"
#include "kernel/mm/memory_object.hpp"
#include "ktest.hpp"

namespace rt {
namespace {

uint64_t frame_at(AddressSpace& s, uint64_t va) {
    auto t = s.table().translate(va);
    return t.is_error() ? 0 : page_round_down(t.value().pa);
}

}  // namespace

KTEST(memory_object_pages_are_counted_and_freed) {
    auto made = MemoryObject::create_anonymous(4);
    KASSERT(!made.is_error());
    MemoryObject* o = made.value();
    auto a = o->map_page(1), b = o->map_page(1);
    KASSERT(!a.is_error() && !b.is_error());
    KEXPECT(a.value() == b.value());
    KEXPECT(g_frames.desc(a.value())->shares == 2);  // the object and two mappings
    KEXPECT(o->resident_pages() == 1);
    auto past = o->map_page(4);
    KEXPECT(past.is_error() && past.error().code == Errno::NXIO);  // a SIGBUS for the user
    KEXPECT(MemoryObject::create_anonymous(0).is_error());
    release_frame(a.value());
    release_frame(b.value());
    KEXPECT(g_frames.desc(a.value())->state == FrameDesc::State::Allocated);  // the object's
    o->unref();
    KEXPECT(g_frames.desc(a.value())->state != FrameDesc::State::Allocated);
    co_return;
}

// A file's object stays pristine (exec reads the initramfs bytes in place) while only private
// mappings use its pages: they copy a page before writing it. Marking it written on any mapping
// once made every exec after the first copy the whole program (busybox: 1.7 MB per fork+exec).
KTEST(a_private_mapping_keeps_a_file_object_pristine) {
    static const uint8_t kBytes[2 * 4096] = {1, 2, 3};
    auto made = MemoryObject::create_file(kBytes, sizeof kBytes);
    KASSERT(!made.is_error());
    MemoryObject* o = made.value();
    uint64_t size = 0;
    KEXPECT(o->pristine(size) == kBytes && size == sizeof kBytes);
    auto pa = o->map_page(0, false);
    KASSERT(!pa.is_error());
    KEXPECT(o->pristine(size) == kBytes);
    auto shared = o->map_page(1, true);
    KASSERT(!shared.is_error());
    KEXPECT(o->pristine(size) == nullptr);  // a shared mapping may write it
    release_frame(pa.value());
    release_frame(shared.value());
    o->unref();
    co_return;
}

KTEST(shared_region_survives_fork_split_and_move) {
    constexpr uint64_t kBase = 0x40000000, kLen = 4 * kPageSize;
    auto made = AddressSpace::create();
    KASSERT(!made.is_error());
    AddressSpace* parent = made.value();
    auto o = MemoryObject::create_anonymous(kLen / kPageSize);
    KASSERT(!o.is_error());
    KEXPECT(!parent->add_region(kBase, kLen, kProtRead | kProtWrite, o.value()).is_error());
    o.value()->unref();  // the region's reference keeps it
    KEXPECT(!parent->handle_fault(kBase, Access::Write).is_error());
    auto forked = parent->clone_for_fork();
    KASSERT(!forked.is_error());
    AddressSpace* child = forked.value();
    // Touched before fork: the same frame; touched after, by either side: the same frame too.
    KEXPECT(frame_at(*child, kBase) == frame_at(*parent, kBase) && frame_at(*child, kBase) != 0);
    KEXPECT(!child->handle_fault(kBase + kPageSize, Access::Write).is_error());
    KEXPECT(!parent->handle_fault(kBase + kPageSize, Access::Read).is_error());
    KEXPECT(frame_at(*child, kBase + kPageSize) == frame_at(*parent, kBase + kPageSize));
    // The child unmaps the first half and moves the second: its pages stay the object's pages.
    uint64_t second = frame_at(*parent, kBase + kPageSize);
    KEXPECT(!child->remove_range(kBase, 2 * kPageSize).is_error());
    KEXPECT(!parent->handle_fault(kBase + 2 * kPageSize, Access::Write).is_error());
    auto moved = child->remap(kBase + 2 * kPageSize, 2 * kPageSize, 2 * kPageSize, kRemapMayMove | kRemapFixed,
                              kBase + 64 * kPageSize);
    KEXPECT(!moved.is_error() && moved.value() == kBase + 64 * kPageSize);
    KEXPECT(!child->handle_fault(kBase + 64 * kPageSize, Access::Write).is_error());
    KEXPECT(frame_at(*child, kBase + 64 * kPageSize) == frame_at(*parent, kBase + 2 * kPageSize));
    KEXPECT(frame_at(*child, kBase + 2 * kPageSize) == 0);
    KEXPECT(frame_at(*parent, kBase + kPageSize) == second);
    delete child;
    KEXPECT(g_frames.desc(second)->state == FrameDesc::State::Allocated);  // still the parent's
    delete parent;
    KEXPECT(g_frames.desc(second)->state != FrameDesc::State::Allocated);
    co_return;
}

}  // namespace rt
