#pragma once
// Linux errno values (EPERM is Errno::PERM: the host headers define the E names as macros).
// Every error the kernel reports is one of these, returned negated.

namespace rt {

enum class Errno : int {
    PERM = 1, NOENT = 2, SRCH = 3, INTR = 4, IO = 5, NXIO = 6, TOOBIG = 7, NOEXEC = 8,
    BADF = 9, CHILD = 10, AGAIN = 11, NOMEM = 12, ACCES = 13, FAULT = 14, BUSY = 16,
    EXIST = 17, XDEV = 18, NODEV = 19, NOTDIR = 20, ISDIR = 21, INVAL = 22, NFILE = 23,
    MFILE = 24, NOTTY = 25, TXTBSY = 26, FBIG = 27, NOSPC = 28, SPIPE = 29, ROFS = 30, MLINK = 31,
    PIPE = 32, RANGE = 34, DEADLK = 35, NAMETOOLONG = 36, NOSYS = 38, NOTEMPTY = 39,
    LOOP = 40, OVERFLOW = 75, OPNOTSUPP = 95, TIMEDOUT = 110, CANCELED = 125,
    // Never seen by user space: a system call ended by a signal, resolved on the way out
    // (restarted, or EINTR if a handler runs; RESTARTSYS also restarts under SA_RESTART).
    RESTARTSYS = 512, RESTARTNOHAND = 514,
    // Never seen by user space either: a system call's immediate half hands it to its async
    // half, which may wait.
    WAITS = 1000,
};

}  // namespace rt
