// The file tree through the system calls: names (create, link, rename, unlink, directories,
// symlinks), descriptors relative to directories, permissions as a non-root user, the special
// file systems (/dev, /proc, tmpfs mounts) and hostile paths. Everything happens under a fresh
// directory in /tmp, removed at the end of each case.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <string>

#include "catch2/catch.hpp"
#include "fork_child.hpp"

namespace {

// A scratch directory for one test case; removed (recursively) when the case ends.
struct Scratch {
    std::string dir;
    Scratch() {
        static int n = 0;
        dir = "/tmp/vfs-" + std::to_string(getpid()) + "-" + std::to_string(n++);
        REQUIRE(mkdir(dir.c_str(), 0755) == 0);
    }
    ~Scratch() { remove_tree(dir); }
    std::string operator/(const std::string& name) const { return dir + "/" + name; }
    static void remove_tree(const std::string& path) {
        if (DIR* d = opendir(path.c_str())) {
            while (dirent* e = readdir(d)) {
                std::string name = e->d_name;
                if (name == "." || name == "..") continue;
                std::string child = path + "/" + name;
                struct stat st;
                if (lstat(child.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) remove_tree(child);
                else unlink(child.c_str());
            }
            closedir(d);
        }
        rmdir(path.c_str());
    }
};

void write_file(const std::string& path, const std::string& text, int flags = O_WRONLY | O_CREAT | O_TRUNC) {
    int fd = open(path.c_str(), flags, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    close(fd);
}

std::string read_file(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY);
    if (fd < 0) return "<" + std::string(strerror(errno)) + ">";
    std::string out;
    char buf[512];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
    close(fd);
    return out;
}

std::set<std::string> list(const std::string& path) {
    std::set<std::string> names;
    DIR* d = opendir(path.c_str());
    if (!d) return names;
    while (dirent* e = readdir(d)) names.insert(e->d_name);
    closedir(d);
    return names;
}

// Forks, runs body as uid/gid 1000 in the child, and answers its exit status.
template <typename Body>
int as_user(Body body) {
    pid_t pid = fork();
    if (pid == 0) {
        if (setgid(1000) != 0 || setuid(1000) != 0) _exit(100);
        _exit(body());
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 200;
}

}  // namespace

TEST_CASE("files are created, written, appended to and truncated") {
    Scratch s;
    write_file(s / "a", "hello");
    CHECK(read_file(s / "a") == "hello");
    write_file(s / "a", " world", O_WRONLY | O_APPEND);
    CHECK(read_file(s / "a") == "hello world");
    CHECK(truncate((s / "a").c_str(), 5) == 0);
    CHECK(read_file(s / "a") == "hello");
    CHECK(open((s / "a").c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644) == -1);
    CHECK(errno == EEXIST);
    // O_APPEND writes go to the end whatever the position says.
    int fd = open((s / "a").c_str(), O_RDWR | O_APPEND);
    REQUIRE(fd >= 0);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    CHECK(write(fd, "!", 1) == 1);
    close(fd);
    CHECK(read_file(s / "a") == "hello!");
    struct stat st;
    REQUIRE(stat((s / "a").c_str(), &st) == 0);
    CHECK(S_ISREG(st.st_mode));
    CHECK(st.st_size == 6);
    CHECK((st.st_mode & 0777) == (0644 & ~022));
}

TEST_CASE("the umask takes bits from new files and directories") {
    Scratch s;
    mode_t old = umask(077);
    int fd = open((s / "f").c_str(), O_CREAT | O_WRONLY, 0666);
    CHECK(mkdir((s / "d").c_str(), 0777) == 0);
    umask(old);
    struct stat st;
    REQUIRE(fstat(fd, &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(stat((s / "d").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    close(fd);
}

TEST_CASE("directories are made, listed and removed") {
    Scratch s;
    CHECK(mkdir((s / "d").c_str(), 0755) == 0);
    CHECK(mkdir((s / "d").c_str(), 0755) == -1);
    CHECK(errno == EEXIST);
    write_file(s / "d/x", "1");
    write_file(s / "d/y", "2");
    CHECK(list(s / "d") == std::set<std::string>{".", "..", "x", "y"});
    CHECK(rmdir((s / "d").c_str()) == -1);
    CHECK(errno == ENOTEMPTY);
    CHECK(unlink((s / "d").c_str()) == -1);
    CHECK(errno == EISDIR);
    CHECK(rmdir((s / "d/x").c_str()) == -1);
    CHECK(errno == ENOTDIR);
    CHECK(unlink((s / "d/x").c_str()) == 0);
    CHECK(unlink((s / "d/y").c_str()) == 0);
    CHECK(rmdir((s / "d").c_str()) == 0);
    CHECK(access((s / "d").c_str(), F_OK) == -1);
    CHECK(errno == ENOENT);
    struct stat st;
    REQUIRE(stat(s.dir.c_str(), &st) == 0);
    CHECK(st.st_nlink == 2);
}

TEST_CASE("a directory listing holds every entry once, across many getdents calls") {
    Scratch s;
    std::set<std::string> want{".", ".."};
    for (int i = 0; i < 300; ++i) {
        std::string name = "file-with-a-long-name-" + std::to_string(i);
        write_file(s / name, "");
        want.insert(name);
    }
    CHECK(list(s.dir) == want);
}

TEST_CASE("an unlinked file lives on while it is open") {
    Scratch s;
    write_file(s / "gone", "still here");
    int fd = open((s / "gone").c_str(), O_RDWR);
    REQUIRE(fd >= 0);
    CHECK(unlink((s / "gone").c_str()) == 0);
    CHECK(access((s / "gone").c_str(), F_OK) == -1);
    char buf[32] = {};
    CHECK(pread(fd, buf, sizeof buf, 0) == 10);
    CHECK(std::string(buf) == "still here");
    CHECK(pwrite(fd, "X", 1, 0) == 1);
    struct stat st;
    REQUIRE(fstat(fd, &st) == 0);
    CHECK(st.st_nlink == 0);
    close(fd);
}

TEST_CASE("rename replaces atomically and keeps its rules") {
    Scratch s;
    write_file(s / "a", "A");
    write_file(s / "b", "B");
    CHECK(rename((s / "a").c_str(), (s / "b").c_str()) == 0);
    CHECK(read_file(s / "b") == "A");
    CHECK(access((s / "a").c_str(), F_OK) == -1);
    CHECK(mkdir((s / "d").c_str(), 0755) == 0);
    CHECK(mkdir((s / "d/sub").c_str(), 0755) == 0);
    CHECK(rename((s / "d").c_str(), (s / "d/sub/inside").c_str()) == -1);
    CHECK(errno == EINVAL);
    CHECK(rename((s / "b").c_str(), (s / "d").c_str()) == -1);
    CHECK(errno == EISDIR);
    CHECK(rename((s / "d").c_str(), (s / "b").c_str()) == -1);
    CHECK(errno == ENOTDIR);
    CHECK(mkdir((s / "e").c_str(), 0755) == 0);
    CHECK(rename((s / "e").c_str(), (s / "d").c_str()) == -1);
    CHECK(errno == ENOTEMPTY);
    CHECK(rename((s / "d/sub").c_str(), (s / "moved").c_str()) == 0);
    CHECK(list(s / "moved") == std::set<std::string>{".", ".."});
    CHECK(syscall(SYS_renameat2, AT_FDCWD, (s / "b").c_str(), AT_FDCWD, (s / "e").c_str(), 1 /* NOREPLACE */) == -1);
    CHECK(errno == EEXIST);
    CHECK(rename((s / "nothing").c_str(), (s / "x").c_str()) == -1);
    CHECK(errno == ENOENT);
    CHECK(rename((s / "b").c_str(), "/dev/b") == -1);
    CHECK(errno == EXDEV);
}

TEST_CASE("hard links share one inode and count its names") {
    Scratch s;
    write_file(s / "a", "data");
    CHECK(link((s / "a").c_str(), (s / "b").c_str()) == 0);
    struct stat a, b;
    REQUIRE(stat((s / "a").c_str(), &a) == 0);
    REQUIRE(stat((s / "b").c_str(), &b) == 0);
    CHECK(a.st_ino == b.st_ino);
    CHECK(a.st_nlink == 2);
    CHECK(link(s.dir.c_str(), (s / "dirlink").c_str()) == -1);
    CHECK(errno == EPERM);
    CHECK(unlink((s / "a").c_str()) == 0);
    CHECK(read_file(s / "b") == "data");
    REQUIRE(stat((s / "b").c_str(), &b) == 0);
    CHECK(b.st_nlink == 1);
}

TEST_CASE("symlinks are followed, read, refused by O_NOFOLLOW and loop to ELOOP") {
    Scratch s;
    write_file(s / "target", "T");
    CHECK(symlink("target", (s / "rel").c_str()) == 0);
    CHECK(symlink((s / "target").c_str(), (s / "abs").c_str()) == 0);
    CHECK(read_file(s / "rel") == "T");
    CHECK(read_file(s / "abs") == "T");
    char buf[256] = {};
    CHECK(readlink((s / "rel").c_str(), buf, sizeof buf) == 6);
    CHECK(std::string(buf) == "target");
    CHECK(readlink((s / "target").c_str(), buf, sizeof buf) == -1);
    CHECK(errno == EINVAL);
    CHECK(open((s / "rel").c_str(), O_RDONLY | O_NOFOLLOW) == -1);
    CHECK(errno == ELOOP);
    struct stat st;
    REQUIRE(lstat((s / "rel").c_str(), &st) == 0);
    CHECK(S_ISLNK(st.st_mode));
    CHECK(symlink("loop2", (s / "loop1").c_str()) == 0);
    CHECK(symlink("loop1", (s / "loop2").c_str()) == 0);
    CHECK(open((s / "loop1").c_str(), O_RDONLY) == -1);
    CHECK(errno == ELOOP);
    CHECK(symlink("nowhere", (s / "dangling").c_str()) == 0);
    CHECK(stat((s / "dangling").c_str(), &st) == -1);
    CHECK(errno == ENOENT);
    // A symlink to a directory is a directory on the way.
    CHECK(mkdir((s / "dir").c_str(), 0755) == 0);
    CHECK(symlink("dir", (s / "dirlink").c_str()) == 0);
    write_file(s / "dirlink/inside", "I");
    CHECK(read_file(s / "dir/inside") == "I");
    CHECK(read_file(s / "dir/../target") == "T");
}

TEST_CASE("paths relative to directory descriptors, the cwd and AT_EMPTY_PATH") {
    Scratch s;
    CHECK(mkdir((s / "d").c_str(), 0755) == 0);
    int dir = open((s / "d").c_str(), O_RDONLY | O_DIRECTORY);
    REQUIRE(dir >= 0);
    int fd = openat(dir, "made", O_CREAT | O_WRONLY, 0644);
    CHECK(fd >= 0);
    close(fd);
    CHECK(access((s / "d/made").c_str(), F_OK) == 0);
    CHECK(mkdirat(dir, "sub", 0755) == 0);
    CHECK(unlinkat(dir, "sub", AT_REMOVEDIR) == 0);
    CHECK(unlinkat(dir, "made", 0) == 0);
    struct stat st;
    CHECK(fstatat(dir, "", &st, AT_EMPTY_PATH) == 0);
    CHECK(S_ISDIR(st.st_mode));
    CHECK(fstatat(AT_FDCWD, "", &st, AT_EMPTY_PATH) == 0);
    CHECK(fstatat(dir, "", &st, 0) == -1);
    CHECK(errno == ENOENT);
    int file = open((s / "f").c_str(), O_CREAT | O_RDWR, 0644);
    CHECK(openat(file, "x", O_RDONLY) == -1);
    CHECK(errno == ENOTDIR);
    CHECK(openat(12345, "x", O_RDONLY) == -1);
    CHECK(errno == EBADF);
    close(file);
    char cwd[256];
    REQUIRE(getcwd(cwd, sizeof cwd) != nullptr);
    CHECK(fchdir(dir) == 0);
    char here[256];
    REQUIRE(getcwd(here, sizeof here) != nullptr);
    CHECK(std::string(here) == s / "d");
    CHECK(getcwd(here, 3) == nullptr);
    CHECK(errno == ERANGE);
    write_file("relative", "R");
    CHECK(read_file(s / "d/relative") == "R");
    CHECK(chdir("..") == 0);
    REQUIRE(getcwd(here, sizeof here) != nullptr);
    CHECK(std::string(here) == s.dir);
    CHECK(chdir(cwd) == 0);
    close(dir);
}

TEST_CASE("permissions hold for a non-root user and root passes them") {
    Scratch s;
    write_file(s / "secret", "root only");
    CHECK(chmod((s / "secret").c_str(), 0600) == 0);
    CHECK(chmod(s.dir.c_str(), 0755) == 0);
    std::string secret = s / "secret", dir = s.dir;
    CHECK(as_user([&] {
        if (open(secret.c_str(), O_RDONLY) != -1 || errno != EACCES) return 1;
        if (access(secret.c_str(), R_OK) != -1 || errno != EACCES) return 2;
        if (open((dir + "/mine").c_str(), O_CREAT | O_WRONLY, 0644) != -1 || errno != EACCES) return 3;
        if (unlink(secret.c_str()) != -1 || errno != EACCES) return 4;
        if (chmod(secret.c_str(), 0777) != -1 || errno != EPERM) return 5;
        if (chown(secret.c_str(), 1000, 1000) != -1 || errno != EPERM) return 6;
        // /tmp is world-writable with the sticky bit.
        int fd = open("/tmp/vfs-user-file", O_CREAT | O_WRONLY, 0600);
        if (fd < 0) return 7;
        close(fd);
        return 0;
    }) == 0);
    // The sticky bit keeps root's file in /tmp from user 1000, and the user's from nobody else.
    write_file("/tmp/vfs-root-file", "r");
    CHECK(as_user([] { return unlink("/tmp/vfs-root-file") == -1 && errno == EPERM ? 0 : 1; }) == 0);
    CHECK(as_user([] { return unlink("/tmp/vfs-user-file"); }) == 0);
    CHECK(unlink("/tmp/vfs-root-file") == 0);
    CHECK(chown(secret.c_str(), 1000, 1000) == 0);
    CHECK(as_user([&] { return open(secret.c_str(), O_RDWR) >= 0 ? 0 : 1; }) == 0);
    // Root writes a file no one may write, but runs only what someone may run.
    CHECK(chmod(secret.c_str(), 0) == 0);
    CHECK(open(secret.c_str(), O_RDWR) >= 0);
    CHECK(access(secret.c_str(), X_OK) == -1);
}

TEST_CASE("times, modes and owners change through the calls that change them") {
    Scratch s;
    write_file(s / "f", "x");
    struct timespec times[2] = {{1000, 5}, {2000, 7}};
    CHECK(utimensat(AT_FDCWD, (s / "f").c_str(), times, 0) == 0);
    struct stat st;
    REQUIRE(stat((s / "f").c_str(), &st) == 0);
    CHECK(st.st_atim.tv_sec == 1000);
    CHECK(st.st_mtim.tv_sec == 2000);
    CHECK(st.st_mtim.tv_nsec == 7);
    times[0].tv_nsec = 1000000000;
    CHECK(utimensat(AT_FDCWD, (s / "f").c_str(), times, 0) == -1);
    CHECK(errno == EINVAL);
    CHECK(chmod((s / "f").c_str(), 04755) == 0);
    CHECK(chown((s / "f").c_str(), 5, 6) == 0);
    REQUIRE(stat((s / "f").c_str(), &st) == 0);
    CHECK(st.st_uid == 5);
    CHECK(st.st_gid == 6);
    CHECK((st.st_mode & 07777) == 0755);  // a new owner loses set-user-ID
}

TEST_CASE("the device files do what their names say") {
    char buf[64];
    int null = open("/dev/null", O_RDWR);
    REQUIRE(null >= 0);
    CHECK(read(null, buf, sizeof buf) == 0);
    CHECK(write(null, "x", 1) == 1);
    close(null);
    int zero = open("/dev/zero", O_RDONLY);
    memset(buf, 1, sizeof buf);
    CHECK(read(zero, buf, sizeof buf) == sizeof buf);
    CHECK(std::all_of(buf, buf + sizeof buf, [](char c) { return c == 0; }));
    close(zero);
    int full = open("/dev/full", O_WRONLY);
    CHECK(write(full, "x", 1) == -1);
    CHECK(errno == ENOSPC);
    close(full);
    int random = open("/dev/urandom", O_RDONLY);
    char a[16] = {}, b[16] = {};
    CHECK(read(random, a, sizeof a) == sizeof a);
    CHECK(read(random, b, sizeof b) == sizeof b);
    CHECK(memcmp(a, b, sizeof a) != 0);
    close(random);
    struct stat st;
    REQUIRE(stat("/dev/null", &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
    CHECK(st.st_rdev == makedev(1, 3));
}

TEST_CASE("procfs shows the process to itself") {
    char buf[256] = {};
    CHECK(readlink("/proc/self", buf, sizeof buf) > 0);
    CHECK(std::string(buf) == std::to_string(getpid()));
    memset(buf, 0, sizeof buf);
    CHECK(readlink("/proc/self/exe", buf, sizeof buf) > 0);
    CHECK(std::string(buf) == "/bin/catch2_vfs");
    int fd = fcntl(open("/dev/null", O_RDONLY), F_DUPFD, 100);  // above what opendir takes
    memset(buf, 0, sizeof buf);
    CHECK(readlink(("/proc/self/fd/" + std::to_string(fd)).c_str(), buf, sizeof buf) > 0);
    CHECK(std::string(buf) == "/dev/null");
    CHECK(list("/proc/self/fd").count(std::to_string(fd)) == 1);
    close(fd);
    CHECK(list("/proc/self/fd").count(std::to_string(fd)) == 0);
    std::string cmdline = read_file("/proc/self/cmdline");
    CHECK(cmdline.substr(0, 15) == std::string("/bin/catch2_vfs"));
    std::string status = read_file("/proc/self/status");
    CHECK(status.find("Pid:\t" + std::to_string(getpid()) + "\n") != std::string::npos);
    CHECK(read_file("/proc/self/comm") == "catch2_vfs\n");
    std::string stat = read_file("/proc/self/stat");
    CHECK(stat.rfind(std::to_string(getpid()) + " (catch2_vfs) ", 0) == 0);
    CHECK(read_file("/proc/meminfo").find("MemTotal:") == 0);
    CHECK(read_file("/proc/mounts").find(" /proc proc ") != std::string::npos);
    CHECK(read_file("/proc/uptime").find('.') != std::string::npos);
    CHECK(list("/proc").count(std::to_string(getpid())) == 1);
    // The working directory through /proc: its link, and a walk through it.
    char cwd[256];
    REQUIRE(getcwd(cwd, sizeof cwd) != nullptr);
    memset(buf, 0, sizeof buf);
    CHECK(readlink("/proc/self/cwd", buf, sizeof buf) > 0);
    CHECK(std::string(buf) == cwd);
    CHECK(open("/proc/self/status", O_WRONLY) == -1);
    CHECK(open("/proc/nothing", O_RDONLY) == -1);
    CHECK(errno == ENOENT);
}

TEST_CASE("a tmpfs mounts, is busy while used and unmounts") {
    Scratch s;
    CHECK(mkdir((s / "m").c_str(), 0755) == 0);
    write_file(s / "m/under", "hidden");
    CHECK(mount("none", (s / "m").c_str(), "tmpfs", 0, nullptr) == 0);
    CHECK(list(s / "m") == std::set<std::string>{".", ".."});
    write_file(s / "m/on-top", "top");
    // Naming a mount inside another non-root mount (this one is under /tmp's) once deadlocked
    // on the mount lock.
    CHECK(read_file("/proc/mounts").find(" " + s.dir + "/m tmpfs ") != std::string::npos);
    struct statfs fs;
    CHECK(statfs((s / "m").c_str(), &fs) == 0);
    CHECK(fs.f_type == 0x01021994);
    int fd = open((s / "m/on-top").c_str(), O_RDONLY);
    CHECK(umount((s / "m").c_str()) == -1);
    CHECK(errno == EBUSY);
    close(fd);
    CHECK(umount((s / "m").c_str()) == 0);
    CHECK(read_file(s / "m/under") == "hidden");
    CHECK(mount("none", (s / "m").c_str(), "nofs", 0, nullptr) == -1);
    CHECK(errno == ENODEV);
}

TEST_CASE("a bind mount shows a directory in a second place, and unmounts") {
    Scratch s;
    CHECK(mkdir((s / "src").c_str(), 0755) == 0);
    CHECK(mkdir((s / "dst").c_str(), 0755) == 0);
    write_file(s / "src/a", "one");
    write_file(s / "dst/hidden", "under");
    CHECK(mount((s / "src").c_str(), (s / "dst").c_str(), nullptr, MS_BIND, nullptr) == 0);
    CHECK(list(s / "dst") == std::set<std::string>{".", "..", "a"});
    write_file(s / "dst/b", "two");  // the same directory: it appears in both places
    CHECK(read_file(s / "src/b") == "two");
    struct stat in_src, in_dst;
    CHECK(stat((s / "src/a").c_str(), &in_src) == 0);
    CHECK(stat((s / "dst/a").c_str(), &in_dst) == 0);
    CHECK(in_src.st_ino == in_dst.st_ino);
    // ".." of the bind mount's root climbs out of the mount, to where it is mounted.
    CHECK(list(s / "dst/..").count("src") == 1);
    CHECK(umount((s / "dst").c_str()) == 0);
    CHECK(list(s / "dst") == std::set<std::string>{".", "..", "hidden"});
    // A directory binds only over a directory.
    CHECK(mount((s / "src").c_str(), (s / "dst/hidden").c_str(), nullptr, MS_BIND, nullptr) == -1);
    CHECK(errno == ENOTDIR);
    CHECK(mount((s / "nothing").c_str(), (s / "dst").c_str(), nullptr, MS_BIND, nullptr) == -1);
    CHECK(errno == ENOENT);
}

TEST_CASE("a recursive bind mount copies the mounts below its source") {
    Scratch s;
    for (const char* d : {"src", "src/sub", "plain", "all"}) CHECK(mkdir((s / d).c_str(), 0755) == 0);
    CHECK(mount("none", (s / "src/sub").c_str(), "tmpfs", 0, nullptr) == 0);
    write_file(s / "src/sub/inside", "x");
    CHECK(mount((s / "src").c_str(), (s / "plain").c_str(), nullptr, MS_BIND, nullptr) == 0);
    CHECK(mount((s / "src").c_str(), (s / "all").c_str(), nullptr, MS_BIND | MS_REC, nullptr) == 0);
    CHECK(list(s / "plain/sub") == std::set<std::string>{".", ".."});  // the mount stays behind
    CHECK(list(s / "all/sub") == std::set<std::string>{".", "..", "inside"});
    CHECK(umount((s / "all/sub").c_str()) == 0);
    CHECK(umount((s / "all").c_str()) == 0);
    CHECK(umount((s / "plain").c_str()) == 0);
    CHECK(umount((s / "src/sub").c_str()) == 0);
}

// busybox's "mount bind+rshared" case: a mount made under one shared mount appears under its
// peers (a bind of a shared mount is its peer).
TEST_CASE("mounts propagate between shared peers") {
    Scratch s;
    for (const char* d : {"dir", "shared1", "shared2"}) CHECK(mkdir((s / d).c_str(), 0755) == 0);
    write_file(s / "dir/a", "");
    write_file(s / "dir/b", "");
    std::string dir = s / "dir", one = s / "shared1", two = s / "shared2";
    CHECK(mount(one.c_str(), one.c_str(), nullptr, MS_BIND, nullptr) == 0);
    CHECK(mount(nullptr, one.c_str(), nullptr, MS_SHARED | MS_REC, nullptr) == 0);
    CHECK(mount(two.c_str(), two.c_str(), nullptr, MS_BIND, nullptr) == 0);
    CHECK(mount(nullptr, two.c_str(), nullptr, MS_SHARED | MS_REC, nullptr) == 0);
    CHECK(mount(two.c_str(), one.c_str(), nullptr, MS_BIND, nullptr) == 0);
    CHECK(mount(dir.c_str(), two.c_str(), nullptr, MS_BIND, nullptr) == 0);
    std::set<std::string> ab{".", "..", "a", "b"};
    CHECK(list(two) == ab);
    CHECK(list(one) == ab);  // propagated from shared2 to its peer over shared1
    // A private mount receives nothing.
    CHECK(mount(nullptr, one.c_str(), nullptr, MS_PRIVATE, nullptr) == 0);
    // Two propagation types at once, or a place that is no mount's root: EINVAL.
    CHECK(mount(nullptr, two.c_str(), nullptr, MS_SHARED | MS_PRIVATE, nullptr) == -1);
    CHECK(errno == EINVAL);
    CHECK(mount(nullptr, (s / "dir").c_str(), nullptr, MS_SHARED, nullptr) == -1);
    CHECK(errno == EINVAL);
    for (int round = 0; round < 3; round++)
        for (const std::string& p : {one, two}) umount(p.c_str());
    CHECK(list(one) == std::set<std::string>{".", ".."});
    CHECK(list(two) == std::set<std::string>{".", ".."});
}

namespace {

std::string link_target(const std::string& path) {
    char buf[256];
    ssize_t n = readlink(path.c_str(), buf, sizeof buf);
    return n < 0 ? std::string() : std::string(buf, static_cast<size_t>(n));
}

}  // namespace

TEST_CASE("a running program's file cannot be opened for writing, nor one open for writing run") {
    Scratch s;
    std::string prog = s / "bb";
    write_file(prog, read_file("/bin/busybox"));
    REQUIRE(chmod(prog.c_str(), 0755) == 0);
    // Open for writing: it does not run.
    int writer = open(prog.c_str(), O_WRONLY);
    REQUIRE(writer >= 0);
    pid_t child = fork();
    if (child == 0) {
        execl(prog.c_str(), "true", nullptr);
        _exit(errno == ETXTBSY ? 0 : 1);
    }
    CHECK(exited_with(wait_child(child), 0));
    close(writer);
    // Running: it opens for reading only, and does not truncate.
    child = fork();
    if (child == 0) {
        execl(prog.c_str(), "sleep", "5", nullptr);
        _exit(127);
    }
    for (int i = 0; i < 200 && link_target("/proc/" + std::to_string(child) + "/exe") != prog; i++) usleep(10 * 1000);
    CHECK(link_target("/proc/" + std::to_string(child) + "/exe") == prog);
    CHECK(open(prog.c_str(), O_WRONLY) == -1);
    CHECK(errno == ETXTBSY);
    CHECK(truncate(prog.c_str(), 0) == -1);
    CHECK(errno == ETXTBSY);
    int reader = open(prog.c_str(), O_RDONLY);
    CHECK(reader >= 0);
    close(reader);
    kill(child, SIGKILL);
    int status = wait_child(child);
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
    writer = open(prog.c_str(), O_WRONLY);  // it ended: writers may open it again
    CHECK(writer >= 0);
    close(writer);
}

TEST_CASE("a forked child has its parent's name, command line and program in /proc") {
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    std::string mine = "/proc/self/", its = "/proc/" + std::to_string(child) + "/";
    CHECK(read_file(its + "comm") == read_file(mine + "comm"));
    CHECK(read_file(its + "cmdline") == read_file(mine + "cmdline"));
    CHECK(link_target(its + "exe") == link_target(mine + "exe"));
    CHECK(!link_target(its + "exe").empty());
    kill(child, SIGKILL);
    wait_child(child);
}

// read(2) copies a tmpfs file's pages straight to the caller: written pages, holes (zeros) and
// an initramfs file's bytes never written, across page boundaries, as its mapping shows them.
TEST_CASE("reads see written pages, holes and never-written archive bytes") {
    Scratch s;
    int fd = open((s / "sparse").c_str(), O_CREAT | O_RDWR, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(pwrite(fd, "end", 3, 10000) == 3);
    std::string got(10003, 'x');
    CHECK(pread(fd, got.data(), got.size(), 0) == 10003);
    CHECK(got == std::string(10000, '\0') + "end");
    CHECK(pread(fd, got.data(), 100, 10001) == 2);  // cut at the end of the file
    close(fd);
    int exe = open("/bin/busybox", O_RDONLY);
    REQUIRE(exe >= 0);
    struct stat st;
    REQUIRE(fstat(exe, &st) == 0);
    auto* mapped = static_cast<const char*>(mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, exe, 0));
    REQUIRE(mapped != MAP_FAILED);
    std::string bytes(static_cast<size_t>(st.st_size), '\0');
    CHECK(pread(exe, bytes.data(), bytes.size(), 0) == st.st_size);
    CHECK(memcmp(bytes.data(), mapped, bytes.size()) == 0);
    CHECK(pread(exe, bytes.data(), 5000, 4000) == 5000);  // from inside a page, across two
    CHECK(memcmp(bytes.data(), mapped + 4000, 5000) == 0);
    CHECK(syscall(SYS_pread64, exe, 16, 10, 0) == -1);  // the first page is never mapped
    CHECK(errno == EFAULT);
    munmap(const_cast<char*>(mapped), st.st_size);
    close(exe);
}

TEST_CASE("memfd_create makes a file with no name that maps and grows") {
    int fd = static_cast<int>(syscall(SYS_memfd_create, "riptide", 0));
    REQUIRE(fd >= 0);
    CHECK(ftruncate(fd, 4096) == 0);
    char* p = static_cast<char*>(mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
    REQUIRE(p != MAP_FAILED);
    strcpy(p, "mapped");
    char buf[8] = {};
    CHECK(pread(fd, buf, 6, 0) == 6);
    CHECK(std::string(buf) == "mapped");
    char link[64] = {};
    CHECK(readlink(("/proc/self/fd/" + std::to_string(fd)).c_str(), link, sizeof link) > 0);
    CHECK(std::string(link).find("memfd:riptide") != std::string::npos);
    // fstatfs on it once crashed the kernel: it sits on no mount.
    struct statfs fs;
    CHECK(fstatfs(fd, &fs) == 0);
    munmap(p, 4096);
    close(fd);
}

TEST_CASE("hostile paths answer errors") {
    std::string too_long(5000, 'a');
    CHECK(open(too_long.c_str(), O_RDONLY) == -1);
    CHECK(errno == ENAMETOOLONG);
    std::string long_name = "/tmp/" + std::string(300, 'n');
    CHECK(open(long_name.c_str(), O_CREAT | O_WRONLY, 0644) == -1);
    CHECK(errno == ENAMETOOLONG);
    CHECK(open(reinterpret_cast<const char*>(0xffffffff80000000ul), O_RDONLY) == -1);
    CHECK(errno == EFAULT);
    CHECK(syscall(SYS_openat, AT_FDCWD, nullptr, O_RDONLY) == -1);
    CHECK(errno == EFAULT);
    CHECK(mkdir(reinterpret_cast<const char*>(1), 0755) == -1);
    CHECK(errno == EFAULT);
    // A path that runs off the end of its mapping (not NUL-terminated).
    char* page = static_cast<char*>(mmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    REQUIRE(page != MAP_FAILED);
    REQUIRE(munmap(page + 4096, 4096) == 0);
    memset(page, 'x', 4096);
    CHECK(open(page + 100, O_RDONLY) == -1);
    CHECK(errno == EFAULT);
    munmap(page, 4096);
    CHECK(open("", O_RDONLY) == -1);
    CHECK(errno == ENOENT);
    CHECK(open("/bin/glibc_hello/x", O_RDONLY) == -1);
    CHECK(errno == ENOTDIR);
    CHECK(open("/bin/", O_WRONLY) == -1);
    CHECK(errno == EISDIR);
    CHECK(mkdir("/", 0755) == -1);
    CHECK(errno == EEXIST);
    CHECK(rmdir("/") == -1);
    CHECK(rmdir("/tmp/.") == -1);
    CHECK(errno == EINVAL);
    char small[2];
    CHECK(getdents64(0, small, sizeof small) == -1);
    int dir = open("/", O_RDONLY | O_DIRECTORY);
    CHECK(getdents64(dir, small, sizeof small) == -1);
    CHECK(errno == EINVAL);
    CHECK(getdents64(dir, reinterpret_cast<void*>(0xffffffff80000000ul), 4096) == -1);
    CHECK(errno == EFAULT);
    close(dir);
    CHECK(readlink("/proc/self/exe", small, 0) == -1);
    CHECK(errno == EINVAL);
    CHECK(chdir("/bin/glibc_hello") == -1);
    CHECK(errno == ENOTDIR);
}

TEST_CASE("vectored positional I/O leaves the position alone; msync checks its range") {
    Scratch s;
    write_file(s / "v", "0123456789");
    int fd = open((s / "v").c_str(), O_RDWR);
    REQUIRE(fd >= 0);
    char a[3] = {}, b[4] = {};
    iovec iov[2] = {{a, 3}, {b, 4}};
    CHECK(preadv(fd, iov, 2, 2) == 7);
    CHECK(std::string(a, 3) == "234");
    CHECK(std::string(b, 4) == "5678");
    CHECK(lseek(fd, 0, SEEK_CUR) == 0);
    iovec out[2] = {{const_cast<char*>("ab"), 2}, {const_cast<char*>("cd"), 2}};
    CHECK(pwritev(fd, out, 2, 8) == 4);
    CHECK(read_file(s / "v") == "01234567abcd");
    CHECK(preadv(fd, iov, 2, -1) == -1);
    CHECK(errno == EINVAL);
    CHECK(preadv2(fd, iov, 1, -1, 0) == 3);  // -1: from the file position, which moves
    CHECK(lseek(fd, 0, SEEK_CUR) == 3);
    char* p = static_cast<char*>(mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
    REQUIRE(p != MAP_FAILED);
    CHECK(msync(p, 4096, MS_SYNC) == 0);
    CHECK(msync(p, 4096, MS_SYNC | MS_ASYNC) == -1);
    CHECK(errno == EINVAL);
    CHECK(msync(p + 1, 4096, MS_SYNC) == -1);
    CHECK(errno == EINVAL);
    munmap(p, 4096);
    CHECK(msync(p, 4096, MS_SYNC) == -1);
    CHECK(errno == ENOMEM);
    close(fd);
    CHECK(read_file("/proc/self/maps").find("[stack]") != std::string::npos);
}

TEST_CASE("flock: shared locks share, an exclusive one excludes, a close releases") {
    Scratch s;
    write_file(s / "lock", "");
    int a = open((s / "lock").c_str(), O_RDONLY), b = open((s / "lock").c_str(), O_RDONLY);
    REQUIRE(a >= 0);
    REQUIRE(b >= 0);
    CHECK(flock(a, LOCK_SH) == 0);
    CHECK(flock(b, LOCK_SH | LOCK_NB) == 0);
    CHECK(flock(b, LOCK_EX | LOCK_NB) == -1);
    CHECK(errno == EWOULDBLOCK);
    CHECK(flock(a, LOCK_UN) == 0);
    CHECK(flock(b, LOCK_EX | LOCK_NB) == 0);
    CHECK(flock(a, LOCK_SH | LOCK_NB) == -1);
    // A child blocks until the holder's last descriptor closes.
    std::string path = s / "lock";
    pid_t child = fork();
    if (child == 0) {
        close(b);  // the inherited descriptor shares the parent's lock
        int c = open(path.c_str(), O_RDONLY);
        _exit(flock(c, LOCK_EX) == 0 ? 0 : 1);
    }
    struct timespec pause = {0, 50000000};
    nanosleep(&pause, nullptr);
    int status = -1;
    CHECK(waitpid(child, &status, WNOHANG) == 0);  // still waiting
    int dup_b = dup(b);
    close(b);  // the dup still holds it
    nanosleep(&pause, nullptr);
    CHECK(waitpid(child, &status, WNOHANG) == 0);
    close(dup_b);
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(flock(a, 99) == -1);
    CHECK(errno == EINVAL);
    CHECK(flock(-1, LOCK_SH) == -1);
    CHECK(errno == EBADF);
    close(a);
}

TEST_CASE("a named pipe's open waits for the other side, then carries bytes") {
    Scratch s;
    std::string fifo = s / "fifo";
    CHECK(mkfifo(fifo.c_str(), 0600) == 0);
    struct stat st;
    REQUIRE(stat(fifo.c_str(), &st) == 0);
    CHECK(S_ISFIFO(st.st_mode));
    CHECK(open(fifo.c_str(), O_WRONLY | O_NONBLOCK) == -1);
    CHECK(errno == ENXIO);
    int early = open(fifo.c_str(), O_RDONLY | O_NONBLOCK);  // never waits
    CHECK(early >= 0);
    close(early);
    pid_t child = fork();
    if (child == 0) {
        struct timespec pause = {0, 50000000};
        nanosleep(&pause, nullptr);
        int w = open(fifo.c_str(), O_WRONLY);
        _exit(w >= 0 && write(w, "through", 7) == 7 ? 0 : 1);
    }
    int r = open(fifo.c_str(), O_RDONLY);  // waits for the child's writer
    REQUIRE(r >= 0);
    char buf[16] = {};
    ssize_t n = 0, got;
    while ((got = read(r, buf + n, sizeof buf - 1 - n)) > 0) n += got;
    CHECK(std::string(buf) == "through");
    int status;
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    close(r);
    int both = open(fifo.c_str(), O_RDWR);  // both sides at once: no wait
    CHECK(both >= 0);
    close(both);
}

TEST_CASE("record locks are advisory here: checked, granted, never reported held") {
    Scratch s;
    write_file(s / "rec", "data");
    int fd = open((s / "rec").c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    struct flock lk = {};
    lk.l_type = F_RDLCK;
    lk.l_whence = SEEK_SET;
    CHECK(fcntl(fd, F_SETLK, &lk) == 0);
    lk.l_type = F_WRLCK;
    CHECK(fcntl(fd, F_SETLK, &lk) == -1);  // a write lock needs a writable descriptor
    CHECK(errno == EBADF);
    CHECK(fcntl(fd, F_GETLK, &lk) == 0);
    CHECK(lk.l_type == F_UNLCK);
    lk.l_type = 42;
    CHECK(fcntl(fd, F_SETLK, &lk) == -1);
    CHECK(errno == EINVAL);
    CHECK(fcntl(fd, F_SETLK, reinterpret_cast<struct flock*>(8)) == -1);
    CHECK(errno == EFAULT);
    close(fd);
}

TEST_CASE("sendfile and copy_file_range copy from a file without a user buffer") {
    Scratch s;
    std::string text(10000, 'q');
    for (size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>('a' + i % 26);
    write_file(s / "src", text);
    int in = open((s / "src").c_str(), O_RDONLY);
    int out = open((s / "dst").c_str(), O_CREAT | O_WRONLY, 0644);
    REQUIRE(in >= 0);
    REQUIRE(out >= 0);
    off_t offset = 100;
    CHECK(sendfile(out, in, &offset, 5000) == 5000);
    CHECK(offset == 5100);
    CHECK(lseek(in, 0, SEEK_CUR) == 0);  // with an offset the position stays
    CHECK(read_file(s / "dst") == text.substr(100, 5000));
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    CHECK(sendfile(fds[1], in, nullptr, 26) == 26);
    CHECK(lseek(in, 0, SEEK_CUR) == 26);
    char buf[32] = {};
    CHECK(read(fds[0], buf, sizeof buf) == 26);
    CHECK(std::string(buf) == text.substr(0, 26));
    CHECK(sendfile(in, out, nullptr, 10) == -1);  // the source must be readable, the target writable
    CHECK(errno == EBADF);
    int copy = open((s / "copy").c_str(), O_CREAT | O_RDWR, 0644);
    loff_t from = 9000, to = 0;
    CHECK(copy_file_range(in, &from, copy, &to, 5000, 0) == 1000);  // to the end of the source
    CHECK(read_file(s / "copy") == text.substr(9000));
    CHECK(copy_file_range(in, nullptr, copy, nullptr, 10, 1) == -1);
    CHECK(errno == EINVAL);
    CHECK(copy_file_range(in, nullptr, fds[1], nullptr, 10, 0) == -1);
    CHECK(errno == EINVAL);
    close(fds[0]);
    close(fds[1]);
    close(copy);
    close(in);
    close(out);
}

TEST_CASE("posix_fadvise is checked and harmless; the host name is root's to set") {
    Scratch s;
    write_file(s / "f", "x");
    int fd = open((s / "f").c_str(), O_RDONLY);
    CHECK(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) == 0);
    CHECK(posix_fadvise(fd, 0, 0, 99) == EINVAL);
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    CHECK(posix_fadvise(fds[0], 0, 0, POSIX_FADV_NORMAL) == ESPIPE);
    close(fds[0]);
    close(fds[1]);
    close(fd);
    char old[65] = {};
    REQUIRE(gethostname(old, sizeof old) == 0);
    CHECK(sethostname("riptide-test", 12) == 0);
    char now[65] = {};
    CHECK(gethostname(now, sizeof now) == 0);
    CHECK(std::string(now) == "riptide-test");
    CHECK(sethostname(now, 65) == -1);
    CHECK(errno == EINVAL);
    CHECK(as_user([] { return sethostname("x", 1) == -1 && errno == EPERM ? 0 : 1; }) == 0);
    CHECK(sethostname(old, strlen(old)) == 0);
}

TEST_CASE("extended attributes are not supported, after the file is found") {
    char buf[64];
    CHECK(getxattr("/bin", "user.x", buf, sizeof buf) == -1);
    CHECK(errno == ENOTSUP);
    CHECK(llistxattr("/bin", buf, sizeof buf) == -1);
    CHECK(errno == ENOTSUP);
    CHECK(getxattr("/no/such/file", "user.x", buf, sizeof buf) == -1);
    CHECK(errno == ENOENT);
    CHECK(fgetxattr(-1, "user.x", buf, sizeof buf) == -1);
    CHECK(errno == EBADF);
}

TEST_CASE("prctl names the process, as /proc/self/comm shows") {
    char old[16] = {}, now[16] = {};
    REQUIRE(prctl(PR_GET_NAME, old) == 0);
    CHECK(std::string(old) == "catch2_vfs");
    CHECK(prctl(PR_SET_NAME, "a-much-longer-name-than-fits") == 0);
    CHECK(prctl(PR_GET_NAME, now) == 0);
    CHECK(std::string(now) == "a-much-longer-n");
    CHECK(read_file("/proc/self/comm") == "a-much-longer-n\n");
    CHECK(prctl(PR_SET_NAME, old) == 0);
    CHECK(prctl(12345, 0) == -1);
    CHECK(errno == EINVAL);
}

TEST_CASE("a program's name is the last part of the path execve got, a link's own name") {
    Scratch s;
    REQUIRE(symlink("/bin/busybox", (s / "mycat").c_str()) == 0);
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    std::string link = s / "mycat";
    pid_t child = fork();
    if (child == 0) {
        dup2(fds[1], 1);
        char* const argv[] = {const_cast<char*>("cat"), const_cast<char*>("/proc/self/comm"), nullptr};
        execve(link.c_str(), argv, environ);
        _exit(127);
    }
    close(fds[1]);
    char buf[32] = {};
    ssize_t n = 0, got;
    while ((got = read(fds[0], buf + n, sizeof buf - 1 - n)) > 0) n += got;
    close(fds[0]);
    int status;
    waitpid(child, &status, 0);
    CHECK(std::string(buf) == "mycat\n");
}
