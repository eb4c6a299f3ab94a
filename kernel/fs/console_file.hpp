#pragma once
// The console as a file (stdin, stdout and stderr of the first process): output through the
// UART, input as it arrives from the UART's receive interrupt, byte by byte. (The line
// discipline, echo and termios come with the tty.)
#include "file.hpp"

namespace rt {

// A new open file for the console with open flags `flags`; nullptr if no memory.
File* open_console(uint32_t flags);

// The UART's receive interrupt: moves every byte it holds into the console's input.
void console_receive();

}  // namespace rt
