// Pipes as POSIX and Linux define them: pipe2's flags and errors, the end of data, EPIPE and
// SIGPIPE, O_NONBLOCK, atomic writes of up to PIPE_BUF bytes from several writers, large
// blocking writes, FIONREAD, F_GETPIPE_SZ/F_SETPIPE_SZ, and hostile use (bad pointers, a
// descriptor closed under a blocked reader, a writer that dies).
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>
#include <string>
#include <vector>

#include "catch2/catch.hpp"
#include "fork_child.hpp"
#include "test_pipe.hpp"

namespace {

// The lowest free descriptor now (to see that a failed call left none behind).
int lowest_free_fd() {
    int fd = dup(0);
    REQUIRE(fd >= 0);
    close(fd);
    return fd;
}

std::atomic<int> sigpipes{0};
void on_sigpipe(int) { sigpipes++; }

void on_alarm(int) {}

}  // namespace

TEST_CASE("pipe2: bytes in order, flags, fstat, and errors") {
    TestPipe p;
    CHECK(write(p.w(), "hello", 5) == 5);
    int avail = -1;
    CHECK(ioctl(p.r(), FIONREAD, &avail) == 0);
    CHECK(avail == 5);
    char buf[16] = {};
    CHECK(read(p.r(), buf, 3) == 3);
    CHECK(std::memcmp(buf, "hel", 3) == 0);
    CHECK(read(p.r(), buf, sizeof buf) == 2);
    CHECK(std::memcmp(buf, "lo", 2) == 0);
    CHECK(write(p.w(), buf, 0) == 0);
    CHECK(read(p.r(), buf, 0) == 0);

    struct stat st {};
    REQUIRE(fstat(p.r(), &st) == 0);
    CHECK(S_ISFIFO(st.st_mode));
    REQUIRE(fstat(p.w(), &st) == 0);
    CHECK(S_ISFIFO(st.st_mode));
    CHECK(lseek(p.r(), 0, SEEK_SET) == -1);
    CHECK(errno == ESPIPE);
    CHECK(pread(p.r(), buf, 1, 0) == -1);
    CHECK(errno == ESPIPE);
    // Each end goes one way only.
    CHECK(write(p.r(), "x", 1) == -1);
    CHECK(errno == EBADF);
    CHECK(read(p.w(), buf, 1) == -1);
    CHECK(errno == EBADF);

    SECTION("O_CLOEXEC and O_NONBLOCK reach both ends") {
        TestPipe q(O_CLOEXEC | O_NONBLOCK);
        for (int fd : q.fds) {
            CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC);
            CHECK((fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
        }
        CHECK((fcntl(q.r(), F_GETFL) & O_ACCMODE) == O_RDONLY);
        CHECK((fcntl(q.w(), F_GETFL) & O_ACCMODE) == O_WRONLY);
        TestPipe plain;
        CHECK(fcntl(plain.r(), F_GETFD) == 0);
        CHECK((fcntl(plain.w(), F_GETFL) & O_NONBLOCK) == 0);
    }
    SECTION("unknown flags are EINVAL, a bad array EFAULT, and neither leaves descriptors") {
        int before = lowest_free_fd();
        int fds[2] = {-1, -1};
        CHECK(pipe2(fds, O_APPEND) == -1);
        CHECK(errno == EINVAL);
        CHECK(pipe2(fds, 0x40000000) == -1);
        CHECK(errno == EINVAL);
        CHECK(pipe2(reinterpret_cast<int*>(8), 0) == -1);
        CHECK(errno == EFAULT);
        CHECK(pipe2(reinterpret_cast<int*>(~0UL - 3), O_CLOEXEC) == -1);
        CHECK(errno == EFAULT);
        CHECK(lowest_free_fd() == before);
    }
    SECTION("a bad buffer is EFAULT and loses no data") {
        REQUIRE(write(p.w(), "abc", 3) == 3);
        char* volatile bad = reinterpret_cast<char*>(16);  // volatile: the compiler would object
        CHECK(read(p.r(), bad, 3) == -1);
        CHECK(errno == EFAULT);
        CHECK(read(p.r(), buf, sizeof buf) == 3);
        CHECK(std::memcmp(buf, "abc", 3) == 0);
        CHECK(write(p.w(), bad, 3) == -1);
        CHECK(errno == EFAULT);
        CHECK(ioctl(p.r(), FIONREAD, &avail) == 0);
        CHECK(avail == 0);
        CHECK(ioctl(p.r(), FIONREAD, reinterpret_cast<int*>(16)) == -1);
        CHECK(errno == EFAULT);
    }
}

TEST_CASE("the end of data, EPIPE and SIGPIPE") {
    SECTION("read answers 0 once no writer is left and the pipe is empty") {
        TestPipe p;
        REQUIRE(write(p.w(), "xy", 2) == 2);
        p.close_writer();
        char buf[4];
        CHECK(read(p.r(), buf, sizeof buf) == 2);
        CHECK(read(p.r(), buf, sizeof buf) == 0);
        CHECK(read(p.r(), buf, sizeof buf) == 0);
    }
    SECTION("a duplicate of the writer keeps the pipe open") {
        TestPipe p;
        int extra = dup(p.w());
        REQUIRE(extra >= 0);
        p.close_writer();
        int flags = fcntl(p.r(), F_GETFL);
        REQUIRE(fcntl(p.r(), F_SETFL, flags | O_NONBLOCK) == 0);
        char c;
        CHECK(read(p.r(), &c, 1) == -1);
        CHECK(errno == EAGAIN);
        close(extra);
        CHECK(read(p.r(), &c, 1) == 0);
    }
    SECTION("with no reader, write fails with EPIPE and raises SIGPIPE") {
        TestPipe p;
        p.close_reader();
        struct sigaction sa {}, old {};
        sa.sa_handler = on_sigpipe;
        REQUIRE(sigaction(SIGPIPE, &sa, &old) == 0);
        sigpipes = 0;
        CHECK(write(p.w(), "x", 1) == -1);
        CHECK(errno == EPIPE);
        CHECK(sigpipes == 1);
        sa.sa_handler = SIG_IGN;
        REQUIRE(sigaction(SIGPIPE, &sa, nullptr) == 0);
        CHECK(write(p.w(), "x", 1) == -1);
        CHECK(errno == EPIPE);
        CHECK(sigpipes == 1);
        REQUIRE(sigaction(SIGPIPE, &old, nullptr) == 0);
        // Its default action ends the writer.
        int w = p.w();
        int status = status_of([w] { return write(w, "x", 1) == -1 ? 2 : 3; });
        CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE));
    }
    SECTION("a writer that dies ends a blocked reader's wait with the end of data") {
        TestPipe p;
        int w = p.w();
        pid_t child = start_child([w] {
            usleep(20 * 1000);
            (void)write(w, "last", 4);
            kill(getpid(), SIGKILL);
            return 0;
        });
        p.close_writer();
        char buf[8];
        CHECK(read(p.r(), buf, sizeof buf) == 4);
        CHECK(read(p.r(), buf, sizeof buf) == 0);
        int status = wait_child(child);
        CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
    }
    SECTION("a reader that goes away wakes a writer blocked on a full pipe with EPIPE") {
        TestPipe p;
        int r = p.r();
        pid_t child = start_child([r] {
            usleep(30 * 1000);
            close(r);
            return 0;
        });
        p.close_reader();
        signal(SIGPIPE, SIG_IGN);
        std::vector<char> big(256 * 1024, 'z');
        ssize_t n = write(p.w(), big.data(), big.size());
        // Linux answers what was written before the reader went, or EPIPE if nothing was.
        CHECK(((n > 0 && n < static_cast<ssize_t>(big.size())) || (n == -1 && errno == EPIPE)));
        CHECK(write(p.w(), "x", 1) == -1);
        CHECK(errno == EPIPE);
        signal(SIGPIPE, SIG_DFL);
        CHECK(exited_with(wait_child(child), 0));
    }
}

TEST_CASE("O_NONBLOCK, capacity and atomic writes") {
    TestPipe p(O_NONBLOCK);
    char buf[PIPE_BUF];
    CHECK(read(p.r(), buf, sizeof buf) == -1);
    CHECK(errno == EAGAIN);
    int size = fcntl(p.w(), F_GETPIPE_SZ);
    CHECK(size == 65536);
    std::memset(buf, 'a', sizeof buf);
    long total = 0;
    for (;;) {
        ssize_t n = write(p.w(), buf, sizeof buf);
        if (n < 0) break;
        CHECK(n == PIPE_BUF);
        total += n;
    }
    CHECK(errno == EAGAIN);
    CHECK(total == size);
    CHECK(write(p.w(), buf, 1) == -1);
    CHECK(errno == EAGAIN);
    int avail = 0;
    CHECK(ioctl(p.r(), FIONREAD, &avail) == 0);
    CHECK(avail == size);

    SECTION("up to PIPE_BUF bytes go in whole or not at all") {
        // Linux frees room a page at a time, a byte ring byte by byte: both refuse a part.
        CHECK(read(p.r(), buf, 100) == 100);
        CHECK(write(p.w(), buf, 200) == -1);
        CHECK(errno == EAGAIN);
        CHECK(read(p.r(), buf, PIPE_BUF - 100) == PIPE_BUF - 100);
        CHECK(write(p.w(), buf, PIPE_BUF) == PIPE_BUF);
    }
    SECTION("a larger write takes what fits") {
        CHECK(read(p.r(), buf, sizeof buf) == PIPE_BUF);
        std::vector<char> big(3 * PIPE_BUF, 'b');
        CHECK(write(p.w(), big.data(), big.size()) == PIPE_BUF);
    }
    SECTION("F_SETPIPE_SZ rounds up to pages and will not drop data") {
        CHECK(fcntl(p.w(), F_SETPIPE_SZ, 4096) == -1);
        CHECK(errno == EBUSY);
        std::vector<char> drain(size);
        CHECK(read(p.r(), drain.data(), drain.size()) == size);
        CHECK(fcntl(p.w(), F_SETPIPE_SZ, 5000) == 8192);
        CHECK(fcntl(p.r(), F_GETPIPE_SZ) == 8192);
        CHECK(fcntl(p.w(), F_SETPIPE_SZ, 1) == 4096);
        CHECK(write(p.w(), buf, sizeof buf) == PIPE_BUF);
        CHECK(write(p.w(), buf, 1) == -1);
        CHECK(errno == EAGAIN);
        CHECK(fcntl(p.w(), F_SETPIPE_SZ, 0x90000000U) == -1);
        CHECK(errno == EINVAL);
        CHECK(fcntl(p.w(), F_SETPIPE_SZ, 65536) == 65536);
        CHECK(read(p.r(), drain.data(), drain.size()) == PIPE_BUF);  // the bytes moved along
    }
}

TEST_CASE("writes of PIPE_BUF bytes from several writers never interleave") {
    constexpr int kWriters = 4, kRecords = 64;
    TestPipe p;
    std::vector<pid_t> children;
    for (int i = 0; i < kWriters; i++) {
        int w = p.w();
        children.push_back(start_child([w, i] {
            char record[PIPE_BUF];
            std::memset(record, 'A' + i, sizeof record);
            for (int n = 0; n < kRecords; n++)
                if (write(w, record, sizeof record) != PIPE_BUF) return 1;
            return 0;
        }));
    }
    p.close_writer();
    // Reads may split records; the stream must still be whole records of one byte each.
    std::vector<char> stream;
    char buf[3000];
    for (ssize_t n; (n = read(p.r(), buf, sizeof buf)) > 0;) stream.insert(stream.end(), buf, buf + n);
    REQUIRE(stream.size() == size_t{kWriters} * kRecords * PIPE_BUF);
    int counts[kWriters] = {};
    bool whole = true;
    for (size_t at = 0; at < stream.size(); at += PIPE_BUF) {
        char c = stream[at];
        for (size_t k = 1; k < PIPE_BUF; k++) whole &= stream[at + k] == c;
        if (c >= 'A' && c < 'A' + kWriters) counts[c - 'A']++;
    }
    CHECK(whole);
    for (int i = 0; i < kWriters; i++) CHECK(counts[i] == kRecords);
    for (pid_t c : children) CHECK(exited_with(wait_child(c), 0));
}

TEST_CASE("a blocking write larger than the pipe completes as the reader drains it") {
    constexpr size_t kSize = 1 << 20;
    TestPipe p;
    int w = p.w();
    pid_t child = start_child([w] {
        std::vector<unsigned char> data(kSize);
        for (size_t i = 0; i < kSize; i++) data[i] = static_cast<unsigned char>(i * 7 + i / 4096);
        return write(w, data.data(), data.size()) == static_cast<ssize_t>(kSize) ? 0 : 1;
    });
    p.close_writer();
    std::vector<unsigned char> got;
    unsigned char buf[10000];
    for (ssize_t n; (n = read(p.r(), buf, sizeof buf)) > 0;) got.insert(got.end(), buf, buf + n);
    REQUIRE(got.size() == kSize);
    bool same = true;
    for (size_t i = 0; i < kSize; i++) same &= got[i] == static_cast<unsigned char>(i * 7 + i / 4096);
    CHECK(same);
    CHECK(exited_with(wait_child(child), 0));
}

TEST_CASE("signals and blocked pipe readers") {
    TestPipe p;
    struct sigaction sa {}, old {};
    sa.sa_handler = on_alarm;
    SECTION("without SA_RESTART the read fails with EINTR") {
        REQUIRE(sigaction(SIGALRM, &sa, &old) == 0);
        ualarm(20 * 1000, 0);
        char c;
        CHECK(read(p.r(), &c, 1) == -1);
        CHECK(errno == EINTR);
    }
    SECTION("with SA_RESTART the read goes on and gets the data") {
        sa.sa_flags = SA_RESTART;
        REQUIRE(sigaction(SIGALRM, &sa, &old) == 0);
        int w = p.w();
        pid_t child = start_child([w] {
            usleep(60 * 1000);
            return write(w, "r", 1) == 1 ? 0 : 1;
        });
        ualarm(20 * 1000, 0);
        char c = 0;
        CHECK(read(p.r(), &c, 1) == 1);
        CHECK(c == 'r');
        CHECK(exited_with(wait_child(child), 0));
    }
    sigaction(SIGALRM, &old, nullptr);
}

TEST_CASE("closing a descriptor under a blocked reader does not end its read") {
    TestPipe p;
    int r = dup(p.r());
    REQUIRE(r >= 0);
    std::atomic<ssize_t> got{-2};
    char c = 0;
    std::thread reader([&] { got = read(r, &c, 1); });
    usleep(20 * 1000);
    close(r);  // the read holds the open file: it goes on, as on Linux
    usleep(10 * 1000);
    CHECK(got == -2);
    REQUIRE(write(p.w(), "k", 1) == 1);
    reader.join();
    CHECK(got == 1);
    CHECK(c == 'k');
}

// A blocking write that filled the pipe and waits for room is still writing to the file it
// began with when its descriptor is replaced meanwhile (the kernel tries a write at once and
// hands what it wrote, and the file, to the waiting part): the rest goes to the first pipe.
TEST_CASE("a blocking write waiting for room keeps its file when its descriptor is replaced") {
    constexpr size_t kSize = 128 * 1024;  // twice the pipe's capacity
    TestPipe first, second;
    int w = dup(first.w());
    REQUIRE(w >= 0);
    std::vector<char> data(kSize, 'x');
    std::atomic<ssize_t> wrote{-2};
    std::thread writer([&] { wrote = write(w, data.data(), data.size()); });
    usleep(30 * 1000);
    CHECK(wrote == -2);  // blocked with the pipe full
    REQUIRE(dup2(second.w(), w) == w);
    first.close_writer();
    size_t got = 0;
    char buf[8192];
    for (ssize_t n; got < kSize && (n = read(first.r(), buf, sizeof buf)) > 0;) got += static_cast<size_t>(n);
    writer.join();
    CHECK(got == kSize);
    CHECK(wrote == static_cast<ssize_t>(kSize));
    REQUIRE(fcntl(second.r(), F_SETFL, O_NONBLOCK) == 0);
    CHECK(read(second.r(), buf, sizeof buf) == -1);  // nothing went to the second pipe
    CHECK(errno == EAGAIN);
    close(w);
}

TEST_CASE("splice moves bytes between a pipe and a file") {
    char name[] = "/tmp/splice-XXXXXX";
    int file = mkstemp(name);
    REQUIRE(file >= 0);
    unlink(name);
    REQUIRE(write(file, "hello splice", 12) == 12);
    REQUIRE(lseek(file, 0, SEEK_SET) == 0);
    TestPipe p;
    char buf[32] = {};
    // Out of the file at an offset: the offset moves, the file position does not.
    loff_t off = 6;
    CHECK(splice(file, &off, p.w(), nullptr, 100, 0) == 6);
    CHECK(off == 12);
    CHECK(lseek(file, 0, SEEK_CUR) == 0);
    CHECK(read(p.r(), buf, sizeof buf) == 6);
    CHECK(std::string(buf, 6) == "splice");
    // Without an offset: from the file position, which moves.
    CHECK(splice(file, nullptr, p.w(), nullptr, 5, 0) == 5);
    CHECK(lseek(file, 0, SEEK_CUR) == 5);
    CHECK(read(p.r(), buf, sizeof buf) == 5);
    CHECK(std::string(buf, 5) == "hello");
    // Out of the pipe into the file at an offset.
    REQUIRE(write(p.w(), "abc", 3) == 3);
    off = 2;
    CHECK(splice(p.r(), nullptr, file, &off, 10, 0) == 3);
    CHECK(off == 5);
    CHECK(pread(file, buf, 12, 0) == 12);
    CHECK(std::string(buf, 12) == "heabc splice");
    // Errors, as Linux gives them.
    CHECK(splice(file, nullptr, file, nullptr, 1, 0) == -1);  // no pipe
    CHECK(errno == EINVAL);
    off = 0;
    CHECK(splice(p.r(), &off, file, nullptr, 1, 0) == -1);  // an offset on the pipe
    CHECK(errno == ESPIPE);
    CHECK(splice(-1, nullptr, p.w(), nullptr, 1, 0) == -1);
    CHECK(errno == EBADF);
    CHECK(splice(file, nullptr, p.w(), nullptr, 1, 0x100) == -1);
    CHECK(errno == EINVAL);
    CHECK(splice(p.r(), nullptr, file, nullptr, 1, SPLICE_F_NONBLOCK) == -1);  // nothing in it
    CHECK(errno == EAGAIN);
    CHECK(splice(p.r(), nullptr, file, nullptr, 0, 0) == 0);
    p.close_writer();
    CHECK(splice(p.r(), nullptr, file, nullptr, 1, 0) == 0);  // the end of the input
    close(file);
}

TEST_CASE("tee copies a pipe's bytes into another pipe and leaves them") {
    TestPipe in, out;
    REQUIRE(write(in.w(), "duplicate", 9) == 9);
    CHECK(tee(in.r(), out.w(), 100, 0) == 9);
    char buf[16] = {};
    CHECK(read(out.r(), buf, sizeof buf) == 9);
    CHECK(std::string(buf, 9) == "duplicate");
    CHECK(read(in.r(), buf, sizeof buf) == 9);  // still there
    CHECK(std::string(buf, 9) == "duplicate");
    CHECK(tee(in.r(), out.w(), 1, SPLICE_F_NONBLOCK) == -1);  // nothing left to copy
    CHECK(errno == EAGAIN);
    CHECK(tee(in.r(), in.w(), 1, 0) == -1);  // the same pipe
    CHECK(errno == EINVAL);
    int file = open("/dev/null", O_WRONLY);
    CHECK(tee(in.r(), file, 1, 0) == -1);  // not a pipe
    CHECK(errno == EINVAL);
    close(file);
    CHECK(tee(in.r(), out.w(), 0, 0) == 0);
    in.close_writer();
    CHECK(tee(in.r(), out.w(), 1, 0) == 0);  // no writer and nothing left: the end
}
