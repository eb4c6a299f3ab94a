#pragma once
// Terminal settings as Linux's riscv64 ioctls carry them (asm-generic termbits.h): struct
// termios for TCGETS/TCSETS*, struct winsize for TIOC[GS]WINSZ, and the flag and control
// character names of termios(3).
#include <cstdint>

namespace rt {

inline constexpr unsigned kNccs = 19;

struct Termios {
    uint32_t iflag, oflag, cflag, lflag;
    uint8_t line;
    uint8_t cc[kNccs];
};
static_assert(sizeof(Termios) == 36);

struct WinSize {
    uint16_t rows, cols, xpixel, ypixel;
};
static_assert(sizeof(WinSize) == 8);

// c_cc indices.
inline constexpr unsigned kVintr = 0, kVquit = 1, kVerase = 2, kVkill = 3, kVeof = 4, kVtime = 5, kVmin = 6,
                          kVstart = 8, kVstop = 9, kVsusp = 10, kVeol = 11, kVreprint = 12, kVwerase = 14,
                          kVlnext = 15, kVeol2 = 16;
// A control character set to this is disabled (_POSIX_VDISABLE).
inline constexpr uint8_t kDisabledChar = 0;

// c_iflag.
inline constexpr uint32_t kIstrip = 040, kInlcr = 0100, kIgncr = 0200, kIcrnl = 0400, kIxon = 02000,
                          kIxany = 04000, kIutf8 = 040000;
// c_oflag.
inline constexpr uint32_t kOpost = 1, kOnlcr = 4, kOcrnl = 010, kOnocr = 020, kOnlret = 040;
// c_cflag.
inline constexpr uint32_t kB38400 = 017, kCs8 = 060, kCread = 0200, kHupcl = 02000, kClocal = 04000;
// c_lflag.
inline constexpr uint32_t kIsig = 1, kIcanon = 2, kEcho = 010, kEchoe = 020, kEchok = 040, kEchonl = 0100,
                          kNoflsh = 0200, kTostop = 0400, kEchoctl = 01000, kEchoke = 04000, kIexten = 0100000;

// What a terminal starts with: Linux's tty_std_termios (a serial line is local: CLOCAL).
inline constexpr Termios kDefaultTermios = {
    kIcrnl | kIxon,
    kOpost | kOnlcr,
    kB38400 | kCs8 | kCread | kHupcl | kClocal,
    kIsig | kIcanon | kEcho | kEchoe | kEchok | kEchoctl | kEchoke | kIexten,
    0,
    // ^C ^\ DEL ^U ^D, VTIME 0, VMIN 1, -, ^Q ^S ^Z, VEOL off, ^R ^O ^W ^V, VEOL2 off
    {003, 034, 0177, 025, 004, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026, 0, 0, 0},
};

}  // namespace rt
