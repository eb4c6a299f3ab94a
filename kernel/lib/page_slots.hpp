#pragma once
// A sparse array of 64-bit values indexed by page number, 0 meaning "nothing here": a radix tree
// of 512-entry nodes (one page each), allocated as indices are first used. A memory object keeps
// its frames in one; a file's page cache can index far beyond what a process could map, hence
// four levels (2^36 pages).
#include <cstdint>
#include <new>

#include "error_or.hpp"

namespace rt {

class PageSlots {
public:
    static constexpr unsigned kBits = 9, kLevels = 4;
    static constexpr uint64_t kFanout = 1ull << kBits;
    static constexpr uint64_t kLimit = 1ull << (kBits * kLevels);  // indices are below this

    PageSlots() = default;
    ~PageSlots() { clear(); }
    PageSlots(const PageSlots&) = delete;
    PageSlots& operator=(const PageSlots&) = delete;

    // The slot of `index` if its node exists (its value may still be 0), else nullptr.
    uint64_t* find(uint64_t index) const {
        if (index >= kLimit || !m_root) return nullptr;
        Node* n = m_root;
        for (unsigned level = kLevels - 1; level > 0; --level) {
            n = reinterpret_cast<Node*>(n->e[digit(index, level)]);
            if (!n) return nullptr;
        }
        return &n->e[digit(index, 0)];
    }

    // The slot of `index`, creating the nodes on the way; EINVAL past kLimit, ENOMEM.
    ErrorOr<uint64_t*> slot(uint64_t index) {
        if (index >= kLimit) return Error(Errno::INVAL);
        if (!m_root && !(m_root = new (std::nothrow) Node{})) return Error(Errno::NOMEM);
        Node* n = m_root;
        for (unsigned level = kLevels - 1; level > 0; --level) {
            uint64_t& e = n->e[digit(index, level)];
            if (!e) {
                Node* child = new (std::nothrow) Node{};
                if (!child) return Error(Errno::NOMEM);  // the nodes made so far stay, empty
                e = reinterpret_cast<uint64_t>(child);
            }
            n = reinterpret_cast<Node*>(e);
        }
        return &n->e[digit(index, 0)];
    }

    // Calls f(index, value) for every nonzero value, in index order.
    template <typename F>
    void for_each(F&& f) const {
        if (m_root) visit(m_root, kLevels - 1, 0, f);
    }

    // Frees the nodes (not whatever the values stand for).
    void clear() {
        if (m_root) free_node(m_root, kLevels - 1);
        m_root = nullptr;
    }

private:
    struct Node {
        uint64_t e[kFanout];  // children (upper levels) or values (level 0)
    };
    static unsigned digit(uint64_t index, unsigned level) { return (index >> (kBits * level)) & (kFanout - 1); }

    template <typename F>
    static void visit(const Node* n, unsigned level, uint64_t base, F& f) {
        for (uint64_t i = 0; i < kFanout; ++i) {
            if (!n->e[i]) continue;
            uint64_t index = base | (i << (kBits * level));
            if (level == 0) f(index, n->e[i]);
            else visit(reinterpret_cast<const Node*>(n->e[i]), level - 1, index, f);
        }
    }
    static void free_node(Node* n, unsigned level) {
        if (level > 0)
            for (uint64_t i = 0; i < kFanout; ++i)
                if (n->e[i]) free_node(reinterpret_cast<Node*>(n->e[i]), level - 1);
        delete n;
    }

    Node* m_root = nullptr;
};

}  // namespace rt
