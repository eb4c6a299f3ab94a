// A pipe for the Catch2 suites, closed when the test ends (ends set to -1 were closed by the
// test itself).
#pragma once
#include <fcntl.h>
#include <unistd.h>

#include "catch2/catch.hpp"

struct TestPipe {
    int fds[2] = {-1, -1};
    explicit TestPipe(int flags = 0) { REQUIRE(pipe2(fds, flags) == 0); }
    ~TestPipe() {
        for (int fd : fds)
            if (fd >= 0) close(fd);
    }
    int r() const { return fds[0]; }
    int w() const { return fds[1]; }
    void close_reader() { close(fds[0]), fds[0] = -1; }
    void close_writer() { close(fds[1]), fds[1] = -1; }
};
