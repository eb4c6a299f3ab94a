// cpio reader on well-formed archives: hand-built ones and one from GNU cpio.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cpio_builder.hpp"

namespace rt::test {
namespace {

TEST(CpioRead, FilesDirectoriesSymlinksAndDevices) {
    Archive a;
    a.add({.name = ".", .mode = kModeDirectory | 0700, .uid = 0, .nlink = 3});
    a.add({.name = "./bin", .mode = kModeDirectory | 0755, .ino = 7, .uid = 1000, .gid = 100,
           .nlink = 2, .mtime = 0x65000000});
    a.add({.name = "./bin/sh", .mode = kModeRegular | 0755, .data = "#!binary\x01\x02",
           .ino = 8, .dev_major = 8, .dev_minor = 1});
    a.add({.name = "./bin/ls", .mode = kModeSymlink | 0777, .data = "sh"});
    a.add({.name = "dev/console", .mode = kModeCharDevice | 0600, .rdev_major = 5,
           .rdev_minor = 1});
    a.add({.name = "./empty", .mode = kModeRegular | 0600});
    a.trailer().pad(512);
    Read r = read_all(a.bytes);
    ASSERT_FALSE(r.error.has_value()) << static_cast<int>(*r.error);
    ASSERT_EQ(r.names, (std::vector<std::string>{"", "bin", "bin/sh", "bin/ls", "dev/console",
                                                 "empty"}));
    EXPECT_TRUE(r.entries[0].is_root());
    EXPECT_TRUE(r.entries[0].is_directory());
    EXPECT_EQ(r.entries[0].mode & 07777, 0700u);
    const CpioEntry& bin = r.entries[1];
    EXPECT_TRUE(bin.is_directory());
    EXPECT_EQ(bin.ino, 7u);
    EXPECT_EQ(bin.uid, 1000u);
    EXPECT_EQ(bin.gid, 100u);
    EXPECT_EQ(bin.nlink, 2u);
    EXPECT_EQ(bin.mtime, 0x65000000u);
    EXPECT_EQ(bin.data_size, 0u);
    const CpioEntry& sh = r.entries[2];
    EXPECT_TRUE(sh.is_regular());
    EXPECT_EQ(sh.mode, kModeRegular | 0755);
    EXPECT_EQ(view(sh), "#!binary\x01\x02");
    EXPECT_EQ(sh.dev_major, 8u);
    EXPECT_EQ(sh.dev_minor, 1u);
    EXPECT_TRUE(r.entries[3].is_symlink());
    EXPECT_EQ(view(r.entries[3]), "sh");
    EXPECT_EQ(r.entries[4].type(), kModeCharDevice);
    EXPECT_EQ(r.entries[4].rdev_major, 5u);
    EXPECT_EQ(r.entries[4].rdev_minor, 1u);
    EXPECT_EQ(r.entries[5].data_size, 0u);
}

TEST(CpioRead, EmptyArchives) {
    Archive a;
    a.trailer();
    EXPECT_TRUE(read_all(a.bytes).entries.empty());
    EXPECT_FALSE(read_all(a.bytes).error.has_value());
    EXPECT_FALSE(read_all(nullptr, 0).error.has_value());  // no archive at all
    EXPECT_FALSE(read_all(std::string(1024, '\0')).error.has_value());  // only padding
}

TEST(CpioRead, AcceptsTheCrcVariantAndLowercaseHex) {
    Archive a;
    a.add({.name = "x", .data = "abc", .magic = "070702"});
    a.trailer();
    a.bytes[6 + 8 * 1 + 7] = 'a';  // mode ...81A4 -> ...81Aa: same digits in lowercase
    a.bytes[6 + 8 * 1 + 6] = 'a';
    Read r = read_all(a.bytes);
    ASSERT_FALSE(r.error.has_value());
    ASSERT_EQ(r.entries.size(), 1u);
    EXPECT_EQ(r.entries[0].mode, kModeRegular | 0x1aa);
    EXPECT_EQ(view(r.entries[0]), "abc");
}


TEST(CpioRead, NormalizesNames) {
    Archive a;
    a.dir("./a").dir("/b").dir("c/").dir(".//d//").file("./././e").file("...").file("a..b");
    a.file("a/.x").dir("./").dir("/");
    a.trailer();
    Read r = read_all(a.bytes);
    ASSERT_FALSE(r.error.has_value());
    EXPECT_EQ(r.names, (std::vector<std::string>{"a", "b", "c", "d", "e", "...", "a..b", "a/.x",
                                                 "", ""}));
}


TEST(CpioRead, TypeAndDataRules) {
    auto error_for = [](Spec s) {
        Archive a;
        a.add(s);
        a.trailer();
        return error_of(a.bytes);
    };
    EXPECT_EQ(error_for({.name = "d", .mode = kModeDirectory | 0755, .data = "x"}), Errno::INVAL);
    EXPECT_EQ(error_for({.name = "c", .mode = kModeCharDevice, .data = "x"}), Errno::INVAL);
    EXPECT_EQ(error_for({.name = "l", .mode = kModeSymlink | 0777}), Errno::INVAL);  // no target
    EXPECT_EQ(error_for({.name = "l", .mode = kModeSymlink, .data = std::string("a\0b", 3)}),
              Errno::INVAL);
    EXPECT_EQ(error_for({.name = "l", .mode = kModeSymlink, .data = std::string(4096, 't')}),
              Errno::INVAL);
    EXPECT_FALSE(error_for({.name = "l", .mode = kModeSymlink, .data = std::string(4095, 't')}));
    EXPECT_EQ(error_for({.name = "u", .mode = 0644}), Errno::INVAL);  // no file type
    EXPECT_EQ(error_for({.name = "u", .mode = 0170644}), Errno::INVAL);
    EXPECT_EQ(error_for({.name = ".", .mode = kModeRegular | 0644}), Errno::INVAL);  // root
    EXPECT_FALSE(error_for({.name = "p", .mode = kModeFifo | 0600}));
    EXPECT_FALSE(error_for({.name = "s", .mode = kModeSocket | 0600}));
    EXPECT_FALSE(error_for({.name = "b", .mode = kModeBlockDevice | 0600}));
}

TEST(CpioRead, HardLinksShareAnInode) {
    Archive a;
    a.add({.name = "one", .ino = 42, .nlink = 2});
    a.add({.name = "two", .data = "shared", .ino = 42, .nlink = 2});
    a.trailer();
    Read r = read_all(a.bytes);
    ASSERT_EQ(r.entries.size(), 2u);
    EXPECT_EQ(r.entries[0].ino, r.entries[1].ino);
    EXPECT_EQ(r.entries[0].data_size, 0u);
    EXPECT_EQ(view(r.entries[1]), "shared");
}

TEST(CpioRead, ConcatenatedArchivesContinue) {
    Archive a;
    a.dir("etc").file("etc/one", "1").trailer().pad(512);
    a.file("etc/two", "22").trailer().pad(512);
    a.file("three", "333").trailer();  // the last one without padding
    Read r = read_all(a.bytes);
    ASSERT_FALSE(r.error.has_value());
    EXPECT_EQ(r.names, (std::vector<std::string>{"etc", "etc/one", "etc/two", "three"}));
    EXPECT_EQ(view(r.entries[3]), "333");

    Archive unaligned;  // zeros after a trailer, then a header at an offset that is not 4-aligned
    unaligned.file("x").trailer();
    unaligned.bytes += '\0';
    unaligned.bytes += Archive().file("y").trailer().bytes;
    Read u = read_all(unaligned.bytes);
    EXPECT_EQ(u.names, std::vector<std::string>{"x"});  // "y" is not even looked at
    EXPECT_EQ(u.error, Errno::INVAL);
    Archive junk;
    junk.file("x").trailer().pad(512);
    junk.bytes += "JUNK";
    Read j = read_all(junk.bytes);
    EXPECT_EQ(j.entries.size(), 1u);  // what came before the junk was delivered
    EXPECT_EQ(j.error, Errno::INVAL);
}


TEST(CpioReal, GnuCpioArchive) {
    if (access("/usr/bin/cpio", X_OK) != 0) GTEST_SKIP() << "cpio is not installed";
    char dir[] = "/tmp/riptide-cpio-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    std::string d = dir;
    std::string cmd = "cd " + d + " && mkdir -p root/etc && printf 'hello' > root/etc/motd && "
                      "ln -s motd root/etc/link && cd root && "
                      "find . | LC_ALL=C sort | cpio -o -H newc --quiet > ../out.cpio";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream in(d + "/out.cpio", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    int rc = std::system(("rm -rf " + d).c_str());
    EXPECT_EQ(rc, 0);
    ASSERT_FALSE(bytes.empty());
    EXPECT_EQ(bytes.size() % 512, 0u);
    Read r = read_all(bytes);
    ASSERT_FALSE(r.error.has_value()) << static_cast<int>(*r.error);
    ASSERT_EQ(r.names, (std::vector<std::string>{"", "etc", "etc/link", "etc/motd"}));
    EXPECT_TRUE(r.entries[0].is_root());
    EXPECT_TRUE(r.entries[1].is_directory());
    EXPECT_TRUE(r.entries[2].is_symlink());
    EXPECT_EQ(view(r.entries[2]), "motd");
    EXPECT_TRUE(r.entries[3].is_regular());
    EXPECT_EQ(view(r.entries[3]), "hello");
    EXPECT_EQ(r.entries[3].uid, getuid());
}

}  // namespace
}  // namespace rt::test
