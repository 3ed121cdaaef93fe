#!/usr/bin/env python3
"""Where our start_server spends its start-up: a class-loading timeline.

    python3 bench/launcher/phases.py [-n 10] [--opts 'EXTRA JVM OPTS'] [--ours PATH]

Runs our start_server N times with -Xlog:class+load (JVM uptime decorations), each time until its
port accepts a connection, and reports medians over the runs of:
  - when the first class of each jar / module was loaded (JVM uptime, ms),
  - how many classes came from each source, and how many from the CDS archive,
  - the time attributed to each source: every gap between two consecutive class loads is charged
    to the source of the class loaded at its end (a rough profile, but the big blocks stand out),
  - exec -> port accepts as seen from outside (with the logging overhead included).
Stdlib only; every start_server runs in its own session and its process group is killed after.
"""

import argparse
import collections
import os
import re
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench  # noqa: E402

LINE = re.compile(r"^\[(\d+\.\d+)s\]\s+(\S+)\s+source:\s+(.*)$")


def source_name(src):
    if src.startswith("shared objects file"):
        return "CDS archive" + (" (top)" if "top" in src else "")
    if src.startswith("jrt:/"):
        return src[5:]
    if src.startswith("file:"):
        return os.path.basename(src)
    if src.startswith("__") or src.startswith("jdk.proxy") or src.startswith("java.lang.invoke"):
        return "generated (%s)" % src.split()[0][:30]
    return src.split()[0][:40]


def parse(path):
    events = []
    with open(path, errors="replace") as f:
        for line in f:
            m = LINE.match(line.strip())
            if m:
                events.append((float(m.group(1)) * 1000.0, m.group(2), source_name(m.group(3))))
    return events


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=10)
    p.add_argument("--opts", default="", help="extra START_SERVER_JAVA_OPTS")
    p.add_argument("--ours", default=None, help="start_server to profile (default: a copy of launcher/target/dist)")
    a = p.parse_args(argv)

    workdir = tempfile.mkdtemp(prefix="launcher-phases-")
    reg = bench.Registry()
    first = collections.defaultdict(list)
    counts = collections.defaultdict(list)
    charged = collections.defaultdict(list)
    ready = []
    last_event = []
    try:
        child = bench.build_child(workdir)
        ours = a.ours
        if ours is None:
            dist = os.path.join(bench.REPO, "launcher", "target", "dist")
            shutil.copytree(dist, os.path.join(workdir, "dist"), symlinks=True)
            ours = os.path.join(workdir, "dist", "bin", "start_server")
        for k in range(a.n):
            logf = os.path.join(workdir, "cl%d.txt" % k)
            impl = bench.Impl("ours", [ours], env={
                "START_SERVER_JAVA_OPTS": ("%s -Xlog:class+load:file=%s:uptime" % (a.opts, logf)).strip()})
            srv = reg.new(impl, workdir, "ph%d" % k, child, [])
            try:
                t0 = srv.start()
                r = srv.wait_listening(30)
                if r is None:
                    print("run %d: not listening: %s" % (k, srv.log_tail()), file=sys.stderr)
                    continue
                ready.append((r[0] - t0) / 1e6)
            finally:
                srv.stop()
            ev = parse(logf)
            # only what happened before the port accepted (plus the logging's own lag): up to the
            # first class loaded after the ready time in JVM uptime is unknowable, so keep all
            # events up to 'ready' measured from exec (JVM uptime starts a few ms after exec)
            cut = ready[-1]
            ev = [e for e in ev if e[0] <= cut]
            c = collections.Counter()
            seen = {}
            ch = collections.Counter()
            prev = 0.0
            for t, cls, src in ev:
                c[src] += 1
                seen.setdefault(src, t)
                ch[src] += t - prev
                prev = t
            for src in set(list(c) + list(first)):
                counts[src].append(c.get(src, 0))
                charged[src].append(ch.get(src, 0.0))
                if src in seen:
                    first[src].append(seen[src])
            last_event.append(prev)
    finally:
        reg.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)

    if not ready:
        return 1
    print("runs: %d; exec -> port accepts (with class+load logging): median %.1f ms (min %.1f, max %.1f)"
          % (len(ready), statistics.median(ready), min(ready), max(ready)))
    print("opts: %s" % (a.opts or "(script defaults)"))
    print()
    print("%-44s %8s %10s %12s" % ("source (classes loaded before the port accepted)", "classes", "first ms", "charged ms"))
    rows = sorted(charged.items(), key=lambda kv: -statistics.median(kv[1]))
    total = 0.0
    for src, vals in rows:
        med = statistics.median(vals)
        total += med
        fm = statistics.median(first[src]) if first[src] else float("nan")
        print("%-44s %8d %10.1f %12.1f" % (src[:44], statistics.median(counts[src]), fm, med))
    print("%-44s %8s %10s %12.1f" % ("(sum of medians)", "", "", total))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
