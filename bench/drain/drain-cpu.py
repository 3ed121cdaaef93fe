#!/usr/bin/env python3
"""Where a draining JVM's CPU goes: the demo app under start_server, N keep-alive connections
(IDLE idle ones, SLOW in GET /sleep), SIGHUP, then the old JVM's CPU per thread from /proc every
100 ms until it exits. Prints one line per run:

  idle=200 slow=20 ... drain 4813 ms | JVM TERM->exit 180 ms (31 ms/s) | JVM TERM->drain done
  120 ms (25 ms/s) | drain thread 40 ms (8 ms/s) | JIT 60 ms | looks 17

"JVM TERM->exit" is everything the old JVM did after TERM (requests it still serves, JIT, its
shutdown hooks); "drain thread" is the JVM's "SIGTERM handler" thread, in which the agent's drain
runs (or "SIGUSR1 handler"..., for start_server's --signal-on-hup); "JIT" the compiler threads. With --per-second, also a line per second of the drain.

  bench/drain/drain-cpu.py --idle 200 --slow 20 [--keep-open] [--stagger-ms 25] [--runs 3]
  bench/drain/drain-cpu.py --start-server /other/build/bin/start_server ...   # another agent build

Needs a built checkout (bin/start_server, demo-app/target/demo-app.jar) and Linux /proc.
"""
import argparse
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, 'bench', 'common'))
from procstat import stat, threads  # noqa: E402


def request(port, path, conn=None):
    s = conn or socket.create_connection(('127.0.0.1', port))
    s.sendall(f'GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'.encode())
    return s


def response(s):
    buf = b''
    while b'\r\n\r\n' not in buf:
        d = s.recv(65536)
        if not d:
            return None
        buf += d
    head, _, body = buf.partition(b'\r\n\r\n')
    m = re.search(rb'content-length:\s*(\d+)', head, re.I)
    n = int(m.group(1)) if m else 0
    while len(body) < n:
        d = s.recv(65536)
        if not d:
            break
        body += d
    return body


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def run(a):
    port = free_port()
    lines = []  # (time, line) of start_server's output

    srv = subprocess.Popen([a.start_server, f'--port=127.0.0.1:{port}', '--', a.java, '-jar', a.demo_jar,
                            f'--port={port}', f'--threads={a.slow + 16}'],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)

    def follow():
        for raw in srv.stdout:
            lines.append((time.time(), raw.decode(errors='replace').rstrip()))
    threading.Thread(target=follow, daemon=True).start()
    conns = []
    try:
        deadline = time.time() + 120
        while True:
            try:
                s = request(port, '/')
                body = response(s)
                s.close()
                if body:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise SystemExit('the first generation never answered')
            time.sleep(0.1)
        pid = int(re.search(rb'"pid"\s*:\s*(\d+)', body).group(1))
        sel = selectors.DefaultSelector()
        for i in range(a.idle):
            s = request(port, '/')
            response(s)
            conns.append(s)
            sel.register(s, selectors.EVENT_READ)
        for i in range(a.slow):
            s = request(port, f'/sleep?ms={a.sleep_ms + i * a.stagger_ms}')
            conns.append(s)
            sel.register(s, selectors.EVENT_READ)
        time.sleep(0.5)  # the slow requests are read by then
        os.kill(srv.pid, signal.SIGHUP)
        stop = threading.Event()

        def clients():
            # A client closes on end of stream, as HTTP clients do, unless --keep-open.
            while not stop.is_set():
                for key, _ in sel.select(0.05):
                    try:
                        d = key.fileobj.recv(65536)
                    except OSError:
                        d = b''
                    if not d:
                        sel.unregister(key.fileobj)
                        if not a.keep_open:
                            key.fileobj.close()
        threading.Thread(target=clients, daemon=True).start()
        samples = []
        while True:
            t = threads(pid)
            p = stat(f'/proc/{pid}/stat')
            if t is None or p is None:
                break
            samples.append((time.time(), p[1], t))
            time.sleep(0.1)
        stop.set()
        time.sleep(0.2)
    finally:
        for s in conns:
            s.close()
        os.killpg(srv.pid, signal.SIGTERM)
        try:
            srv.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(srv.pid, signal.SIGKILL)

    handler_name = re.compile(r'SIG[A-Z0-9]+ handler$')
    term = next((i for i, s in enumerate(samples) if any(handler_name.match(n) for n, _ in s[2].values())), None)
    done = next(((t, l) for t, l in lines if f'drain (pid {pid}): done in' in l or f'drain (pid {pid}): timeout' in l),
                None)
    if term is None or done is None:
        print('no drain seen:', [l for _, l in lines if 'drain' in l or 'warning' in l])
        return
    base = samples[max(term - 1, 0)]
    end = samples[-1]
    handler = next(t for t, (n, _) in samples[term][2].items() if handler_name.match(n))
    drain_ms = int(re.search(r'done in (\d+) ms|timeout after (\d+) ms', done[1]).group(1) or 0)
    looks = re.search(r'(\d+) looks', done[1])
    until_done = [s for s in samples if s[0] <= done[0]][-1]

    def per_thread(s0, s1):
        d = {}
        for t, (n, c) in s1[2].items():
            d[n] = d.get(n, 0) + c - s0[2].get(t, (n, 0))[1]
        return d
    # Compiler threads come and go (the JVM sizes their number): each thread's last sample counts.
    last_seen = {}
    for s in samples[term:]:
        last_seen.update(s[2])
    cpu = per_thread(base, (end[0], end[1], last_seen))
    drain_thread = max(s[2].get(handler, ('', 0))[1] for s in samples)
    jit = sum(c for n, c in cpu.items() if 'Compiler' in n)
    exit_s = end[0] - base[0]
    print(f'idle={a.idle} slow={a.slow} keep_open={a.keep_open} stagger={a.stagger_ms}: drain {drain_ms} ms'
          f' | JVM TERM->exit {1000 * (end[1] - base[1]):.0f} ms ({1000 * (end[1] - base[1]) / exit_s:.0f} ms/s)'
          f' | JVM TERM->drain done {1000 * (until_done[1] - base[1]):.0f} ms'
          f' ({(until_done[1] - base[1]) * 1e6 / max(drain_ms, 1):.0f} ms/s)'
          f' | drain thread {1000 * drain_thread:.0f} ms ({drain_thread * 1e6 / max(drain_ms, 1):.0f} ms/s)'
          f' | JIT {1000 * jit:.0f} ms | looks {looks.group(1) if looks else "?"}', flush=True)
    if a.per_second:
        prev = base
        for s in samples[term:]:
            if s[0] - prev[0] >= 1.0 or s is end:
                top = sorted(per_thread(prev, s).items(), key=lambda x: -x[1])[:4]
                print(f'  +{s[0] - base[0]:4.1f} s: JVM {1000 * (s[1] - prev[1]):4.0f} ms  '
                      + ', '.join(f'{n} {1000 * c:.0f}' for n, c in top if c > 0))
                prev = s


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--idle', type=int, default=0, help='idle keep-alive connections (default 0)')
    ap.add_argument('--slow', type=int, default=1, help='connections in GET /sleep (default 1)')
    ap.add_argument('--sleep-ms', type=int, default=8000, help='their sleep (default 8000)')
    ap.add_argument('--stagger-ms', type=int, default=0, help='added to the sleep of each next slow request')
    ap.add_argument('--keep-open', action='store_true', help='clients do not close on the server\'s FIN')
    ap.add_argument('--runs', type=int, default=1)
    ap.add_argument('--per-second', action='store_true')
    ap.add_argument('--java', default='java')
    ap.add_argument('--start-server', default=os.path.join(REPO, 'bin', 'start_server'))
    ap.add_argument('--demo-jar', default=os.path.join(REPO, 'demo-app', 'target', 'demo-app.jar'))
    a = ap.parse_args()
    for _ in range(a.runs):
        run(a)


if __name__ == '__main__':
    sys.exit(main())
