#pragma once
// Open files on a terminal: each forwards to its Tty, and remembers the node it was opened
// through, which decides whether reads and writes meet job control, and (with the path, if
// it was opened by one) what fstat shows.
#include "file.hpp"

namespace rt {

class Tty;
struct Process;
struct PathRef;

enum class TtyNode {
    Console,      // /dev/console (5:1): as Linux's, reads and writes skip job control
    Line,         // the terminal's own node (the console's is /dev/ttyS0, 4:64)
    Controlling,  // /dev/tty (5:0): the opener's controlling terminal
};

// A new open file on `tty` through `path` (empty: opened by the kernel); empty if no memory.
FileRef open_tty_file(Tty& tty, const PathRef& path, uint32_t flags, TtyNode node);

// /dev/tty: the opener's controlling terminal; ENXIO if it has none, ENOMEM.
ErrorOr<FileRef> open_controlling_tty(Process& opener, const PathRef& path, uint32_t flags);

}  // namespace rt
