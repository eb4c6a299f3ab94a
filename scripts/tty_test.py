#!/usr/bin/env python3
"""The console as a person at a terminal meets it: boots Riptide with init=/bin/tty_interactive
the way `make run` does (scripts/qemu.sh's interactive mode, QEMU in -nographic) under a
pseudo-terminal, types keys into it and checks what comes back: echo and its rubouts for erase,
word erase and kill, a long paste, ^D, ^C to a running foreground job, ^Z to a reading one that continues in
the foreground, a key in raw mode. Prints one line per check and `N passed, N failed`; the
exit status is the number failed. Every wait has a timeout, and QEMU is killed at the end.
    tty_test.py [--smp N] [--timeout SECONDS] KERNEL INITRD"""
import argparse
import os
import pty
import re
import select
import signal
import sys
import termios
import time

parser = argparse.ArgumentParser()
parser.add_argument("--smp", default="2")
parser.add_argument("--timeout", type=float, default=120)
parser.add_argument("kernel")
parser.add_argument("initrd")
args = parser.parse_args()
here = os.path.dirname(os.path.abspath(__file__))

pid, master = pty.fork()
if pid == 0:
    # The terminal's own output processing off, so the bytes seen are the guest's.
    mode = termios.tcgetattr(0)
    mode[1] &= ~termios.ONLCR
    termios.tcsetattr(0, termios.TCSANOW, mode)
    os.execv(os.path.join(here, "qemu.sh"),
             ["qemu.sh", "--smp", args.smp, "--mem", "256M", "--timeout", "0", "--initrd", args.initrd,
              "--append", "init=/bin/tty_interactive", "--", args.kernel])

deadline = time.monotonic() + args.timeout
seen = b""  # everything the terminal has shown
cursor = 0  # how far the checks have looked
passed = failed = 0


def pump(until):
    """Reads what the terminal shows until `until` (seconds since the epoch of monotonic)."""
    global seen
    while True:
        left = min(until, deadline) - time.monotonic()
        if left <= 0:
            return
        ready, _, _ = select.select([master], [], [], left)
        if not ready:
            return
        try:
            chunk = os.read(master, 4096)
        except OSError:  # QEMU is gone
            return
        if not chunk:
            return
        seen += chunk
        if until == 0:
            return


def expect(what, pattern, wait=20, at_once=False):
    """Waits up to `wait` seconds for `pattern` (bytes, a regular expression) after the cursor
    (`at_once`: right at it); one check."""
    global cursor, passed, failed
    regex = re.compile(pattern, re.S)
    end = time.monotonic() + wait
    while True:
        m = regex.match(seen, cursor) if at_once else regex.search(seen, cursor)
        if m:
            cursor = m.end()
            passed += 1
            print(f"ok   {what}")
            return True
        if time.monotonic() >= min(end, deadline):
            failed += 1
            print(f"FAIL {what}: no {pattern[:100]!r} in {seen[cursor:][-300:]!r}")
            return False
        pump(min(end, time.monotonic() + 0.2))


def type_keys(keys):
    for k in keys:
        os.write(master, k.encode("latin-1"))
        time.sleep(0.01)


BS = re.escape(b"\b \b")
if expect("boots into tty_interactive", rb"tty_interactive: type a line\r\n", wait=60):
    type_keys("hello wrld\x17world\r")
    expect("echo with a word erase rubbed out", rb"hello wrld" + BS * 4 + rb"world\r\n")
    expect("the edited line", rb"line 1: \[hello world\]\r\n")
if expect("second prompt", rb"type another\r\n"):
    type_keys("garbage\x15second\x7f\x7f\x7fond line\r")
    expect("echo with a kill and erases rubbed out", rb"garbage" + BS * 7 + rb"second" + BS * 3 + rb"ond line\r\n")
    expect("the second line", rb"line 2: \[second line\]\r\n")
if expect("paste prompt", rb"paste a long line\r\n"):
    line = "".join(chr(ord("a") + i % 26) for i in range(1500))
    os.write(master, line.encode() + b"\r")  # at once: more than the input buffers hold
    expect("a paste echoes whole", re.escape(line.encode()) + rb"\r\n")
    expect("and reads as one line", rb"pasted 1501 bytes\r\n")
if expect("end-of-file prompt", rb"end of file\r\n"):
    type_keys("\x04")
    expect("^D reads as the end of the file", rb"\beof\r\n")
if expect("a running foreground job", rb"job: spinning\r\n"):
    type_keys("\x03")
    expect("^C echoes and ends the job with SIGINT", rb"\^Cjob: ended by signal 2\r\n")
if expect("a reading foreground job", rb"job: reading\r\n"):
    type_keys("\x1a")
    expect("^Z echoes and stops the job with SIGTSTP", rb"\^Zjob: stopped by signal 20\r\n")
    if expect("the job back in the foreground", rb"job: in the foreground again\r\n"):
        type_keys("resumed\r")
        expect("its restarted read gets the line", rb"resumed\r\njob: read: \[resumed\]\r\n")
        expect("the job ends", rb"job: exited 0\r\n")
if expect("raw mode", rb"press a key\r\n"):
    type_keys("x")
    expect("the key comes at once and unechoed", rb"key 0x78\r\n", at_once=True)
expect("the program ends well", rb"tty_interactive: done\r\n.*init exited with status 0")

# QEMU powers off after init; kill whatever is left.
pump(time.monotonic() + 5)
try:
    os.killpg(pid, signal.SIGKILL)
except ProcessLookupError:
    pass
os.waitpid(pid, 0)
print(f"{passed} passed, {failed} failed")
sys.exit(min(failed, 100))
