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

void PollSet::set(size_t index, FileRef file, uint32_t events) {
    m_items[index].file = std::move(file);
    m_items[index].events = events | kPollErr | kPollHup;
    m_items[index].callback.set_mask(m_items[index].events);
}

void PollSet::begin_scan() {
    m_changed.reset();
    if (m_registered) return;
    m_registered = true;
    for (size_t i = 0; i < m_capacity; ++i) {
        Item& item = m_items[i];
        WaitQueue* queue = item.file ? item.file->readiness() : nullptr;
        if (queue) item.callback.add_to(*queue);
    }
}

uint32_t PollSet::ready(size_t index) const {
    const Item& item = m_items[index];
    return item.file->poll() & item.events;
}

bool PollSet::on_notify(void* set, uint32_t) {
    static_cast<PollSet*>(set)->m_changed.set();
    return true;
}

}  // namespace rt
