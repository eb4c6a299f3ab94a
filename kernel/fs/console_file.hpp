#pragma once
// The console: the UART's line as a terminal (a Tty whose output goes to the UART and whose
// input the UART's receive interrupt brings). What the kernel's first processes have as stdin,
// stdout and stderr, and what /dev/console and /dev/ttyS0 open.
#include "file.hpp"

namespace rt {

struct Process;
struct PathRef;

// /dev/console, opened through `path`: a file on the console terminal which never makes it
// anyone's controlling terminal and whose reads and writes skip job control (Linux's
// /dev/console). Empty if no memory.
FileRef open_console(const PathRef& path, uint32_t flags);
// The console's own line (Linux's /dev/ttyS0), through `path` (empty: opened by the kernel):
// a session leader without a controlling terminal that opens it without O_NOCTTY, while no
// session has it, acquires it. Empty if no memory.
FileRef open_console_tty(Process& opener, const PathRef& path, uint32_t flags);

// The UART's receive interrupt: takes every byte it holds for the console's input.
void console_receive();
// Starts the coroutine that hands received bytes to the console's line discipline (which
// echoes and may signal: not work for an interrupt handler).
void start_console_input();

}  // namespace rt
