#include <gtest/gtest.h>

#include <vector>

#include "kernel/lib/list.hpp"

namespace rt {
namespace {

// The nodes are not the first member, so the list's container_of arithmetic is exercised.
struct Item {
    Item() = default;
    explicit Item(int v) : value(v) {}
    int value = 0;
    ListNode node;
    double padding = 0;
    ListNode other;
};

using List = IntrusiveList<Item, &Item::node>;
using OtherList = IntrusiveList<Item, &Item::other>;

std::vector<int> values(const List& l) {
    std::vector<int> out;
    l.for_each([&](Item& i) { out.push_back(i.value); });
    return out;
}

}  // namespace

TEST(IntrusiveList, StartsEmpty) {
    List l;
    EXPECT_TRUE(l.empty());
    EXPECT_EQ(l.size(), 0u);
    EXPECT_EQ(l.front(), nullptr);
    EXPECT_EQ(l.back(), nullptr);
    EXPECT_EQ(l.pop_front(), nullptr);
    EXPECT_EQ(l.pop_back(), nullptr);
}

TEST(IntrusiveList, PushBackKeepsOrderAndFrontBackPointAtOwners) {
    Item a{1}, b{2}, c{3};
    List l;
    l.push_back(a);
    l.push_back(b);
    l.push_back(c);
    EXPECT_FALSE(l.empty());
    EXPECT_EQ(l.size(), 3u);
    EXPECT_EQ(l.front(), &a);
    EXPECT_EQ(l.back(), &c);
    EXPECT_EQ(values(l), (std::vector<int>{1, 2, 3}));
    EXPECT_TRUE(a.node.is_linked());
    EXPECT_FALSE(a.other.is_linked());
}

TEST(IntrusiveList, PushFrontPrepends) {
    Item a{1}, b{2};
    List l;
    l.push_front(a);
    l.push_front(b);
    EXPECT_EQ(values(l), (std::vector<int>{2, 1}));
}

TEST(IntrusiveList, PopFrontAndBackUnlink) {
    Item a{1}, b{2}, c{3};
    List l;
    l.push_back(a);
    l.push_back(b);
    l.push_back(c);
    EXPECT_EQ(l.pop_front(), &a);
    EXPECT_FALSE(a.node.is_linked());
    EXPECT_EQ(l.pop_back(), &c);
    EXPECT_FALSE(c.node.is_linked());
    EXPECT_EQ(l.size(), 1u);
    EXPECT_EQ(l.pop_back(), &b);
    EXPECT_TRUE(l.empty());
}

TEST(IntrusiveList, RemoveFromMiddleAndEnds) {
    Item a{1}, b{2}, c{3}, d{4};
    List l;
    for (Item* i : {&a, &b, &c, &d}) l.push_back(*i);
    l.remove(b);
    EXPECT_FALSE(b.node.is_linked());
    EXPECT_EQ(values(l), (std::vector<int>{1, 3, 4}));
    l.remove(a);
    l.remove(d);
    EXPECT_EQ(values(l), (std::vector<int>{3}));
    EXPECT_EQ(l.front(), &c);
    EXPECT_EQ(l.back(), &c);
    EXPECT_EQ(l.size(), 1u);
}

TEST(IntrusiveList, InsertBefore) {
    Item a{1}, b{2}, c{3};
    List l;
    l.push_back(c);
    l.insert_before(c, a);  // before the only element: becomes the front
    l.insert_before(c, b);
    EXPECT_EQ(values(l), (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(l.front(), &a);
    EXPECT_EQ(l.size(), 3u);
}

TEST(IntrusiveList, NextOfWalksToTheEnd) {
    Item a{1}, b{2};
    List l;
    l.push_back(a);
    l.push_back(b);
    EXPECT_EQ(l.next_of(a), &b);
    EXPECT_EQ(l.next_of(b), nullptr);
}

TEST(IntrusiveList, ForEachToleratesUnlinkingTheCurrentElement) {
    Item items[5];
    List l;
    for (int i = 0; i < 5; ++i) {
        items[i].value = i;
        l.push_back(items[i]);
    }
    l.for_each([&](Item& i) {
        if (i.value % 2 == 0) l.remove(i);
    });
    EXPECT_EQ(values(l), (std::vector<int>{1, 3}));
    EXPECT_EQ(l.size(), 2u);
}

TEST(IntrusiveList, AnObjectCanBeInTwoListsThroughTwoNodes) {
    Item a{1}, b{2};
    List l;
    OtherList o;
    l.push_back(a);
    l.push_back(b);
    o.push_back(b);
    o.push_back(a);
    EXPECT_EQ(l.front(), &a);
    EXPECT_EQ(o.front(), &b);
    l.remove(a);
    EXPECT_EQ(o.size(), 2u);
    EXPECT_EQ(o.back(), &a);
    EXPECT_TRUE(a.other.is_linked());
}

TEST(IntrusiveList, ElementCanBeRelinkedAfterRemoval) {
    Item a{1}, b{2};
    List l;
    l.push_back(a);
    l.push_back(b);
    l.remove(a);
    l.push_back(a);
    EXPECT_EQ(values(l), (std::vector<int>{2, 1}));
    while (l.pop_front()) {
    }
    EXPECT_TRUE(l.empty());
    EXPECT_EQ(l.size(), 0u);
}

}  // namespace rt
