#include "poll_set.hpp"

#include <new>

namespace rt {

PollSet::PollSet(size_t capacity) : m_capacity(capacity) {
    if (!capacity) return;
    m_items = static_cast<Item*>(::operator new(capacity * sizeof(Item), std::nothrow));
    if (!m_items) return;
    for (size_t i = 0; i < capacity; ++i) new (&m_items[i]) Item(this);
}

PollSet::~PollSet() {
    if (!m_items) return;
    // Each callback leaves its queue before its file reference goes.
    for (size_t i = 0; i < m_capacity; ++i) m_items[i].~Item();
    ::operator delete(m_items);
}

void PollSet::set_events(size_t index, uint32_t events) {
    m_items[index].events = events | kPollErr | kPollHup;
    m_items[index].callback.set_mask(m_items[index].events);
}

void PollSet::begin_scan() { m_changed.reset(); }

uint32_t PollSet::ready(size_t index, FileRef current) {
    Item& item = m_items[index];
    if (current.get() != item.file.get()) {
        // Watch the file the descriptor names now; the callback leaves the old one first.
        item.callback.remove();
        item.file = std::move(current);
        if (WaitQueue* queue = item.file ? item.file->readiness() : nullptr) item.callback.add_to(*queue);
    }
    if (!item.file) return kPollNval;
    return item.file->poll() & item.events;
}

bool PollSet::on_notify(void* set, uint32_t) {
    static_cast<PollSet*>(set)->m_changed.set();
    return true;
}

}  // namespace rt
