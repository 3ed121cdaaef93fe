#!/usr/bin/env python3
"""A tiny server program to run under start_server in the integration tests.

It is deliberately not a JVM: the launcher must work for any program. Everything is
configured through environment variables, so that envdir and the launcher's own
environment handling can steer it too:

  FIXTURE_REPORT_DIR   write report-GEN-PID.txt there at start-up: environment, open fds,
                       signal masks, cwd, process ids (see write_report for the format).
  FIXTURE_FAIL_GENERATIONS  comma-separated generations (e.g. "1,3") that exit at once with
                       FIXTURE_FAIL_EXIT (default 3): the original's t/02-startfail idea.
  FIXTURE_FAIL_SIGNAL  a signal name (e.g. "KILL"): the failing generations die of it instead.
  FIXTURE_HANG_GENERATIONS  comma-separated generations that never serve (alive, silent).
  FIXTURE_NOTIFY_GENERATIONS  comma-separated generations, or "*" for all, that send READY=1 to
                       $NOTIFY_SOCKET (sd_notify) once they serve.
  FIXTURE_EXIT         exit at once with this status, whatever the generation.
  FIXTURE_IGNORE       comma-separated signal names (e.g. "TERM") that are logged but ignored.
  FIXTURE_TERM_EXIT    exit status after a terminating signal (default 0).
  FIXTURE_TERM_DELAY   seconds to linger after a terminating signal, like a graceful drain.
  FIXTURE_VAR          name of an environment variable whose value every answer carries.

Every TCP / unix listener from SERVER_STARTER_PORT answers one line per connection:
  "pid=<pid> gen=<generation> var=<value of $FIXTURE_VAR or ->"
or, to a request starting with "GET ", the same line as an HTTP/1.0 response body. UDP
sockets answer each datagram with that line.

Signals TERM INT HUP USR1 USR2 QUIT are logged to stderr as
  "fixture <pid> gen <generation> received SIG<NAME>"
and end the program (status FIXTURE_TERM_EXIT) unless listed in FIXTURE_IGNORE. The report is
written before any handler is installed, so it shows the dispositions start_server gave us.
"""
import os
import signal
import socket
import sys
import threading
import time

PID = os.getpid()
GEN = os.environ.get("SERVER_STARTER_GENERATION", "?")


def escape(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_report(directory):
    """One record per line: KIND<TAB>KEY<TAB>VALUE, with \\ \\t \\n \\r escaped.

    KIND is env (in environ order), fd (fd number -> readlink target), status (the Sig*
    lines of /proc/self/status), or info (pid, ppid, pgid, sid, cwd, argv).
    """
    fds = []
    for name in os.listdir("/proc/self/fd"):
        try:
            fds.append((int(name), os.readlink("/proc/self/fd/" + name)))
        except OSError:
            # The directory handle listdir used: already closed, so not one we inherited.
            pass
    lines = []
    for key, value in os.environ.items():
        lines.append(("env", key, value))
    for fd, target in sorted(fds):
        lines.append(("fd", str(fd), target))
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Sig") or line.startswith("Shd"):
                key, _, value = line.partition(":")
                lines.append(("status", key, value.strip()))
    lines.append(("info", "pid", str(PID)))
    lines.append(("info", "ppid", str(os.getppid())))
    lines.append(("info", "pgid", str(os.getpgid(0))))
    lines.append(("info", "sid", str(os.getsid(0))))
    lines.append(("info", "cwd", os.getcwd()))
    lines.append(("info", "argv", " ".join(sys.argv[1:])))
    text = "".join("\t".join(escape(part) for part in line) + "\n" for line in lines)
    # temp file + rename: a test polling for the file never reads half of it.
    final = os.path.join(directory, "report-%s-%d.txt" % (GEN, PID))
    tmp = final + ".tmp"
    with open(tmp, "w") as out:
        out.write(text)
    os.rename(tmp, final)


def answer_line():
    var = os.environ.get("FIXTURE_VAR")
    value = os.environ.get(var, "-") if var else "-"
    return "pid=%d gen=%s var=%s\n" % (PID, GEN, value)


def serve_stream(sock):
    while True:
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        try:
            conn.settimeout(10)
            request = conn.makefile("rb").readline().decode("utf-8", "replace")
            body = answer_line()
            if request.startswith("GET "):
                data = body.encode()
                conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
                             b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(data), data))
            else:
                conn.sendall(body.encode())
        except OSError:
            pass
        finally:
            conn.close()


def serve_datagram(sock):
    while True:
        try:
            _, peer = sock.recvfrom(2048)
            sock.sendto(answer_line().encode(), peer)
        except OSError:
            return


def in_list(variable):
    """True if this generation is named in a comma-separated list variable ("*": every one)."""
    names = [g.strip() for g in os.environ.get(variable, "").split(",") if g.strip()]
    return GEN in names or "*" in names


def notify(message):
    """sd_notify without libsystemd: one datagram to $NOTIFY_SOCKET ('@' is the abstract namespace)."""
    path = os.environ.get("NOTIFY_SOCKET")
    if not path:
        sys.stderr.write("fixture %d gen %s has no NOTIFY_SOCKET\n" % (PID, GEN))
        return
    if path.startswith("@"):
        path = "\0" + path[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.connect(path)
        sock.sendall(message.encode())


def listeners():
    spec = os.environ.get("SERVER_STARTER_PORT", "")
    for entry in filter(None, spec.split(";")):
        _, _, fd = entry.rpartition("=")
        # socket(fileno=...) finds out family and type itself; it takes the fd over.
        yield socket.socket(fileno=int(fd))


def main():
    report_dir = os.environ.get("FIXTURE_REPORT_DIR")
    if report_dir:
        write_report(report_dir)
    if in_list("FIXTURE_FAIL_GENERATIONS"):
        sys.stderr.write("fixture %d gen %s failing on purpose\n" % (PID, GEN))
        sys.stderr.flush()
        if "FIXTURE_FAIL_SIGNAL" in os.environ:
            os.kill(PID, getattr(signal, "SIG" + os.environ["FIXTURE_FAIL_SIGNAL"]))
        sys.exit(int(os.environ.get("FIXTURE_FAIL_EXIT", "3")))
    if "FIXTURE_EXIT" in os.environ:
        sys.exit(int(os.environ["FIXTURE_EXIT"]))

    ignored = {s.strip().upper() for s in os.environ.get("FIXTURE_IGNORE", "").split(",") if s.strip()}
    term_exit = int(os.environ.get("FIXTURE_TERM_EXIT", "0"))
    term_delay = float(os.environ.get("FIXTURE_TERM_DELAY", "0"))

    def on_signal(signum, _frame):
        name = signal.Signals(signum).name
        sys.stderr.write("fixture %d gen %s received %s\n" % (PID, GEN, name))
        sys.stderr.flush()
        if name[3:] not in ignored:
            time.sleep(term_delay)
            os._exit(term_exit)

    for name in ("TERM", "INT", "HUP", "USR1", "USR2", "QUIT"):
        signal.signal(getattr(signal, "SIG" + name), on_signal)

    if in_list("FIXTURE_HANG_GENERATIONS"):
        sys.stderr.write("fixture %d gen %s hanging\n" % (PID, GEN))
        sys.stderr.flush()
        while True:
            signal.pause()

    for sock in listeners():
        target = serve_datagram if sock.type == socket.SOCK_DGRAM else serve_stream
        threading.Thread(target=target, args=(sock,), daemon=True).start()
    sys.stderr.write("fixture %d gen %s serving\n" % (PID, GEN))
    sys.stderr.flush()
    if in_list("FIXTURE_NOTIFY_GENERATIONS"):
        notify("READY=1")
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
