#!/usr/bin/env python3
"""Runs a command with chosen signal dispositions and mask: exec_with_signals.py [--ignore SIG]...
[--block SIG]... [--umask OCTAL] -- command args...

A JVM's ProcessBuilder hands its children SIGQUIT blocked (and glibc's internal signals 32/33
ignored), and a service manager may hand over anything. This resets every signal start_server
could inherit to its default and unblocks all, then applies the --ignore / --block asked for,
so a test states exactly what start_server received.
"""
import os
import signal
import sys


def main(argv):
    ignore, block = [], []
    i = 0
    while argv[i] != "--":
        option, value = argv[i], argv[i + 1]
        if option == "--umask":
            # Not a signal, but the same need: state exactly what start_server inherits.
            os.umask(int(value, 8))
        else:
            (ignore if option == "--ignore" else block).append(getattr(signal, "SIG" + value))
        i += 2
    command = argv[i + 1:]
    for sig in signal.valid_signals():
        if sig in (signal.SIGKILL, signal.SIGSTOP):
            continue
        try:
            signal.signal(sig, signal.SIG_DFL)
        except (OSError, ValueError):
            pass  # glibc keeps a few real-time signals for itself
    for sig in ignore:
        signal.signal(sig, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_SETMASK, block)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
