#!/usr/bin/env python3
"""Launcher benchmark: our Java start_server against Perl's Server::Starter, side by side.

    python3 bench/launcher/run.py [--quick] [--out DIR] [--only perl|ours|...]
                                  [--variant NAME='JVM OPTS'] [--command NAME='argv...']

Measures, for every implementation in one run, interleaved in random order so that the noise of a
shared machine falls on all of them alike:

  startup  exec of start_server -> its TCP port completes a handshake (listen() done), polled with a
           connect() attempt every ~1 ms; also exec -> first instruction of generation 1.
  idle     VmRSS / RssAnon / RssFile of the start_server process a few seconds after start and
           again after an idle period (default 60 s) with one child running; CPU (utime+stime
           ticks, and ns from schedstat) and context switches used during that idle period.
  hup      SIGHUP -> first instruction of the new generation, and SIGHUP -> old generation
           receiving its TERM, with --interval=0 and with the default interval.

The server program is bench/launcher/child.c, compiled here with gcc (a Python fallback when there
is no compiler): it appends "S gen pid CLOCK_MONOTONIC-ns" to $BENCH_MARK_FILE as its first action
and "T gen pid ns" when it gets SIGTERM, then sleeps. Python's time.monotonic_ns() is the same clock.

Only the Python 3 standard library is used. Every start_server is started in its own session
(start_new_session=True) and its whole process group is SIGKILLed at the end of each measurement,
whatever happens. Results: a table on stdout, and <out>/launcher-<UTC stamp>.{json,md} plus
<out>/latest.{json,md}; <out> is bench/results/tmp/launcher (git-ignored) unless --out says
otherwise. A run the docs cite is copied into bench/launcher/results/ by hand.
"""

import argparse
import datetime
import json
import os
import random
import re
import shlex
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# One implementation of the statistics for both benchmarks: bench/throughput/stats.py.
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "throughput"))
from stats import percentile  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "common"))
import sessions  # noqa: E402
from paths import repo_relative  # noqa: E402
REPO = os.path.dirname(os.path.dirname(HERE))
CLK_TCK = os.sysconf("SC_CLK_TCK")

# Targets from our issue, checked for every implementation that is not the Perl original.
TARGET_READY_MS = 600.0
TARGET_RSS_KB = 48 * 1024
TARGET_IDLE_CPU_S_PER_MIN = 0.1


def now_ns():
    return time.monotonic_ns()


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# statistics


def summarize(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return {"n": 0}
    return {
        "n": len(xs),
        "median": statistics.median(xs),
        "p10": percentile(xs, 10),
        "p90": percentile(xs, 90),
        "min": min(xs),
        "max": max(xs),
        "mean": statistics.fmean(xs),
        "stdev": statistics.stdev(xs) if len(xs) > 1 else 0.0,
    }


# --------------------------------------------------------------------------------------------
# /proc readers


def read_status(pid):
    out = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                v = v.strip()
                if k in ("VmRSS", "RssAnon", "RssFile", "RssShmem", "VmHWM", "VmSize"):
                    out[k + "_kB"] = int(v.split()[0])
                elif k in ("Threads",):
                    out[k] = int(v)
    except OSError:
        return None
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("Pss", "Private_Clean", "Private_Dirty", "Shared_Clean"):
                    out[k + "_kB"] = int(v.split()[0])
    except OSError:
        pass
    return out


def read_cpu_ticks(pid):
    """utime + stime of the whole process (dead threads included), in clock ticks."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            data = f.read()
    except OSError:
        return None
    rest = data[data.rindex(")") + 2:].split()
    # rest[0] is field 3 (state); utime is field 14, stime field 15
    return int(rest[11]) + int(rest[12])


def read_threads(pid):
    """Per-thread name, on-CPU ns (schedstat) and context switches: who wakes up while idle."""
    threads = {}
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return threads
    for tid in tids:
        base = "/proc/%d/task/%s/" % (pid, tid)
        try:
            with open(base + "comm") as f:
                comm = f.read().strip()
            run_ns = None
            try:
                with open(base + "schedstat") as f:
                    run_ns = int(f.read().split()[0])
            except OSError:
                pass
            ctx = 0
            with open(base + "status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        ctx += int(line.split(":")[1])
            threads[tid] = {"comm": comm, "run_ns": run_ns, "ctx": ctx}
        except OSError:
            continue
    return threads


def proc_comm(pid):
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return None


# --------------------------------------------------------------------------------------------
# the child program


def build_child(workdir, force_python=False):
    src = os.path.join(HERE, "child.c")
    exe = os.path.join(workdir, "bench_child")
    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc and not force_python:
        for flags in (["-O2", "-static"], ["-O2"]):
            r = subprocess.run([gcc] + flags + ["-o", exe, src], capture_output=True, text=True)
            if r.returncode == 0:
                return {"argv": [exe], "kind": "C (%s %s)" % (os.path.basename(gcc), " ".join(flags))}
    log("note: no C compiler usable, falling back to the Python child (spawn times include ~20 ms of Python start-up)")
    script = os.path.join(workdir, "bench_child.py")
    with open(script, "w") as f:
        f.write(
            "import os, signal, time\n"
            "g = os.environ.get('SERVER_STARTER_GENERATION', '0')\n"
            "fd = os.open(os.environ['BENCH_MARK_FILE'], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)\n"
            "def rec(k):\n"
            "    os.write(fd, ('%s %s %d %d\\n' % (k, g, os.getpid(), time.monotonic_ns())).encode())\n"
            "rec('S')\n"
            "def term(*a):\n"
            "    rec('T'); os._exit(0)\n"
            "signal.signal(signal.SIGTERM, term)\n"
            "signal.signal(signal.SIGINT, term)\n"
            "for _ in range(1000000):\n"
            "    signal.pause()\n"
        )
    return {"argv": [sys.executable, "-S", script], "kind": "Python (%s)" % sys.version.split()[0]}


# --------------------------------------------------------------------------------------------
# one start_server under test


class Impl:
    def __init__(self, name, argv, env=None, is_reference=False, description=""):
        self.name = name
        self.argv = argv
        self.env = env or {}
        self.is_reference = is_reference
        self.description = description
        self.unavailable = None


class MarkFile:
    """Records appended by the child: kind ('S' start / 'T' term), generation, pid, ns."""

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.partial = ""
        self.records = []

    def poll(self):
        try:
            with open(self.path) as f:
                f.seek(self.offset)
                data = f.read()
                self.offset = f.tell()
        except FileNotFoundError:
            return
        data = self.partial + data
        lines = data.split("\n")
        self.partial = lines.pop()
        for line in lines:
            parts = line.split()
            if len(parts) == 4:
                kind, gen, pid, ns = parts
                try:
                    self.records.append((kind, int(gen), int(pid), int(ns)))
                except ValueError:
                    pass

    def find(self, kind, pred=lambda gen: True):
        for r in self.records:
            if r[0] == kind and pred(r[1]):
                return r
        return None


class Server:
    def __init__(self, impl, workdir, tag, child, options):
        self.impl = impl
        self.tag = tag
        self.port = pick_port()
        self.mark = MarkFile(os.path.join(workdir, "%s.mark" % tag))
        self.status_file = os.path.join(workdir, "%s.status" % tag)
        self.log_path = os.path.join(workdir, "%s.log" % tag)
        options = [o.replace("{status}", self.status_file) for o in options]
        self.argv = impl.argv + ["--port=127.0.0.1:%d" % self.port] + options + ["--"] + child["argv"]
        self.env = dict(os.environ)
        self.env.pop("START_SERVER_JAVA_OPTS", None)
        self.env.update(impl.env)
        self.env["BENCH_MARK_FILE"] = self.mark.path
        self.proc = None
        self.t0 = None

    @property
    def pid(self):
        return self.proc.pid

    def start(self):
        logf = open(self.log_path, "ab")
        try:
            self.t0 = now_ns()
            self.proc = subprocess.Popen(
                self.argv, env=self.env, stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT,
                start_new_session=True, close_fds=True, cwd=os.path.dirname(self.mark.path))
        finally:
            logf.close()
        return self.t0

    def exited(self):
        """True once start_server has exited; leaves it a zombie so its pid and pgid stay reserved."""
        return sessions.leader_exited(self.proc)

    def wait_listening(self, deadline_s):
        """Connect attempts every ~1 ms until one completes; returns (monotonic ns, attempts) or None."""
        addr = ("127.0.0.1", self.port)
        end = self.t0 + int(deadline_s * 1e9)
        linger = struct.pack("ii", 1, 0)
        for attempt in range(1, 1000000):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                rc = s.connect_ex(addr)
                t = now_ns()
            finally:
                s.close()
            if rc == 0:
                return t, attempt
            if t > end or self.exited():
                return None
            time.sleep(0.001)
        return None

    def wait_mark(self, kind, pred, deadline_s, step=0.001):
        end = now_ns() + int(deadline_s * 1e9)
        while True:
            self.mark.poll()
            r = self.mark.find(kind, pred)
            if r is not None:
                return r
            if now_ns() > end or self.exited():
                return None
            time.sleep(step)

    def read_status_file(self):
        try:
            with open(self.status_file) as f:
                return [l.strip() for l in f if l.strip()]
        except OSError:
            return None

    def log_tail(self, n=15):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    def stop(self, grace_s=5.0):
        """TERM start_server, give it grace_s to clean up, then SIGKILL whatever is left of its group."""
        sessions.stop_session(self.proc, grace_s, poll_s=0.005, reap_s=10, members_gone_s=3)


pick_port = sessions.pick_port


class Registry:
    """Every Server ever started, so that a crash or ^C still stops them all."""

    def __init__(self):
        self.servers = []

    def new(self, *a, **kw):
        s = Server(*a, **kw)
        self.servers.append(s)
        return s

    def stop_all(self):
        for s in self.servers:
            try:
                s.stop(grace_s=2.0)
            except Exception as e:  # keep stopping the others
                log("cleanup error for %s: %s" % (s.tag, e))


# --------------------------------------------------------------------------------------------
# the measurements


def make_appcds(reg, ours, workdir, child):
    """A dynamic AppCDS archive of the classes ours loads while starting, restarting once and stopping."""
    jsa = os.path.join(workdir, "appcds.jsa")
    impl = Impl("appcds-dump", [ours], env={"START_SERVER_JAVA_OPTS": "-XX:ArchiveClassesAtExit=%s -Xlog:cds=off -Xlog:cds+dynamic=off" % jsa})
    srv = reg.new(impl, workdir, "appcds-dump", child, ["--interval=0"])
    t = time.monotonic()
    try:
        srv.start()
        if srv.wait_listening(30) is not None and srv.wait_mark("S", lambda g: g == 1, 30) is not None:
            time.sleep(0.5)
            os.kill(srv.pid, signal.SIGHUP)
            srv.wait_mark("T", lambda g: g == 1, 10)
            time.sleep(0.5)
    finally:
        srv.stop(grace_s=30.0)  # the archive is written while the JVM exits
    ok = os.path.isfile(jsa)
    log("appcds: %s (%.1f s)" % (("archive %d kB" % (os.path.getsize(jsa) // 1024)) if ok else "NO ARCHIVE: " + srv.log_tail(), time.monotonic() - t))
    return {"archive_kB": os.path.getsize(jsa) // 1024 if ok else None,
            "how": "START_SERVER_JAVA_OPTS='-XX:ArchiveClassesAtExit=FILE' start_server --interval=0 ...; HUP; TERM"}


def make_static_cds(reg, ours, workdir, child):
    """A static CDS archive replacing the JDK's default one: the classes ours loads (class list from
    one start, HUP and TERM), dumped with -Xshare:dump using bin/start_server's own JVM flags."""
    lst = os.path.join(workdir, "classes.lst")
    jsa = os.path.join(workdir, "static.jsa")
    impl = Impl("cds-list", [ours], env={"START_SERVER_JAVA_OPTS": "-XX:DumpLoadedClassList=%s" % lst})
    srv = reg.new(impl, workdir, "cds-list", child, ["--interval=0"])
    t = time.monotonic()
    try:
        srv.start()
        if srv.wait_listening(30) is not None and srv.wait_mark("S", lambda g: g == 1, 30) is not None:
            time.sleep(0.5)
            os.kill(srv.pid, signal.SIGHUP)
            srv.wait_mark("T", lambda g: g == 1, 10)
            time.sleep(0.5)
    finally:
        srv.stop(grace_s=30.0)
    dist = os.path.dirname(os.path.dirname(ours))
    flags = [f for f in jvm_flags_from_script(ours).get("flags", []) if "$" not in f and not f.startswith("-Xshare")]
    java = find_java() or "java"
    cmd = [java] + flags + ["-Xshare:dump", "-XX:SharedClassListFile=" + lst, "-XX:SharedArchiveFile=" + jsa,
                            "-cp", os.path.join(dist, "lib", "start_server.jar")]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    ok = r.returncode == 0 and os.path.isfile(jsa)
    n_classes = sum(1 for _ in open(lst)) if os.path.isfile(lst) else 0
    log("static cds: %s from %d listed classes (%.1f s)" % (("archive %d kB" % (os.path.getsize(jsa) // 1024)) if ok
                                                            else "FAILED: " + (r.stdout + r.stderr)[-500:], n_classes, time.monotonic() - t))
    return {"archive_kB": os.path.getsize(jsa) // 1024 if ok else None, "classes_listed": n_classes,
            "how": "START_SERVER_JAVA_OPTS=-XX:DumpLoadedClassList=LIST start_server ...; HUP; TERM; then "
                   "java <script flags> -Xshare:dump -XX:SharedClassListFile=LIST -XX:SharedArchiveFile=JSA -cp lib/start_server.jar"}


def startup_once(reg, impl, workdir, child, tag, deadline_s=20.0):
    srv = reg.new(impl, workdir, tag, child, [])
    res = {"impl": impl.name}
    try:
        t0 = srv.start()
        r = srv.wait_listening(deadline_s)
        if r is None:
            res["error"] = "not listening within %.0f s (exited=%s)" % (deadline_s, srv.exited())
            res["log"] = srv.log_tail()
            return res
        t_ready, attempts = r
        res["ready_ms"] = (t_ready - t0) / 1e6
        res["attempts"] = attempts
        res["cpu_ticks_at_ready"] = read_cpu_ticks(srv.pid)
        m = srv.wait_mark("S", lambda g: g == 1, deadline_s)
        if m is not None:
            res["child_ms"] = (m[3] - t0) / 1e6
            res["cpu_ticks_at_child"] = read_cpu_ticks(srv.pid)
        else:
            res["child_error"] = "generation 1 not seen"
        return res
    finally:
        srv.stop()


def run_startup(reg, impls, workdir, child, n, rng):
    log("== startup: %d interleaved runs per implementation (+1 warm-up each)" % n)
    samples = {i.name: [] for i in impls}
    warm = {}
    for i in impls:
        warm[i.name] = startup_once(reg, i, workdir, child, "warm-%s" % slug(i.name))
    for k in range(n):
        order = list(impls)
        rng.shuffle(order)
        line = []
        for i in order:
            r = startup_once(reg, i, workdir, child, "st%02d-%s" % (k, slug(i.name)))
            r["round"] = k
            samples[i.name].append(r)
            line.append("%s %s" % (i.name, ("%.1f ms" % r["ready_ms"]) if "ready_ms" in r else r.get("error")))
        log("  run %2d: %s" % (k + 1, ", ".join(line)))
    out = {}
    for i in impls:
        s = samples[i.name]
        out[i.name] = {
            "ready_ms": summarize([r.get("ready_ms") for r in s]),
            "child_ms": summarize([r.get("child_ms") for r in s]),
            "cpu_s_at_ready": summarize([r["cpu_ticks_at_ready"] / CLK_TCK for r in s if r.get("cpu_ticks_at_ready") is not None]),
            "errors": [r for r in s if "error" in r],
            "warmup": warm[i.name],
            "samples": s,
        }
    # pairwise ratios against the reference, run by run (both measured in the same round)
    ref = next((i for i in impls if i.is_reference), None)
    if ref:
        for i in impls:
            if i is ref:
                continue
            ratios = []
            for a, b in zip(samples[i.name], samples[ref.name]):
                if "ready_ms" in a and "ready_ms" in b and b["ready_ms"] > 0:
                    ratios.append(a["ready_ms"] / b["ready_ms"])
            out[i.name]["ready_ratio_vs_ref"] = summarize(ratios)
    return out


def snapshot(pid):
    return {"t_ns": now_ns(), "mem": read_status(pid), "cpu_ticks": read_cpu_ticks(pid), "threads": read_threads(pid)}


def thread_delta(a, b):
    """CPU ns and context switches per thread between two snapshots, grouped by thread name."""
    by_name = {}
    for tid, tb in b.items():
        ta = a.get(tid, {"run_ns": 0, "ctx": 0})
        d_run = (tb["run_ns"] or 0) - (ta["run_ns"] or 0)
        d_ctx = tb["ctx"] - ta["ctx"]
        e = by_name.setdefault(tb["comm"], {"threads": 0, "cpu_ms": 0.0, "ctx": 0})
        e["threads"] += 1
        e["cpu_ms"] += d_run / 1e6
        e["ctx"] += d_ctx
    return dict(sorted(by_name.items(), key=lambda kv: (-kv[1]["cpu_ms"], -kv[1]["ctx"])))


def run_idle(reg, impls, workdir, child, rounds, early_s, idle_s, rng):
    log("== idle: %d round(s); all implementations side by side; snapshot %.0f s after exec and %.0f s later"
        % (rounds, early_s, idle_s))
    per = {i.name: [] for i in impls}
    for k in range(rounds):
        order = list(impls)
        rng.shuffle(order)
        servers = []
        try:
            for i in order:
                srv = reg.new(i, workdir, "idle%d-%s" % (k, slug(i.name)), child, [])
                srv.start()
                servers.append(srv)
                # let each start alone, so that start-up does not overlap and each gets its snapshot on time
                ok = srv.wait_listening(20) is not None and srv.wait_mark("S", lambda g: g == 1, 20) is not None
                if not ok:
                    log("  %s did not start: %s" % (i.name, srv.log_tail()))
            snaps_a = {}
            for srv in servers:
                delay = srv.t0 / 1e9 + early_s - now_ns() / 1e9
                if delay > 0:
                    time.sleep(delay)
                snaps_a[srv.impl.name] = snapshot(srv.pid)
            t_first = min(s["t_ns"] for s in snaps_a.values())
            time.sleep(max(0.0, t_first / 1e9 + idle_s - now_ns() / 1e9))
            for srv in servers:
                delay = snaps_a[srv.impl.name]["t_ns"] / 1e9 + idle_s - now_ns() / 1e9
                if delay > 0:
                    time.sleep(delay)
                a = snaps_a[srv.impl.name]
                b = snapshot(srv.pid)
                alive = not srv.exited()
                srv.mark.poll()
                gens = [r for r in srv.mark.records if r[0] == "S"]
                window_s = (b["t_ns"] - a["t_ns"]) / 1e9
                d_ticks = (b["cpu_ticks"] - a["cpu_ticks"]) if (a["cpu_ticks"] is not None and b["cpu_ticks"] is not None) else None
                # per thread alive at the end (new threads count from zero; threads that exited in
                # between, e.g. idle JIT compiler threads, lose only what they did after the first snapshot)
                td = thread_delta(a["threads"], b["threads"])
                idle_run_ms = sum(v["cpu_ms"] for v in td.values())
                idle_ctx = sum(v["ctx"] for v in td.values())
                per[srv.impl.name].append({
                    "round": k,
                    "alive": alive,
                    "spawns_seen": len(gens),
                    "comm": proc_comm(srv.pid),
                    "early_after_exec_s": (a["t_ns"] - srv.t0) / 1e9,
                    "window_s": window_s,
                    "mem_early": a["mem"],
                    "mem_late": b["mem"],
                    "cpu_ticks_startup": a["cpu_ticks"],
                    "cpu_ticks_idle": d_ticks,
                    "cpu_s_per_min": (d_ticks / CLK_TCK) * 60.0 / window_s if d_ticks is not None else None,
                    "schedstat_ms_idle": idle_run_ms,
                    "ctx_switches_idle": idle_ctx,
                    "threads_idle": td,
                })
                log("  round %d %-14s RSS %s -> %s kB, idle CPU %s ticks in %.0f s, %d ctx switches, %s threads"
                    % (k + 1, srv.impl.name, (a["mem"] or {}).get("VmRSS_kB"), (b["mem"] or {}).get("VmRSS_kB"),
                       d_ticks, window_s, idle_ctx, (b["mem"] or {}).get("Threads")))
        finally:
            for srv in servers:
                srv.stop()
    out = {}
    for i in impls:
        rs = per[i.name]

        def m(which, key):
            return summarize([(r[which] or {}).get(key) for r in rs])
        out[i.name] = {
            "rss_early_kB": m("mem_early", "VmRSS_kB"),
            "rss_late_kB": m("mem_late", "VmRSS_kB"),
            "anon_early_kB": m("mem_early", "RssAnon_kB"),
            "anon_late_kB": m("mem_late", "RssAnon_kB"),
            "file_early_kB": m("mem_early", "RssFile_kB"),
            "file_late_kB": m("mem_late", "RssFile_kB"),
            "pss_late_kB": m("mem_late", "Pss_kB"),
            "hwm_late_kB": m("mem_late", "VmHWM_kB"),
            "threads": m("mem_late", "Threads"),
            "cpu_ticks_startup": summarize([r["cpu_ticks_startup"] for r in rs]),
            "cpu_ticks_idle": summarize([r["cpu_ticks_idle"] for r in rs]),
            "cpu_s_per_min": summarize([r["cpu_s_per_min"] for r in rs]),
            "schedstat_ms_idle": summarize([r["schedstat_ms_idle"] for r in rs]),
            "ctx_switches_idle": summarize([r["ctx_switches_idle"] for r in rs]),
            "rounds": rs,
        }
    return out


def run_hup(reg, impls, workdir, child, n, interval, rng, settle_gap=(0.25, 0.45)):
    label = "--interval=%s" % interval if interval is not None else "default interval"
    log("== hup (%s): %d interleaved HUPs per implementation" % (label, n))
    opts = ["--status-file={status}"]
    if interval is not None:
        opts.append("--interval=%s" % interval)
    servers = {}
    state = {}
    per = {i.name: [] for i in impls}
    wait_started = 1.0 if interval is None else float(interval)
    try:
        for i in impls:
            tag = "hup%s-%s" % ("def" if interval is None else interval, slug(i.name))
            srv = reg.new(i, workdir, tag, child, opts)
            srv.start()
            servers[i.name] = srv
            if srv.wait_listening(20) is None or srv.wait_mark("S", lambda g: g == 1, 20) is None:
                log("  %s did not start: %s" % (i.name, srv.log_tail()))
                state[i.name] = None
                continue
            state[i.name] = 1
        time.sleep(wait_started + 0.5)
        for k in range(n):
            order = [i for i in impls if state.get(i.name)]
            rng.shuffle(order)
            line = []
            for i in order:
                srv = servers[i.name]
                g = state[i.name]
                r = hup_once(srv, g, interval)
                r["round"] = k
                per[i.name].append(r)
                if r.get("new_gen"):
                    state[i.name] = r["new_gen"]
                line.append("%s %s" % (i.name, ("%.2f ms" % r["spawn_ms"]) if r.get("spawn_ms") is not None else r.get("error")))
                time.sleep(rng.uniform(*settle_gap))
            log("  HUP %2d: %s" % (k + 1, ", ".join(line)))
    finally:
        for srv in servers.values():
            srv.stop()
    out = {}
    for i in impls:
        rs = per[i.name]
        spawn = [r.get("spawn_ms") for r in rs]
        out[i.name] = {
            "spawn_ms": summarize(spawn),
            "first_spawn_ms": spawn[0] if spawn else None,
            "term_old_ms": summarize([r.get("term_old_ms") for r in rs]),
            "missed": sum(r.get("resent", 0) for r in rs),
            "errors": [r for r in rs if "error" in r],
            "samples": rs,
        }
    return out


def hup_once(srv, g, interval, wait_s=6.0):
    """One HUP: returns SIGHUP->new child's first instruction and SIGHUP->old child's TERM (ms)."""
    res = {"old_gen": g}
    old = srv.mark.find("S", lambda x: x == g)
    t_kill = now_ns()
    os.kill(srv.pid, signal.SIGHUP)
    resent = 0
    m = None
    for attempt in range(3):
        m = srv.wait_mark("S", lambda x: x > g, wait_s)
        if m is not None or srv.exited():
            break
        # the Perl original can miss a HUP that lands just before it waits: count it, send another
        resent += 1
        os.kill(srv.pid, signal.SIGHUP)
    res["resent"] = resent
    if m is None:
        res["error"] = "no new generation after HUP"
        return res
    res["new_gen"] = m[1]
    res["spawn_ms"] = (m[3] - t_kill) / 1e6 if resent == 0 else None
    t = srv.wait_mark("T", lambda x: x == g, wait_s + (2.0 if interval is None else 0.0))
    if t is not None:
        res["term_old_ms"] = (t[3] - t_kill) / 1e6 if resent == 0 else None
    else:
        res["error"] = "old generation not TERMed"
    # settle: the status file lists only the newest generation (both implementations write it)
    end = time.monotonic() + 5
    while time.monotonic() < end:
        srv.mark.poll()
        latest = max(r[1] for r in srv.mark.records if r[0] == "S")
        lines = srv.read_status_file()
        if lines is not None and len(lines) == 1 and lines[0].startswith("%d:" % latest):
            res["new_gen"] = latest
            break
        time.sleep(0.005)
    else:
        res["settle_warning"] = "status file did not settle to one generation: %r" % (srv.read_status_file(),)
    if old is None:
        res["note"] = "old generation start not recorded"
    return res


# --------------------------------------------------------------------------------------------
# machine and implementation details


def slug(name):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def sh(argv, **kw):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=30, **kw)
        return (r.stdout + r.stderr).strip()
    except (OSError, subprocess.TimeoutExpired) as e:
        return "unavailable: %s" % e


def jvm_flags_from_script(path):
    """The JVM flags that bin/start_server passes, read from the script's exec line."""
    try:
        with open(path) as f:
            text = f.read()
    except OSError as e:
        return {"error": str(e)}
    m = re.search(r'exec\s+"\$java"(.*?)-jar', text, re.S)
    if not m:
        return {"error": "exec \"$java\" ... -jar not found in %s" % path}
    body = m.group(1).replace("\\\n", " ")
    tokens = [t for t in body.split() if t]
    flags = [t for t in tokens if t.startswith("-")]
    return {"flags": flags, "raw": " ".join(tokens)}


def find_java():
    for cand in (os.environ.get("START_SERVER_JAVA"),
                 os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else None,
                 shutil.which("java")):
        if cand and os.access(cand, os.X_OK):
            return os.path.realpath(cand)
    return None


def machine_info(impls):
    info = {
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "nproc": os.cpu_count(),
        "nproc_affinity": len(os.sched_getaffinity(0)),
        "kernel": os.uname().release,
        "python": sys.version.split()[0],
        "clk_tck": CLK_TCK,
    }
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu_model"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    info["mem_total"] = line.split(":", 1)[1].strip()
    except OSError:
        pass
    java = find_java()
    info["java"] = java
    if java:
        info["java_version"] = sh([java, "-version"])
        jsa = os.path.join(os.path.dirname(os.path.dirname(java)), "lib", "server", "classes.jsa")
        info["default_cds_archive"] = jsa if os.path.exists(jsa) else "absent"
    info["perl_version"] = sh(["perl", "-e", "print $^V"])
    info["server_starter_version"] = sh(["perl", "-MServer::Starter", "-e", "print $Server::Starter::VERSION"])
    info["git_head"] = sh(["git", "-C", REPO, "rev-parse", "--short", "HEAD"])
    jar = os.path.join(REPO, "launcher", "target", "dist", "lib", "start_server.jar")
    if os.path.exists(jar):
        info["launcher_jar_mtime_utc"] = datetime.datetime.fromtimestamp(
            os.path.getmtime(jar), datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    with open("/proc/loadavg") as f:
        info["loadavg_start"] = f.read().split()[:3]
    info["impls"] = {i.name: {"argv": i.argv, "env": i.env, "reference": i.is_reference,
                              "description": i.description} for i in impls}
    return info


# --------------------------------------------------------------------------------------------
# reporting


def fmt(x, digits=1):
    if x is None:
        return "-"
    if isinstance(x, float):
        return "%.*f" % (digits, x)
    return str(x)


def cell(s, key="median", digits=1, scale=1.0, spread=True):
    if not s or s.get("n", 0) == 0:
        return "-"
    v = s[key] * scale
    if not spread or s["n"] < 2:
        return fmt(v, digits)
    return "%s (%s–%s)" % (fmt(v, digits), fmt(s["min"] * scale, digits), fmt(s["max"] * scale, digits))


def build_rows(results, impls):
    """(metric, {impl: text}, target) rows for the summary table."""
    rows = []
    names = [i.name for i in impls]
    st = results.get("startup")
    if st:
        rows.append(("exec → port accepts: median ms (N)", {n: "%s (N=%d)" % (fmt(st[n]["ready_ms"].get("median")), st[n]["ready_ms"].get("n", 0)) for n in names}, "< 600 ms"))
        rows.append(("  p90 ms", {n: fmt(st[n]["ready_ms"].get("p90")) for n in names}, ""))
        rows.append(("  min – max ms", {n: "%s – %s" % (fmt(st[n]["ready_ms"].get("min")), fmt(st[n]["ready_ms"].get("max"))) for n in names}, ""))
        rows.append(("exec → generation 1 running: median ms", {n: fmt(st[n]["child_ms"].get("median")) for n in names}, ""))
        rows.append(("CPU used until port accepts: median s", {n: fmt(st[n]["cpu_s_at_ready"].get("median"), 2) for n in names}, ""))
        for n in names:
            if "ready_ratio_vs_ref" in st[n]:
                r = st[n]["ready_ratio_vs_ref"]
                rows.append(("  %s / reference, per round: median (p10–p90)" % n, {n: "%s (%s–%s)" % (fmt(r.get("median"), 2), fmt(r.get("p10"), 2), fmt(r.get("p90"), 2))}, ""))
    idle = results.get("idle")
    if idle:
        w = results["config"]["idle_s"]
        e = results["config"]["early_s"]
        rows.append(("VmRSS %g s after exec: MB (min–max)" % e, {n: cell(idle[n]["rss_early_kB"], scale=1 / 1024.0) for n in names}, "< 48 MB"))
        rows.append(("  RssAnon / RssFile MB", {n: "%s / %s" % (fmt((idle[n]["anon_early_kB"].get("median") or 0) / 1024.0), fmt((idle[n]["file_early_kB"].get("median") or 0) / 1024.0)) for n in names}, ""))
        rows.append(("VmRSS after %g s idle: MB (min–max)" % w, {n: cell(idle[n]["rss_late_kB"], scale=1 / 1024.0) for n in names}, "< 48 MB"))
        rows.append(("  RssAnon / RssFile MB", {n: "%s / %s" % (fmt((idle[n]["anon_late_kB"].get("median") or 0) / 1024.0), fmt((idle[n]["file_late_kB"].get("median") or 0) / 1024.0)) for n in names}, ""))
        rows.append(("  Pss MB / VmHWM MB / threads", {n: "%s / %s / %s" % (fmt((idle[n]["pss_late_kB"].get("median") or 0) / 1024.0), fmt((idle[n]["hwm_late_kB"].get("median") or 0) / 1024.0), fmt(idle[n]["threads"].get("median"), 0)) for n in names}, ""))
        rows.append(("CPU while idle %g s: ticks (1/%d s), median (min–max)" % (w, CLK_TCK), {n: cell(idle[n]["cpu_ticks_idle"], digits=0) for n in names}, ""))
        rows.append(("  = s of CPU per idle minute", {n: fmt(idle[n]["cpu_s_per_min"].get("median"), 3) for n in names}, "< 0.1 s"))
        rows.append(("  on-CPU ms (schedstat, all threads)", {n: fmt(idle[n]["schedstat_ms_idle"].get("median"), 1) for n in names}, ""))
        rows.append(("  context switches while idle", {n: fmt(idle[n]["ctx_switches_idle"].get("median"), 0) for n in names}, ""))
        rows.append(("CPU used in the first %g s: ticks" % e, {n: fmt(idle[n]["cpu_ticks_startup"].get("median"), 0) for n in names}, ""))
    for key, label in (("hup_interval0", "--interval=0"), ("hup_default", "default --interval (1 s)")):
        h = results.get(key)
        if not h:
            continue
        rows.append(("HUP → new generation running, %s: median ms (N)" % label, {n: "%s (N=%d)" % (fmt(h[n]["spawn_ms"].get("median"), 2), h[n]["spawn_ms"].get("n", 0)) for n in names}, ""))
        rows.append(("  p90 / min – max ms", {n: "%s / %s – %s" % (fmt(h[n]["spawn_ms"].get("p90"), 2), fmt(h[n]["spawn_ms"].get("min"), 2), fmt(h[n]["spawn_ms"].get("max"), 2)) for n in names}, ""))
        rows.append(("  first HUP after start ms", {n: fmt(h[n]["first_spawn_ms"], 2) for n in names}, ""))
        rows.append(("  HUP → old generation gets TERM: median ms", {n: fmt(h[n]["term_old_ms"].get("median"), 1) for n in names}, ""))
        rows.append(("  HUPs that needed re-sending (lost)", {n: str(h[n]["missed"]) for n in names}, ""))
    return rows


def targets(results, impls):
    verdicts = {}
    for i in impls:
        if i.is_reference:
            continue
        v = {}
        st = (results.get("startup") or {}).get(i.name)
        if st and st["ready_ms"].get("n"):
            v["ready < 600 ms (median)"] = st["ready_ms"]["median"] < TARGET_READY_MS
        idle = (results.get("idle") or {}).get(i.name)
        if idle and idle["rss_late_kB"].get("n"):
            v["RSS < 48 MB (max over rounds, early and late)"] = max(idle["rss_late_kB"]["max"], idle["rss_early_kB"]["max"]) < TARGET_RSS_KB
        if idle and idle["cpu_s_per_min"].get("n"):
            v["idle CPU < 0.1 s/min (median)"] = idle["cpu_s_per_min"]["median"] < TARGET_IDLE_CPU_S_PER_MIN
        verdicts[i.name] = v
    return verdicts


def render_markdown(results, impls):
    names = [i.name for i in impls]
    cfg = results["config"]
    mi = results["machine"]
    out = []
    out.append("# Launcher benchmark, %s" % mi["date_utc"])
    out.append("")
    out.append("Command: `%s`" % cfg["command"])
    out.append("")
    out.append("Machine: %s, nproc=%s, %s, kernel %s; load average at start %s, at end %s."
               % (mi.get("cpu_model"), mi.get("nproc"), mi.get("mem_total"), mi.get("kernel"),
                  " ".join(mi.get("loadavg_start", [])), " ".join(mi.get("loadavg_end", []))))
    out.append("Java: %s (%s); default CDS archive: %s."
               % (mi.get("java"), (mi.get("java_version") or "").splitlines()[1:2] and mi["java_version"].splitlines()[1] or mi.get("java_version"),
                  mi.get("default_cds_archive")))
    out.append("Perl %s, Server::Starter %s. Child: %s. Repo HEAD %s, launcher jar built %s."
               % (mi.get("perl_version"), mi.get("server_starter_version"), cfg["child"], mi.get("git_head"),
                  mi.get("launcher_jar_mtime_utc", "-")))
    out.append("")
    out.append("JVM flags in bin/start_server: `%s`" % " ".join(results.get("jvm_flags", {}).get("flags", [])))
    out.append("")
    for i in impls:
        extra = (" with `%s`" % " ".join("%s=%s" % kv for kv in i.env.items())) if i.env else ""
        state = (" — **unavailable**: %s" % i.unavailable) if i.unavailable else ""
        out.append("- **%s**: `%s`%s%s" % (i.name, " ".join(i.argv), extra, state))
    out.append("")
    out.append("| metric | " + " | ".join(names) + " | target (ours) |")
    out.append("|---|" + "---|" * len(names) + "---|")
    for metric, vals, tgt in build_rows(results, impls):
        out.append("| %s | %s | %s |" % (metric, " | ".join(vals.get(n, "") for n in names), tgt))
    out.append("")
    verdicts = results.get("targets") or {}
    for n, v in verdicts.items():
        if v:
            out.append("Targets for %s: %s" % (n, "; ".join("%s: %s" % (k, "met" if ok else "**missed**") for k, ok in v.items())))
    idle = results.get("idle")
    if idle:
        out.append("")
        out.append("Busiest threads while idle (first round; CPU ms / context switches):")
        out.append("")
        for n in names:
            rs = idle[n]["rounds"]
            if not rs:
                continue
            top = list(rs[0]["threads_idle"].items())[:6]
            out.append("- %s: %s" % (n, ", ".join("%s ×%d %.1f ms/%d" % (k, v["threads"], v["cpu_ms"], v["ctx"]) for k, v in top)))
    out.append("")
    return "\n".join(out)


def print_table(results, impls):
    names = [i.name for i in impls]
    rows = build_rows(results, impls)
    w0 = max([len(r[0]) for r in rows] + [10])
    ws = [max([len(n)] + [len(r[1].get(n, "")) for r in rows]) for n in names]
    print("%-*s  %s  %s" % (w0, "metric", "  ".join("%-*s" % (w, n) for w, n in zip(ws, names)), "target"))
    for metric, vals, tgt in rows:
        print("%-*s  %s  %s" % (w0, metric, "  ".join("%-*s" % (w, vals.get(n, "")) for w, n in zip(ws, names)), tgt))
    for n, v in (results.get("targets") or {}).items():
        for k, ok in v.items():
            print("target %s: %s -> %s" % (n, k, "met" if ok else "MISSED"))


# --------------------------------------------------------------------------------------------


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="smoke run: few repetitions, 10 s idle")
    p.add_argument("--out", default=os.path.join(REPO, "bench", "results", "tmp", "launcher"),
                   help="results directory (default bench/results/tmp/launcher, git-ignored)")
    p.add_argument("--only", default=None, help="comma-separated implementation names to run (perl, ours, or a variant)")
    p.add_argument("--tests", default="startup,idle,hup", help="comma-separated subset of startup,idle,hup")
    p.add_argument("-n", "--runs", type=int, default=None, help="start-up runs per implementation (default 30, quick 5)")
    p.add_argument("--hups", type=int, default=None, help="HUPs per implementation and interval setting (default 20, quick 4)")
    p.add_argument("--idle", type=float, default=None, help="idle window in s (default 60, quick 10)")
    p.add_argument("--early", type=float, default=None, help="first snapshot this many s after exec (default 5, quick 3)")
    p.add_argument("--idle-rounds", type=int, default=None, help="idle measurements per implementation (default 3, quick 1)")
    p.add_argument("--ours", default=None,
                   help="our start_server (default: a frozen copy of launcher/target/dist taken at the start of the run, "
                        "so that a rebuild during the run changes nothing; bin/start_server when there is no dist)")
    p.add_argument("--no-snapshot", action="store_true", help="run launcher/target/dist/bin/start_server in place")
    p.add_argument("--appcds", action="store_true",
                   help="also run ours+appcds: ours with a dynamic AppCDS archive made in this run "
                        "(-XX:ArchiveClassesAtExit during one start, HUP, TERM; then -XX:SharedArchiveFile)")
    p.add_argument("--perl", default="/usr/bin/start_server", help="the Perl original")
    p.add_argument("--variant", action="append", default=[], metavar="NAME=JVM_OPTS",
                   help="also run ours with START_SERVER_JAVA_OPTS=JVM_OPTS, reported as ours+NAME (repeatable)")
    p.add_argument("--command", action="append", default=[], metavar="NAME=ARGV",
                   help="also run an arbitrary start_server command line (shell-split), e.g. a direct java -jar; "
                        "placeholders: {dist} (ours' bin/..), {workdir}, {floor_cp}")
    p.add_argument("--static-cds", action="store_true",
                   help="also run ours+staticcds: ours with a static CDS archive (-Xshare:dump of the classes it loads) "
                        "in place of the JDK's default archive")
    p.add_argument("--floor", action="store_true",
                   help="also run floor/Floor.java (a library-free Java stand-in) with bin/start_server's JVM flags, "
                        "as 'floor': the JVM's share of the cost")
    p.add_argument("--python-child", action="store_true", help="use the Python child instead of compiling child.c")
    p.add_argument("--seed", type=int, default=None, help="seed of the interleaving order")
    p.add_argument("--keep", action="store_true", help="keep the scratch directory (logs, mark files)")
    return p.parse_args(argv)


def main(argv):
    a = parse_args(argv)
    q = a.quick
    runs = a.runs if a.runs is not None else (5 if q else 30)
    hups = a.hups if a.hups is not None else (4 if q else 20)
    idle_s = a.idle if a.idle is not None else (10.0 if q else 60.0)
    early_s = a.early if a.early is not None else (3.0 if q else 5.0)
    idle_rounds = a.idle_rounds if a.idle_rounds is not None else (1 if q else 3)
    seed = a.seed if a.seed is not None else int(time.time())
    rng = random.Random(seed)
    tests = [t.strip() for t in a.tests.split(",") if t.strip()]

    impls = [Impl("perl", [a.perl], is_reference=True, description="Perl Server::Starter (the original)"),
             Impl("ours", ["{ours}"], description="bin/start_server with its built-in JVM flags")]
    for v in a.variant:
        name, _, opts = v.partition("=")
        impls.append(Impl("ours+" + name, ["{ours}"], env={"START_SERVER_JAVA_OPTS": opts},
                          description="bin/start_server, START_SERVER_JAVA_OPTS=%s" % opts))
    for c in a.command:
        name, _, cmd = c.partition("=")
        impls.append(Impl(name, shlex.split(cmd), description="custom command ({floor_cp} = compiled floor/, {dist} = ours' bin/.., {workdir} = scratch dir)"))
    if a.static_cds:
        impls.append(Impl("ours+staticcds", ["{ours}"], env={"START_SERVER_JAVA_OPTS": "-XX:SharedArchiveFile={workdir}/static.jsa"},
                          description="bin/start_server, START_SERVER_JAVA_OPTS=-XX:SharedArchiveFile=<static CDS archive of the classes ours loads, made in this run>"))
    if a.appcds:
        impls.append(Impl("ours+appcds", ["{ours}"], env={"START_SERVER_JAVA_OPTS": "-XX:SharedArchiveFile={workdir}/appcds.jsa"},
                          description="bin/start_server, START_SERVER_JAVA_OPTS=-XX:SharedArchiveFile=<dynamic AppCDS archive made in this run>"))
    if a.floor:
        java = find_java() or "java"
        script = a.ours or os.path.join(REPO, "bin", "start_server")
        flags = [f for f in jvm_flags_from_script(script).get("flags", []) if "$" not in f]
        impls.append(Impl("floor", [java] + flags + ["-cp", "{floor_cp}", "Floor"],
                          description="floor/Floor.java: bind, listen, spawn with ProcessBuilder; same JVM flags, no libraries"))
    if a.only:
        wanted = [w.strip() for w in a.only.split(",")]
        unknown = [w for w in wanted if w not in [i.name for i in impls]]
        if unknown:
            log("unknown implementation(s): %s (have %s)" % (unknown, [i.name for i in impls]))
            return 2
        impls = [i for i in impls if i.name in wanted]

    workdir = tempfile.mkdtemp(prefix="launcher-bench-")
    reg = Registry()
    results = {"config": {"command": "python3 bench/launcher/run.py " + " ".join(shlex.quote(x) for x in argv),
                          "runs": runs, "hups": hups, "idle_s": idle_s, "early_s": early_s,
                          "idle_rounds": idle_rounds, "seed": seed, "tests": tests}}

    def on_signal(signum, frame):
        raise KeyboardInterrupt()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        child = build_child(workdir, a.python_child)
        ours = a.ours
        dist = os.path.join(REPO, "launcher", "target", "dist")
        if ours is None:
            if os.path.isfile(os.path.join(dist, "lib", "start_server.jar")) and not a.no_snapshot:
                shutil.copytree(dist, os.path.join(workdir, "dist"), symlinks=True)
                ours = os.path.join(workdir, "dist", "bin", "start_server")
                results["config"]["ours_snapshot_of"] = dist
            elif os.path.isfile(os.path.join(dist, "bin", "start_server")):
                ours = os.path.join(dist, "bin", "start_server")
            else:
                ours = os.path.join(REPO, "bin", "start_server")
        results["config"]["ours"] = ours
        jar = os.path.join(os.path.dirname(os.path.dirname(ours)), "lib", "start_server.jar")
        if os.path.isfile(jar):
            import hashlib
            with open(jar, "rb") as f:
                results["config"]["ours_jar_sha256"] = hashlib.sha256(f.read()).hexdigest()
        for i in impls:
            i.argv = [x.replace("{ours}", ours).replace("{dist}", os.path.dirname(os.path.dirname(ours)))
                      .replace("{workdir}", workdir) for x in i.argv]
            i.env = {k: v.replace("{workdir}", workdir) for k, v in i.env.items()}
        if a.appcds:
            results["config"]["appcds"] = make_appcds(reg, ours, workdir, child)
        if a.static_cds:
            results["config"]["static_cds"] = make_static_cds(reg, ours, workdir, child)
        if any("{floor_cp}" in x for i in impls for x in i.argv):
            floor_cp = os.path.join(workdir, "floor")
            r = subprocess.run([os.path.join(os.path.dirname(find_java() or "/usr/bin/java"), "javac"), "-nowarn",
                                "-XDignore.symbol.file", "-d", floor_cp, os.path.join(HERE, "floor", "Floor.java")],
                               capture_output=True, text=True)
            if r.returncode != 0:
                log("javac of floor/Floor.java failed: %s" % r.stderr[-2000:])
            for i in impls:
                i.argv = [x.replace("{floor_cp}", floor_cp) for x in i.argv]
        results["config"]["child"] = child["kind"]
        results["machine"] = machine_info(impls)
        if os.path.isfile(jar):  # the jar actually measured (the snapshot keeps the build's mtime)
            results["machine"]["launcher_jar_mtime_utc"] = datetime.datetime.fromtimestamp(
                os.path.getmtime(jar), datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        results["jvm_flags"] = jvm_flags_from_script(ours)
        results["jvm_flags"]["repo_script_same"] = (
            jvm_flags_from_script(os.path.join(REPO, "bin", "start_server")).get("flags") == results["jvm_flags"].get("flags"))
        log("machine: %s, nproc %s; java %s" % (results["machine"].get("cpu_model"), results["machine"]["nproc"],
                                                 results["machine"].get("java")))
        log("child: %s; scratch dir %s; seed %d" % (child["kind"], workdir, seed))

        # preflight: one start each; an implementation that cannot start is reported and left out
        usable = []
        for i in impls:
            r = startup_once(reg, i, workdir, child, "preflight-%s" % slug(i.name))
            if "ready_ms" in r and "child_ms" in r:
                usable.append(i)
                log("preflight %s: listening after %.1f ms, generation 1 after %.1f ms" % (i.name, r["ready_ms"], r["child_ms"]))
            else:
                i.unavailable = (r.get("error") or r.get("child_error") or "?") + ": " + " | ".join((r.get("log") or "").strip().splitlines()[-3:])
                log("preflight %s FAILED, left out: %s" % (i.name, i.unavailable))
        results["unavailable"] = {i.name: i.unavailable for i in impls if i.unavailable}
        if not usable:
            log("nothing to measure")
            return 1

        if "startup" in tests:
            results["startup"] = run_startup(reg, usable, workdir, child, runs, rng)
        if "hup" in tests:
            results["hup_interval0"] = run_hup(reg, usable, workdir, child, hups, "0", rng)
            results["hup_default"] = run_hup(reg, usable, workdir, child, hups, None, rng)
        if "idle" in tests:
            results["idle"] = run_idle(reg, usable, workdir, child, idle_rounds, early_s, idle_s, rng)
        with open("/proc/loadavg") as f:
            results["machine"]["loadavg_end"] = f.read().split()[:3]
        results["targets"] = targets(results, usable)
    except KeyboardInterrupt:
        log("interrupted: stopping everything started")
        return 130
    finally:
        reg.stop_all()
        if a.keep:
            log("scratch dir kept: %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    shown = usable
    print_table(results, shown)
    os.makedirs(a.out, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    md = render_markdown(results, shown) + ("\nLeft out: %s\n" % results["unavailable"] if results["unavailable"] else "")
    # Paths relative to the repository (bench/common/paths.py); default=str first, for what JSON lacks.
    recorded = repo_relative(json.loads(json.dumps(results, default=str)), REPO)
    md = repo_relative(md, REPO)
    for base in ("launcher-%s%s" % (stamp, "-quick" if q else ""), "latest"):
        with open(os.path.join(a.out, base + ".json"), "w") as f:
            json.dump(recorded, f, indent=1, sort_keys=False)
        with open(os.path.join(a.out, base + ".md"), "w") as f:
            f.write(md)
    log("wrote %s/{launcher-%s%s,latest}.{md,json}" % (a.out, stamp, "-quick" if q else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
