#pragma once
// riscv64 system-call numbers (the asm-generic table) that Riptide implements.

namespace rt::sys {

enum Number : unsigned {
    kWrite = 64, kWritev = 66, kExit = 93, kExitGroup = 94, kSetTidAddress = 96,
    kFutex = 98, kNanosleep = 101, kGetitimer = 102, kSetitimer = 103, kClockNanosleep = 115, kClockGettime = 113, kClockGetres = 114, kSchedYield = 124,
    kUname = 160, kGetpid = 172, kGetppid = 173, kGetuid = 174, kGeteuid = 175,
    kGetgid = 176, kGetegid = 177, kGettid = 178, kBrk = 214, kMunmap = 215, kMremap = 216, kMmap = 222,
    kKill = 129, kTkill = 130, kTgkill = 131, kSigaltstack = 132, kRtSigaction = 134,
    kRtSigprocmask = 135, kRtSigpending = 136, kRtSigreturn = 139, kReboot = 142, kSetregid = 143, kSetgid = 144, kSetreuid = 145, kSetuid = 146,
    kSetresuid = 147, kGetresuid = 148, kSetresgid = 149, kGetresgid = 150, kGetgroups = 158,
    kSetgroups = 159, kSetpgid = 154, kGetpgid = 155, kGetsid = 156, kSetsid = 157, kSchedSetaffinity = 122, kSchedGetaffinity = 123, kSysinfo = 179, kGetcpu = 168, kGettimeofday = 169, kClone = 220, kWaitid = 95, kExecve = 221, kWait4 = 260, kNewfstatat = 79, kFstat = 80, kSetRobustList = 99, kMprotect = 226, kMadvise = 233, kPrlimit64 = 261, kGetrandom = 278,
    kTimes = 153, kGetrusage = 165, kRtSigsuspend = 133, kRtSigtimedwait = 137,
    kRead = 63, kReadv = 65, kPread64 = 67, kPwrite64 = 68, kLseek = 62, kOpenat = 56, kClose = 57,
    kDup = 23, kDup3 = 24, kFcntl = 25, kIoctl = 29, kClone3 = 435, kGetRobustList = 100, kUmask = 166,
    kPipe2 = 59, kPselect6 = 72, kPpoll = 73, kEpollCreate1 = 20, kEpollCtl = 21, kEpollPwait = 22, kEpollPwait2 = 441,
    kEventfd2 = 19, kTimerfdCreate = 85, kTimerfdSettime = 86, kTimerfdGettime = 87, kSignalfd4 = 74,
    kGetcwd = 17, kMknodat = 33, kMkdirat = 34, kUnlinkat = 35, kSymlinkat = 36, kLinkat = 37, kUmount2 = 39, kMount = 40, kStatfs = 43, kFstatfs = 44, kTruncate = 45, kFtruncate = 46, kFallocate = 47, kFaccessat = 48, kChdir = 49, kFchdir = 50, kChroot = 51, kFchmod = 52, kFchmodat = 53, kFchownat = 54, kFchown = 55, kGetdents64 = 61, kReadlinkat = 78, kSync = 81, kFsync = 82, kFdatasync = 83, kUtimensat = 88, kRenameat2 = 276, kMemfdCreate = 279, kStatx = 291, kCloseRange = 436, kOpenat2 = 437, kFaccessat2 = 439,
    kPreadv = 69, kPwritev = 70, kPreadv2 = 286, kPwritev2 = 287, kMsync = 227, kFlock = 32, kSendfile = 71, kSplice = 76, kTee = 77, kCopyFileRange = 285, kFadvise64 = 223, kSethostname = 161, kPrctl = 167,
    kSetxattr = 5, kLsetxattr = 6, kFsetxattr = 7, kGetxattr = 8, kLgetxattr = 9, kFgetxattr = 10, kListxattr = 11,
    kLlistxattr = 12, kFlistxattr = 13, kRemovexattr = 14, kLremovexattr = 15, kFremovexattr = 16,
};

}  // namespace rt::sys
