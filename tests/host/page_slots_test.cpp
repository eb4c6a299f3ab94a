#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "kernel/lib/page_slots.hpp"

namespace rt {

TEST(PageSlots, EmptyFindsNothing) {
    PageSlots s;
    EXPECT_EQ(s.find(0), nullptr);
    EXPECT_EQ(s.find(12345), nullptr);
    int visits = 0;
    s.for_each([&](uint64_t, uint64_t) { ++visits; });
    EXPECT_EQ(visits, 0);
}

TEST(PageSlots, SlotsHoldValuesAtTheirIndex) {
    PageSlots s;
    std::map<uint64_t, uint64_t> want = {{0, 11}, {1, 12}, {511, 13}, {512, 14}, {1ull << 27, 15},
                                         {PageSlots::kLimit - 1, 16}};
    for (auto [i, v] : want) {
        auto slot = s.slot(i);
        ASSERT_FALSE(slot.is_error());
        EXPECT_EQ(*slot.value(), 0u);
        *slot.value() = v;
    }
    for (auto [i, v] : want) {
        ASSERT_NE(s.find(i), nullptr);
        EXPECT_EQ(*s.find(i), v);
    }
    // A neighbour in an existing node has a slot, but an empty one.
    ASSERT_NE(s.find(2), nullptr);
    EXPECT_EQ(*s.find(2), 0u);
    EXPECT_EQ(s.find(1ull << 20), nullptr);
}

TEST(PageSlots, ForEachVisitsNonzeroInIndexOrder) {
    PageSlots s;
    std::vector<uint64_t> indices = {900000, 3, 70000, 4, 1ull << 30};
    for (uint64_t i : indices) *s.slot(i).value() = i + 1;
    *s.slot(5).value() = 0;  // made but empty: not visited
    std::vector<std::pair<uint64_t, uint64_t>> seen;
    s.for_each([&](uint64_t i, uint64_t v) { seen.push_back({i, v}); });
    std::vector<std::pair<uint64_t, uint64_t>> want = {{3, 4}, {4, 5}, {70000, 70001}, {900000, 900001},
                                                       {1ull << 30, (1ull << 30) + 1}};
    EXPECT_EQ(seen, want);
}

TEST(PageSlots, IndexPastTheLimitIsEinval) {
    PageSlots s;
    auto r = s.slot(PageSlots::kLimit);
    ASSERT_TRUE(r.is_error());
    EXPECT_EQ(r.error().code, Errno::INVAL);
    EXPECT_EQ(s.find(PageSlots::kLimit), nullptr);
    EXPECT_EQ(s.find(~0ull), nullptr);
}

TEST(PageSlots, ClearEmptiesAndAllowsReuse) {
    PageSlots s;
    *s.slot(42).value() = 7;
    s.clear();
    EXPECT_EQ(s.find(42), nullptr);
    *s.slot(42).value() = 8;
    EXPECT_EQ(*s.find(42), 8u);
}

}  // namespace rt
