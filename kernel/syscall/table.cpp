#include <atomic>

#include "handlers.hpp"
#include "kernel/console.hpp"
#include "numbers.hpp"

namespace rt {
namespace {

struct Table {
    SyscallEntry entries[kSyscallCount];
    constexpr void immediate(unsigned n, const char* name, ImmediateSyscall f) { entries[n] = {name, f, nullptr}; }
    constexpr void quick(unsigned n, const char* name, ImmediateSyscall f) { entries[n] = {name, f, nullptr, true}; }
    constexpr void async(unsigned n, const char* name, AsyncSyscall f) { entries[n] = {name, nullptr, f}; }
    constexpr void hybrid(unsigned n, const char* name, ImmediateSyscall now, AsyncSyscall later) {
        entries[n] = {name, now, later};
    }
};

constexpr Table make_table() {
    using namespace sys;
    Table t{};
    t.hybrid(kRead, "read", sys::read_now, sys::read);
    t.hybrid(kWrite, "write", sys::write_now, sys::write);
    t.hybrid(kReadv, "readv", sys::readv_now, sys::readv);
    t.hybrid(kWritev, "writev", sys::writev_now, sys::writev);
    t.hybrid(kPread64, "pread64", sys::pread64_now, sys::pread64);
    t.hybrid(kPreadv, "preadv", sys::preadv_now, sys::preadv);
    t.hybrid(kPwritev, "pwritev", sys::pwritev_now, sys::pwritev);
    t.hybrid(kPreadv2, "preadv2", sys::preadv2_now, sys::preadv2);
    t.hybrid(kPwritev2, "pwritev2", sys::pwritev2_now, sys::pwritev2);
    t.immediate(kMsync, "msync", sys::msync);
    t.async(kFlock, "flock", sys::flock);
    t.immediate(kFadvise64, "fadvise64", sys::fadvise64);
    t.immediate(kSethostname, "sethostname", sys::sethostname);
    t.immediate(kPrctl, "prctl", sys::prctl);
    t.immediate(kSetxattr, "setxattr", sys::xattr_by_path);
    t.immediate(kLsetxattr, "lsetxattr", sys::xattr_by_link);
    t.immediate(kFsetxattr, "fsetxattr", sys::xattr_by_fd);
    t.immediate(kGetxattr, "getxattr", sys::xattr_by_path);
    t.immediate(kLgetxattr, "lgetxattr", sys::xattr_by_link);
    t.immediate(kFgetxattr, "fgetxattr", sys::xattr_by_fd);
    t.immediate(kListxattr, "listxattr", sys::xattr_by_path);
    t.immediate(kLlistxattr, "llistxattr", sys::xattr_by_link);
    t.immediate(kFlistxattr, "flistxattr", sys::xattr_by_fd);
    t.immediate(kRemovexattr, "removexattr", sys::xattr_by_path);
    t.immediate(kLremovexattr, "lremovexattr", sys::xattr_by_link);
    t.immediate(kFremovexattr, "fremovexattr", sys::xattr_by_fd);
    t.async(kSendfile, "sendfile", sys::sendfile);
    t.async(kSplice, "splice", sys::splice);
    t.async(kTee, "tee", sys::tee);
    t.async(kCopyFileRange, "copy_file_range", sys::copy_file_range);
    t.hybrid(kPwrite64, "pwrite64", sys::pwrite64_now, sys::pwrite64);
    t.immediate(kLseek, "lseek", sys::lseek);
    t.hybrid(kOpenat, "openat", sys::openat, sys::openat_wait);
    t.immediate(kClose, "close", sys::close);
    t.immediate(kUmask, "umask", sys::umask);
    t.immediate(kGetcwd, "getcwd", sys::getcwd);
    t.immediate(kMknodat, "mknodat", sys::mknodat);
    t.immediate(kMkdirat, "mkdirat", sys::mkdirat);
    t.immediate(kUnlinkat, "unlinkat", sys::unlinkat);
    t.immediate(kSymlinkat, "symlinkat", sys::symlinkat);
    t.immediate(kLinkat, "linkat", sys::linkat);
    t.immediate(kUmount2, "umount2", sys::umount2);
    t.immediate(kMount, "mount", sys::mount);
    t.immediate(kStatfs, "statfs", sys::statfs);
    t.immediate(kFstatfs, "fstatfs", sys::fstatfs);
    t.immediate(kTruncate, "truncate", sys::truncate);
    t.immediate(kFtruncate, "ftruncate", sys::ftruncate);
    t.immediate(kFallocate, "fallocate", sys::fallocate);
    t.immediate(kFaccessat, "faccessat", sys::faccessat);
    t.immediate(kChdir, "chdir", sys::chdir);
    t.immediate(kFchdir, "fchdir", sys::fchdir);
    t.immediate(kChroot, "chroot", sys::chroot);
    t.immediate(kFchmod, "fchmod", sys::fchmod);
    t.immediate(kFchmodat, "fchmodat", sys::fchmodat);
    t.immediate(kFchownat, "fchownat", sys::fchownat);
    t.immediate(kFchown, "fchown", sys::fchown);
    t.immediate(kGetdents64, "getdents64", sys::getdents64);
    t.immediate(kReadlinkat, "readlinkat", sys::readlinkat);
    t.immediate(kSync, "sync", sys::sync);
    t.immediate(kFsync, "fsync", sys::fsync);
    t.immediate(kFdatasync, "fdatasync", sys::fsync);
    t.immediate(kUtimensat, "utimensat", sys::utimensat);
    t.immediate(kRenameat2, "renameat2", sys::renameat2);
    t.immediate(kMemfdCreate, "memfd_create", sys::memfd_create);
    t.immediate(kStatx, "statx", sys::statx);
    t.immediate(kCloseRange, "close_range", sys::close_range);
    t.hybrid(kOpenat2, "openat2", sys::openat2, sys::openat2_wait);
    t.immediate(kFaccessat2, "faccessat2", sys::faccessat2);
    t.immediate(kDup, "dup", sys::dup);
    t.immediate(kDup3, "dup3", sys::dup3);
    t.immediate(kFcntl, "fcntl", sys::fcntl);
    t.immediate(kIoctl, "ioctl", sys::ioctl);
    t.immediate(kExit, "exit", sys::exit);
    t.immediate(kExitGroup, "exit_group", sys::exit_group);
    t.quick(kSetTidAddress, "set_tid_address", sys::set_tid_address);
    t.async(kNanosleep, "nanosleep", sys::nanosleep);
    t.immediate(kGetitimer, "getitimer", sys::getitimer);
    t.immediate(kSetitimer, "setitimer", sys::setitimer);
    t.async(kClockNanosleep, "clock_nanosleep", sys::clock_nanosleep);
    t.quick(kClockGettime, "clock_gettime", sys::clock_gettime);
    t.quick(kClockGetres, "clock_getres", sys::clock_getres);
    t.async(kSchedYield, "sched_yield", sys::sched_yield);
    t.immediate(kUname, "uname", sys::uname);
    t.quick(kGetpid, "getpid", sys::getpid);
    t.quick(kGetppid, "getppid", sys::getppid);
    t.quick(kGetuid, "getuid", sys::getuid);
    t.quick(kGeteuid, "geteuid", sys::geteuid);
    t.quick(kGetgid, "getgid", sys::getgid);
    t.quick(kGetegid, "getegid", sys::getegid);
    t.quick(kGettid, "gettid", sys::gettid);
    t.immediate(kBrk, "brk", sys::brk);
    t.immediate(kMunmap, "munmap", sys::munmap);
    t.immediate(kMmap, "mmap", sys::mmap);
    t.immediate(kMremap, "mremap", sys::mremap);
    t.immediate(kMprotect, "mprotect", sys::mprotect);
    t.immediate(kMadvise, "madvise", sys::madvise);
    t.immediate(kFstat, "fstat", sys::fstat);
    t.async(kClone, "clone", sys::clone);
    t.async(kClone3, "clone3", sys::clone3);
    t.quick(kGetcpu, "getcpu", sys::getcpu);
    t.immediate(kReboot, "reboot", sys::reboot);
    t.immediate(kSetuid, "setuid", sys::setuid);
    t.immediate(kSetgid, "setgid", sys::setgid);
    t.immediate(kSetreuid, "setreuid", sys::setreuid);
    t.immediate(kSetregid, "setregid", sys::setregid);
    t.immediate(kSetresuid, "setresuid", sys::setresuid);
    t.immediate(kSetresgid, "setresgid", sys::setresgid);
    t.immediate(kGetresuid, "getresuid", sys::getresuid);
    t.immediate(kGetresgid, "getresgid", sys::getresgid);
    t.immediate(kGetgroups, "getgroups", sys::getgroups);
    t.immediate(kSetgroups, "setgroups", sys::setgroups);
    t.immediate(kSetpgid, "setpgid", sys::setpgid);
    t.immediate(kGetpgid, "getpgid", sys::getpgid);
    t.immediate(kSetsid, "setsid", sys::setsid);
    t.immediate(kGetsid, "getsid", sys::getsid);
    t.immediate(kSchedGetaffinity, "sched_getaffinity", sys::sched_getaffinity);
    t.immediate(kSchedSetaffinity, "sched_setaffinity", sys::sched_setaffinity);
    t.immediate(kSysinfo, "sysinfo", sys::sysinfo);
    t.quick(kGettimeofday, "gettimeofday", sys::gettimeofday);
    t.async(kExecve, "execve", sys::execve);
    t.hybrid(kFutex, "futex", sys::futex, sys::futex_wait);
    t.immediate(kKill, "kill", sys::kill);
    t.immediate(kTkill, "tkill", sys::tkill);
    t.immediate(kTgkill, "tgkill", sys::tgkill);
    t.immediate(kSigaltstack, "sigaltstack", sys::sigaltstack);
    t.immediate(kRtSigaction, "rt_sigaction", sys::rt_sigaction);
    t.quick(kRtSigprocmask, "rt_sigprocmask", sys::rt_sigprocmask);
    t.immediate(kRtSigpending, "rt_sigpending", sys::rt_sigpending);
    t.entries[kRtSigreturn] = {"rt_sigreturn", sys::rt_sigreturn, nullptr, false, true};
    t.async(kRtSigsuspend, "rt_sigsuspend", sys::rt_sigsuspend);
    t.async(kRtSigtimedwait, "rt_sigtimedwait", sys::rt_sigtimedwait);
    t.immediate(kGetrusage, "getrusage", sys::getrusage);
    t.immediate(kTimes, "times", sys::times);
    t.async(kWait4, "wait4", sys::wait4);
    t.async(kWaitid, "waitid", sys::waitid);
    t.immediate(kNewfstatat, "newfstatat", sys::newfstatat);
    t.immediate(kSetRobustList, "set_robust_list", sys::set_robust_list);
    t.immediate(kGetRobustList, "get_robust_list", sys::get_robust_list);
    t.immediate(kPrlimit64, "prlimit64", sys::prlimit64);
    t.immediate(kGetrandom, "getrandom", sys::getrandom);
    t.immediate(kPipe2, "pipe2", sys::pipe2);
    t.async(kPpoll, "ppoll", sys::ppoll);
    t.async(kPselect6, "pselect6", sys::pselect6);
    t.immediate(kEpollCreate1, "epoll_create1", sys::epoll_create1);
    t.immediate(kEpollCtl, "epoll_ctl", sys::epoll_ctl);
    t.hybrid(kEpollPwait, "epoll_pwait", sys::epoll_pwait_now, sys::epoll_pwait);
    t.async(kEpollPwait2, "epoll_pwait2", sys::epoll_pwait2);
    t.immediate(kEventfd2, "eventfd2", sys::eventfd2);
    t.immediate(kTimerfdCreate, "timerfd_create", sys::timerfd_create);
    t.immediate(kTimerfdSettime, "timerfd_settime", sys::timerfd_settime);
    t.immediate(kTimerfdGettime, "timerfd_gettime", sys::timerfd_gettime);
    t.immediate(kSignalfd4, "signalfd4", sys::signalfd4);
    return t;
}

constexpr Table kTable = make_table();

struct SyscallName {
    unsigned number;
    const char* name;
};
constexpr SyscallName kNames[] = {
#include "syscall_names.inc"
};

const char* name_of(uint64_t number) {
    for (const SyscallName& n : kNames)
        if (n.number == number) return n.name;
    return "unknown";
}

std::atomic<uint64_t> g_logged[kSyscallCount / 64 + 1];  // the last bit: any number past the table

}  // namespace

const SyscallEntry* find_syscall(uint64_t number) {
    if (number >= kSyscallCount) return nullptr;
    const SyscallEntry& e = kTable.entries[number];
    return e.name ? &e : nullptr;
}

long unknown_syscall(uint64_t number) {
    uint64_t bit = number < kSyscallCount ? number : kSyscallCount;
    bool first = !(g_logged[bit / 64].fetch_or(1ull << (bit % 64)) & (1ull << (bit % 64)));
    if (first) kprint("riptide: unimplemented system call {} ({})\n", number, name_of(number));
    return error_result(Errno::NOSYS);
}

}  // namespace rt
