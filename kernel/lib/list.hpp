#pragma once
// An intrusive doubly linked list: objects embed a ListNode and are linked without allocation,
// which is what lets interrupt handlers and allocation-free paths queue them.
#include <cstddef>

namespace rt {

struct ListNode {
    ListNode* prev = nullptr;
    ListNode* next = nullptr;
    bool is_linked() const { return next != nullptr; }
};

// T embeds `ListNode Member`.
template <typename T, ListNode T::*Member>
class IntrusiveList {
public:
    IntrusiveList() { m_head.prev = m_head.next = &m_head; }
    IntrusiveList(const IntrusiveList&) = delete;
    IntrusiveList& operator=(const IntrusiveList&) = delete;

    bool empty() const { return m_head.next == &m_head; }
    size_t size() const { return m_size; }

    void push_back(T& v) { insert_before(&m_head, node(v)); }
    void push_front(T& v) { insert_before(m_head.next, node(v)); }
    // Inserts v before `pos` (which must be linked in this list).
    void insert_before(T& pos, T& v) { insert_before(node(pos), node(v)); }

    T* front() const { return empty() ? nullptr : owner(m_head.next); }
    T* back() const { return empty() ? nullptr : owner(m_head.prev); }
    T* pop_front() {
        T* v = front();
        if (v) remove(*v);
        return v;
    }
    T* pop_back() {
        T* v = back();
        if (v) remove(*v);
        return v;
    }
    void remove(T& v) {
        ListNode* n = node(v);
        n->prev->next = n->next;
        n->next->prev = n->prev;
        n->prev = n->next = nullptr;
        --m_size;
    }
    T* next_of(T& v) const {
        ListNode* n = node(v)->next;
        return n == &m_head ? nullptr : owner(n);
    }

    T* prev_of(T& v) const {
        ListNode* n = node(v)->prev;
        return n == &m_head ? nullptr : owner(n);
    }

    template <typename F>
    void for_each(F&& f) const {
        for (ListNode* n = m_head.next; n != &m_head;) {
            ListNode* next = n->next;  // f may unlink n
            f(*owner(n));
            n = next;
        }
    }

private:
    static ListNode* node(T& v) { return &(v.*Member); }
    static T* owner(ListNode* n) {
        // offsetof on a member pointer: the usual container_of.
        auto offset = reinterpret_cast<size_t>(&(static_cast<T*>(nullptr)->*Member));
        return reinterpret_cast<T*>(reinterpret_cast<char*>(n) - offset);
    }
    void insert_before(ListNode* pos, ListNode* n) {
        n->next = pos;
        n->prev = pos->prev;
        pos->prev->next = n;
        pos->prev = n;
        ++m_size;
    }

    ListNode m_head;
    size_t m_size = 0;
};

}  // namespace rt
