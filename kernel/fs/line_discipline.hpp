#pragma once
// The line discipline of a terminal (Linux's N_TTY): what termios says to do with the bytes
// that arrive from the line (canonical editing, echo, input translation, the signal
// characters, flow control) and with those written to it (OPOST). It only computes: the Tty
// around it holds the lock, wakes readers, sends the signals and owns the device. Portable, so
// the host tests drive it directly.
#include <cstddef>
#include <cstdint>

#include "termios.hpp"

namespace rt {

class LineDiscipline {
public:
    static constexpr size_t kBufferSize = 4096;  // input held for readers, as Linux's N_TTY_BUF_SIZE
    // Where processed output goes: the bytes exactly as the device is to send them.
    using Send = void (*)(const char* bytes, size_t n);
    // What a received character asks the terminal to do to its foreground process group.
    enum class Signal { None, Interrupt, Quit, Suspend };

    explicit LineDiscipline(Send send) : m_send(send) {}
    LineDiscipline(const LineDiscipline&) = delete;

    const Termios& termios() const { return m_termios; }
    // New settings. Switching canonical mode on or off makes everything queued readable (as
    // one line when switching it on), as Linux does.
    void set_termios(const Termios& t);

    // One byte from the line: translated, edited, echoed and queued as termios says.
    Signal receive(uint8_t c);

    // Canonical mode: a whole line (or an end of file) is queued. Otherwise: bytes are.
    bool line_ready() const { return m_canon_head != m_tail; }
    size_t queued() const { return m_head - m_tail; }
    // FIONREAD: what a reader could take now (canonical mode: the complete lines' bytes).
    size_t readable_bytes() const;
    // Takes up to `n` bytes for a reader. In canonical mode it stops at the end of the first
    // line; `line_end` says it got there (the delimiter is taken, an end of file gives no byte).
    size_t take(char* out, size_t n, bool& line_end);
    // Drops every queued byte and the line being edited (TCFLSH, signals without NOFLSH).
    void flush_input();

    // Writes bytes through output processing (OPOST) to the device.
    void write(const char* bytes, size_t n);
    // Output stopped by the stop character (IXON) or TCXONC: writers wait.
    bool output_stopped() const { return m_stopped; }
    void stop_output() { m_stopped = true; }
    void start_output() { m_stopped = false; }
    // Sends one byte as it is (TCXONC's start and stop characters).
    void send_raw(uint8_t c);

private:
    bool canonical() const { return m_termios.lflag & kIcanon; }
    bool lflag(uint32_t f) const { return m_termios.lflag & f; }
    // Whether `c` is the enabled control character `index`.
    bool is_char(uint8_t c, unsigned index) const {
        return m_termios.cc[index] != kDisabledChar && c == m_termios.cc[index];
    }
    // A UTF-8 continuation byte under IUTF8: part of the character before it.
    bool continuation(uint8_t c) const { return (m_termios.iflag & kIutf8) && (c & 0xc0) == 0x80; }
    uint8_t at(size_t index) const { return m_buffer[index % kBufferSize]; }
    bool is_delimiter(size_t index) const;
    void set_delimiter(size_t index, bool on);
    // Queues a byte; `delimiter` ends a line. False if the buffer is full.
    bool put(uint8_t c, bool delimiter);
    // Ends the line being edited with `c` (a newline, VEOL, or an end-of-file marker).
    void end_line(uint8_t c);
    // Canonical editing: erase (one character), word erase or kill (the whole line).
    void erase(uint8_t c);
    // The column where the character at `index` of the line being edited was echoed.
    unsigned column_of(size_t index) const;
    void reprint();
    void echo(uint8_t c);  // as ECHOCTL shows it
    void echo_line_start();  // notes the column where the line being edited starts
    void output(uint8_t c);  // one byte of output, processed
    void flush_output();

    Send m_send;
    Termios m_termios = kDefaultTermios;
    // Input: [m_tail, m_canon_head) is complete lines (canonical mode), [m_canon_head, m_head)
    // the line being edited. Indices grow without bound; the buffer wraps.
    size_t m_tail = 0, m_canon_head = 0, m_head = 0;
    uint8_t m_buffer[kBufferSize];
    uint64_t m_delimiters[kBufferSize / 64] = {};  // which queued bytes end a line
    bool m_literal_next = false;                   // VLNEXT seen: the next byte is data
    bool m_stopped = false;
    unsigned m_column = 0;       // the output column (OPOST tracks it for tabs and erasing)
    unsigned m_canon_column = 0;  // where the echo of the line being edited started
    // Output on its way to the device, sent in batches.
    char m_out[128];
    size_t m_out_len = 0;
};

}  // namespace rt
