// normalize_path: what a path means before any file system is asked.
#include "kernel/lib/path.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rt {
namespace {

std::string normalized(const char* in, bool* trailing = nullptr) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s", in);
    bool slash = false;
    auto r = normalize_path(buf, slash);
    if (r.is_error()) return "error";
    if (trailing) *trailing = slash;
    return buf;
}

TEST(Path, PlainPathsLoseTheLeadingSlash) {
    EXPECT_EQ(normalized("/bin/init"), "bin/init");
    EXPECT_EQ(normalized("bin/init"), "bin/init");
    EXPECT_EQ(normalized("/"), "");
    EXPECT_EQ(normalized(""), "");
}

TEST(Path, DotsAndRepeatedSlashes) {
    EXPECT_EQ(normalized("//bin///./init"), "bin/init");
    EXPECT_EQ(normalized("/bin/../etc/passwd"), "etc/passwd");
    EXPECT_EQ(normalized("/a/b/c/../../d"), "a/d");
    EXPECT_EQ(normalized("./x/."), "x");
    EXPECT_EQ(normalized("..."), "...");
    EXPECT_EQ(normalized(".hidden/..x"), ".hidden/..x");
}

TEST(Path, TheRootIsItsOwnParent) {
    EXPECT_EQ(normalized("/../../bin/init"), "bin/init");
    EXPECT_EQ(normalized(".."), "");
    EXPECT_EQ(normalized("a/../.."), "");
}

TEST(Path, TrailingSlashIsReported) {
    bool slash = false;
    EXPECT_EQ(normalized("/bin/", &slash), "bin");
    EXPECT_TRUE(slash);
    EXPECT_EQ(normalized("/bin", &slash), "bin");
    EXPECT_FALSE(slash);
}

TEST(Path, OverlongComponentsAreRefused) {
    std::string ok = "/" + std::string(255, 'a'), bad = "/" + std::string(256, 'a');
    EXPECT_EQ(normalized(ok.c_str()), ok.substr(1));
    EXPECT_EQ(normalized(bad.c_str()), "error");
}

}  // namespace
}  // namespace rt
