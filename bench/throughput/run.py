#!/usr/bin/env python3
"""Throughput of the demo app with and without the agent, interleaved, on JDK 17 and 25.

    python3 bench/throughput/run.py [--jdk 17|25|both] [--modes keepalive,close] [--rounds N]
                                    [--seconds S] [--warmup W] [--warmup-cpu C] [--connections N]
                                    [--layout parallel|sequential] [--pin S,L] [--control]
                                    [--quick] [--keep] [--build auto|always|never] [--out DIR]
    python3 bench/throughput/run.py --report results/throughput-STAMP.json   # its .md again, in the --out default

Both variants run the same demo-app.jar on the same JDK under the same start_server
(launcher/target/dist/bin/start_server); the only difference is the agent:

  with     start_server --port=127.0.0.1:P -- JAVA -jar demo-app.jar --port=P
           start_server injects the agent; the app's bind adopts start_server's socket.
  without  start_server --port=127.0.0.1:Q --java-agent=off -- JAVA -jar demo-app.jar --port=P
           no agent; the app cannot adopt, so start_server holds another port (Q) and the app
           binds P itself. The app inherits Q's fd and never touches it.

Every sample is a fresh server JVM: started, checked (the child's command line loads an agent
or not; with the agent, the "adopted inherited socket" line is in start_server's log), loaded
closed-loop (as fast as it answers) by bench/target/bench.jar until warm (--warmup s of load,
--warmup-cpu s of server CPU, and its JIT compiler threads quiet) and then --seconds more, and
stopped. Only the last --seconds count: the requests started in that window (from the load
generator's 100 ms timeline) and the server JVM's CPU time over it (utime+stime from
/proc/PID/stat, sampled every 100 ms, interpolated at the window's edges). A fresh JVM per
sample puts the JIT's run-to-run variation into the spread instead of into one variant.

A round is one sample of each variant. By default (--layout parallel) both are served and
loaded at the same time, each with its own load generator, over the same window: whatever else
runs on the machine, and its slow swings (5 s averages of one warm server move by 5-10 % on this
2-CPU VM), then weigh on both alike, and each server's throughput is its share of the CPU divided
by its cost per request. The order in which the two are started alternates with/without,
without/with, ... (ABBA). --layout sequential runs one variant after the other instead (the
method of the runs before 2026-11-26 05:30 UTC); its spread between fresh JVMs was 10-20 %.
--control runs the variant without the agent in both slots (A/A): the ratio it reports is the
method's own bias and spread. With --control-java-args the 'with' slot gets extra JVM options
(e.g. -javaagent:JAR=off: an agent that only starts, against no agent at all). In the JVM options
(--without-java-args, --control-java-args), -javaagent:JAR stands for the agent jar start_server ships.
Rounds are the outer loop over every JDK and mode, so a run cut short still has all of them.

Results: a table on stdout, bench/results/tmp/throughput/throughput-<UTC>.{json,md} and
latest.{json,md} there (git-ignored; --out elsewhere). A run the docs cite is copied into
bench/throughput/results/ by hand. Python 3 standard library only. Every start_server and load generator
runs in its own session; its whole process group is killed after each sample and on any exit
(^C, TERM, HUP, an error), so nothing is left running. Run it with `nice -n 15` on a shared box.
"""

import argparse
import datetime
import hashlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import stats

HERE = os.path.dirname(os.path.abspath(__file__))
# Starting and stopping process groups, shared with bench/launcher: bench/common/sessions.py.
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "common"))
import sessions  # noqa: E402
from paths import repo_relative  # noqa: E402
REPO = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(REPO, "bench", "results", "tmp", "throughput")
CLK_TCK = os.sysconf("SC_CLK_TCK")
TARGET_RATIO = 0.99

START_SERVER = os.path.join(REPO, "launcher/target/dist/bin/start_server")
AGENT_JAR = os.path.join(REPO, "launcher/target/dist/lib/server-starter-agent.jar")
DEMO_JAR = os.path.join(REPO, "demo-app/target/demo-app.jar")
BENCH_JAR = os.path.join(REPO, "bench/target/bench.jar")
# What each jar is built from, for --build auto (a source newer than the jar: rebuild).
SOURCES = {
    START_SERVER: ["launcher/src", "launcher/pom.xml", "agent/src", "agent/pom.xml", "protocol/src", "bin"],
    DEMO_JAR: ["demo-app/src", "demo-app/pom.xml"],
    BENCH_JAR: ["bench/src", "bench/pom.xml"],
}
JDKS = {
    "17": [os.environ.get("JAVA17"), "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"],
    "25": [os.environ.get("JAVA25"), "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"],
}
VARIANTS = ("with", "without")
# Set from --with-start-server-args / --without-java-args: to tell which part of the agent costs
# (e.g. the drain's hooks with --drain-timeout=0, or an agent that does nothing with
# -javaagent:JAR=off), both empty for the measurement the docs report.
WITH_START_SERVER_ARGS = []
# --pin: the server (start_server and its JVM) on one CPU, the load generator on another, so that
# the scheduler's placement of the two is not a further source of spread between samples.
PIN = {"server": [], "load": []}
WITHOUT_JAVA_ARGS = []
# --control-java-args: extra JVM options for the 'with' slot of a control run.
CONTROL_JAVA_ARGS = []
# --control: both slots run the variant without the agent (an A/A run), to show what the method
# itself reads as a difference when there is none.
CONTROL = [False]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Interrupted(Exception):
    pass


def on_signal(signum, frame):
    raise Interrupted(signal.Signals(signum).name)


# --------------------------------------------------------------------------------------------
# processes


class Group:
    """A process started as the leader of a new session; stop() kills its whole process group."""

    def __init__(self, argv, log_path, cwd):
        self.argv = argv
        self.log_path = log_path
        with open(log_path, "wb") as out:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                         cwd=cwd, start_new_session=True, close_fds=True)
        self.pid = self.proc.pid

    def exited(self):
        """True once the leader has exited, without reaping it (so its pgid stays ours)."""
        return sessions.leader_exited(self.proc)

    def stop(self, grace_s):
        """TERM the leader, wait up to grace_s for it, then SIGKILL whatever is left of the group."""
        sessions.stop_session(self.proc, grace_s)

    def log_tail(self, n=20):
        try:
            with open(self.log_path, "r", errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""


class Registry:
    """Everything started, so that an error or a signal still stops it all."""

    def __init__(self):
        self.groups = []

    def start(self, argv, log_path, cwd):
        g = Group(argv, log_path, cwd)
        self.groups.append(g)
        return g

    def stop(self, g, grace_s=15.0):
        try:
            g.stop(grace_s)
        finally:
            if g in self.groups:
                self.groups.remove(g)

    def stop_all(self):
        for g in list(self.groups):
            try:
                self.stop(g, grace_s=3.0)
            except Exception as e:  # keep stopping the others
                log("cleanup error for %s: %s" % (g.argv[0], e))


pick_port = sessions.pick_port


def children(pid):
    """Child processes of every thread (a JVM spawns from a Java thread, not its first one)."""
    kids = []
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return kids
    for tid in tasks:
        try:
            with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
                kids += [int(x) for x in f.read().split()]
        except OSError:
            pass
    return kids


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
    except OSError:
        return []


def cpu_ticks(pid):
    """utime+stime of every thread of the process, dead ones included; None once it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


JIT_THREADS = ("C1 CompilerThre", "C2 CompilerThre")  # HotSpot's compiler threads, as comm cuts them


def jit_ticks(pid):
    """utime+stime of the JVM's live JIT compiler threads; None once the process is gone.

    HotSpot starts and retires compiler threads as the queue grows and shrinks, so a retired
    thread's ticks drop out of the sum: callers look at increases only.
    """
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return None
    total = 0
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                head, rest = f.read().rsplit(")", 1)
            if head.split("(", 1)[1].startswith(JIT_THREADS):
                fields = rest.split()
                total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total


def jit_busy(samples, now, span_s):
    """CPUs' worth of JIT compiling over the last span_s s of (epoch s, jit ticks) samples, counting
    increases only; None until the samples cover that span."""
    recent = [(t, v) for t, v in samples if now - span_s - 1e-6 <= t <= now + 1e-6]
    if not samples or samples[0][0] > now - span_s or len(recent) < 2:
        return None
    return increase([v for _, v in recent]) / CLK_TCK / (recent[-1][0] - recent[0][0])


def increase(values):
    """Sum of the steps up in a series of tick counts (a retired thread's drop is not negative work)."""
    return sum(max(0, b - a) for a, b in zip(values, values[1:]))


def machine_ticks():
    """(busy, steal) ticks of the whole machine since boot, all CPUs, from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (v + [0] * 8)[:8]
    return user + nice + system + irq + softirq, steal


def machine_busy_cores(seconds):
    """How many CPUs' worth the machine is busy over the next `seconds` (while we run nothing)."""
    t0, (b0, _) = time.time(), machine_ticks()
    time.sleep(seconds)
    t1, (b1, _) = time.time(), machine_ticks()
    return (b1 - b0) / CLK_TCK / (t1 - t0)


def wait_quiet(args):
    """Waits (up to --quiet-wait s) until the machine, with none of our load running, is busy less
    than --quiet-below CPUs; returns (busy CPUs at the last probe, seconds waited)."""
    start = time.monotonic()
    while True:
        busy = machine_busy_cores(2.0)
        waited = time.monotonic() - start
        if args.quiet_below is None or busy <= args.quiet_below or waited >= args.quiet_wait:
            return busy, waited


def health(port, timeout=1.0):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        c.request("GET", "/health")
        ok = c.getresponse().status == 200
        c.close()
        return ok
    except (OSError, http.client.HTTPException):
        return False


# --------------------------------------------------------------------------------------------
# one sample


def start_demo(reg, variant, java, workdir, tag):
    """start_server + demo app; returns (group, java child pid, app port) once /health answers."""
    app_port = pick_port()
    if variant == "with" and not CONTROL[0]:
        argv = [START_SERVER, "--port=127.0.0.1:%d" % app_port] + WITH_START_SERVER_ARGS
        java_args = []
    else:
        argv = [START_SERVER, "--port=127.0.0.1:%d" % pick_port(), "--java-agent=off"]
        java_args = CONTROL_JAVA_ARGS if variant == "with" else WITHOUT_JAVA_ARGS
    argv += ["--", java] + java_args + ["-jar", DEMO_JAR, "--port=%d" % app_port]
    argv = PIN["server"] + argv
    g = reg.start(argv, os.path.join(workdir, tag + ".server.log"), workdir)
    deadline = time.monotonic() + 90
    child = None
    while time.monotonic() < deadline:
        if g.exited():
            raise RuntimeError("start_server exited before the app answered:\n" + g.log_tail())
        kids = [k for k in children(g.pid) if os.path.basename(cmdline(k)[0] if cmdline(k) else "") == "java"]
        if kids and health(app_port):
            child = kids[0]
            break
        time.sleep(0.1)
    if child is None:
        raise RuntimeError("the app did not answer /health within 90 s:\n" + g.log_tail())
    args = cmdline(child)
    has_agent = any(is_java_agent(a) for a in args)
    expect_agent = (variant == "with" and not CONTROL[0]) or any(is_java_agent(a) for a in java_args)
    if has_agent != expect_agent:
        raise RuntimeError("variant %s but the app's command line is %s" % (variant, args))
    if expect_agent and not java_args:
        # The app answered, so its bind has happened: the agent's line is in the log by now.
        with open(g.log_path, errors="replace") as f:
            if "start_server-agent: adopted inherited socket" not in f.read():
                raise RuntimeError("the agent did not adopt start_server's socket:\n" + g.log_tail())
    return g, child, app_port


# start_server injects the agent as -agentlib:instrument=JAR where that is sure to start, else as
# -javaagent:JAR (launcher/.../AgentInjection.java)
AGENT_FORMS = ("-javaagent:", "-agentlib:instrument=")


def is_java_agent(jvm_arg):
    return jvm_arg.startswith(AGENT_FORMS)


def run_loads(reg, java, targets, mode, args, workdir):
    """Loads each (tag, port, server pid) target with its own load generator, all at once, until
    every server is warm, then for args.seconds; returns the shared window and, per target, its
    output directory and the (epoch s, cpu ticks) samples of its server taken every 100 ms.

    Warm means args.warmup seconds since the load generators were started *and* args.warmup_cpu
    seconds of CPU used by each server since then (the JIT's work is CPU, and on a busy machine
    wall time alone says little about how much of it is done) *and* each server's JIT compiler
    threads used less than args.jit_quiet_below CPUs over the last args.jit_quiet_for seconds;
    or args.warmup_max seconds. The last condition is there because on a slow machine 20 s of CPU
    was not enough: JDK 25 servers still compiled in the window, one of a pair for longer than the
    other, and that round's ratio measured whose JIT finished first (2026-11-26 10:22 run: per
    second, one server at half the other's throughput for up to 16 s, then both alike). The load
    generators then run args.seconds more and are stopped with TERM; they write their results on
    TERM.
    """
    runs = []
    try:
        for tag, port, pid in targets:
            outdir = os.path.join(workdir, tag + ".load")
            argv = PIN["load"] + [java, "-jar", BENCH_JAR, "--host=127.0.0.1", "--port=%d" % port, "--path=/",
                    "--connections=%d" % args.connections, "--mode=%s" % mode,
                    "--duration=%d" % (args.warmup_max + args.seconds + 30), "--out=%s" % outdir]
            base = cpu_ticks(pid)
            g = reg.start(argv, os.path.join(workdir, tag + ".load.log"), workdir)
            runs.append({"tag": tag, "pid": pid, "base": base, "group": g, "outdir": outdir, "samples": [],
                         "client_samples": [], "jit_samples": []})
        launched = time.time()
        machine = []
        window = None
        warm_cpu = args.warmup_cpu * CLK_TCK
        while True:
            now = time.time()
            for r in runs:
                ticks = cpu_ticks(r["pid"])
                if ticks is None:
                    raise RuntimeError("%s: the server died under load" % r["tag"])
                r["samples"].append((now, ticks))
                client = cpu_ticks(r["group"].pid)
                if client is not None:
                    r["client_samples"].append((now, client))
                if r["group"].exited():
                    raise RuntimeError("%s: the load generator ended early:\n%s" % (r["tag"], r["group"].log_tail()))
                # a thread scan per server: twice a second is enough to see the JIT go quiet
                if not r["jit_samples"] or now - r["jit_samples"][-1][0] >= 0.5:
                    jit = jit_ticks(r["pid"])
                    if jit is not None:
                        r["jit_samples"].append((now, jit))
            busy, steal = machine_ticks()
            machine.append((now, busy, steal))
            if window is None and now - launched >= args.warmup and (
                    all(r["samples"][-1][1] - r["base"] >= warm_cpu for r in runs)
                    and all(jit_quiet(r["jit_samples"], now, args) for r in runs)
                    or now - launched >= args.warmup_max):
                window = (now, now + args.seconds)
            if window is not None and now >= window[1] + 0.2:
                break
            time.sleep(0.1)
        for r in runs:
            os.kill(r["group"].pid, signal.SIGTERM)
        end = time.monotonic() + 30
        while not all(r["group"].exited() for r in runs) and time.monotonic() < end:
            time.sleep(0.1)
    finally:
        for r in runs:
            reg.stop(r["group"], grace_s=5.0)
    for r in runs:
        if r["group"].proc.returncode not in (0, 1, 143):
            raise RuntimeError("%s: load generator exited with %s:\n%s" % (
                r["tag"], r["group"].proc.returncode, r["group"].log_tail()))
    return window, runs, machine


def jit_quiet(samples, now, args):
    if args.jit_quiet_below is None:
        return True
    busy = jit_busy(samples, now, args.jit_quiet_for)
    return busy is not None and busy < args.jit_quiet_below


def series_delta(samples, t0, t1, index=1):
    """Increase of samples' value at `index` (linear interpolation) between times t0 and t1."""
    pts = [(s[0], s[index]) for s in samples]
    a, b = stats.interpolate(pts, t0), stats.interpolate(pts, t1)
    return None if a is None or b is None else b - a


def jit_cpu_between(samples, t0, t1):
    inside = [v for t, v in samples if t0 <= t <= t1]
    if len(inside) < 2:
        return None
    return round(increase(inside) / CLK_TCK, 2)


def read_timeline(path):
    """(epoch_ms, requests, failures) per 100 ms bucket."""
    rows = []
    with open(path) as f:
        header = f.readline().strip().split(",")
        i_ep, i_req, i_fail = header.index("epoch_ms"), header.index("requests"), header.index("failures")
        for line in f:
            cells = line.rstrip("\n").split(",")
            rows.append((int(cells[i_ep]), int(cells[i_req]), int(cells[i_fail])))
    return rows


def measure(reg, cfg, variants, args, workdir, tag):
    """One sample of each of variants, loaded at the same time; a dict variant -> numbers."""
    quiet = wait_quiet(args)
    load_before = os.getloadavg()
    servers = []
    try:
        for v in variants:
            servers.append((v,) + start_demo(reg, v, cfg["java"], workdir, "%s-%s" % (tag, v)))
        # which form loaded an agent, as the JVM was started: -javaagent: or -agentlib:instrument=
        agent_args = {v: [a for a in (cmdline(child) or []) if is_java_agent(a)] for v, _, child, _ in servers}
        (t1, t2), runs, machine = run_loads(reg, cfg["client_java"], [("%s-%s" % (tag, v), port, child)
                                                                       for v, _, child, port in servers],
                                            cfg["mode"], args, workdir)
    finally:
        for _, g, _, _ in servers:
            reg.stop(g)
    # Everything the machine did in the window that was not our servers or load generators:
    # other people's work competing for the CPUs (and our harness, a few ms a second).
    ours = [series_delta(r["samples"], t1, t2) for r in runs] + [series_delta(r["client_samples"], t1, t2) for r in runs]
    busy, steal = series_delta(machine, t1, t2), series_delta(machine, t1, t2, 2)
    interference = {
        "foreign_cpus": (busy - sum(ours)) / CLK_TCK / (t2 - t1) if busy is not None and None not in ours else None,
        "client_cpus": sum(ours[len(runs):]) / CLK_TCK / (t2 - t1) if None not in ours else None,
        "steal_cpus": steal / CLK_TCK / (t2 - t1) if steal is not None else None,
    }
    result = {}
    for (v, _, _, _), r in zip(servers, runs):
        result[v] = sample_numbers(v, r, t1, t2, load_before)
        result[v].update(interference)
        result[v]["quiet_probe_cpus"], result[v]["quiet_wait_s"] = quiet
        result[v]["jvm_agent_args"] = agent_args[v]
    return result


def sample_numbers(variant, run, t1, t2, load_before):
    with open(os.path.join(run["outdir"], "summary.json")) as f:
        summary = json.load(f)
    rows = stats.window_buckets(read_timeline(os.path.join(run["outdir"], "timeline.csv")),
                                int(t1 * 1000), int(t2 * 1000))
    if not rows:
        raise RuntimeError("no complete timeline bucket in the window")
    samples = run["samples"]
    requests = sum(n for _, n, _ in rows)
    failures = sum(f for _, _, f in rows)
    span_start, span_end = rows[0][0] / 1000.0, rows[-1][0] / 1000.0 + 0.1
    window_s = len(rows) / 10.0
    c0, c1 = stats.interpolate(samples, span_start), stats.interpolate(samples, span_end)
    cpu_s = (c1 - c0) / CLK_TCK if c0 is not None and c1 is not None else None
    return {
        "variant": variant,
        "req_per_s": requests / window_s,
        "requests": requests,
        "failures": failures,
        "failed_total": summary["failed"],
        "window_s": window_s,
        "warmup_s": round(span_start - summary["startEpochMs"] / 1000.0, 2),
        "warmup_server_cpu_s": round((c0 - run["base"]) / CLK_TCK, 2) if c0 is not None else None,
        # JIT compiler threads' CPU within the window (increases only): ~0 when the server was warm
        "jit_cpu_s": jit_cpu_between(run["jit_samples"], span_start, span_end),
        "server_cpu_s": cpu_s,
        "server_cpu_us_per_req": cpu_s * 1e6 / requests if cpu_s is not None and requests else None,
        "per_second": [sum(n for _, n, _ in rows[i:i + 10]) for i in range(0, len(rows) - 9, 10)],
        "latency_ms_whole_run": summary["latencyMsOfOkRequests"],
        "loadavg_before": load_before,
        "start_epoch_ms": summary["startEpochMs"],
    }


# --------------------------------------------------------------------------------------------
# set-up


def java_version(java):
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = out.strip().splitlines()
    return " / ".join(lines[:2]) if lines else None


def java_major(version_line):
    """17 from 'openjdk version "17.0.15" 2025-04-15 / ...', 8 from 'java version "1.8.0_402"'; None if unknown."""
    m = re.search(r'version "(?:1\.)?(\d+)', version_line or "")
    return int(m.group(1)) if m else None


def find_java(version):
    for candidate in JDKS[version]:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    on_path = shutil.which("java")
    if on_path:
        v = java_version(on_path) or ""
        if ('version "%s' % version) in v:
            return on_path
    return None


def newest_mtime(paths):
    newest = 0.0
    for rel in paths:
        p = os.path.join(REPO, rel)
        if os.path.isfile(p):
            newest = max(newest, os.path.getmtime(p))
        for root, _, files in os.walk(p):
            for name in files:
                newest = max(newest, os.path.getmtime(os.path.join(root, name)))
    return newest


def build(policy):
    if policy == "never":
        stale = [j for j in SOURCES if not os.path.exists(j)]
        if stale:
            raise RuntimeError("--build never, but missing: " + ", ".join(stale))
        return
    stale = [j for j, src in SOURCES.items()
             if not os.path.exists(j) or newest_mtime(src) > os.path.getmtime(j)]
    if policy == "auto" and not stale:
        return
    log("building launcher, agent, demo-app, bench (%s)" % (", ".join(os.path.relpath(j, REPO) for j in stale)
                                                            or "--build always"))
    cmd = ["mvn", "-q", "-B", "-pl", "launcher,demo-app,bench", "-am", "-DskipTests", "package"]
    if subprocess.run(cmd[:1] + ["-o"] + cmd[1:], cwd=REPO).returncode != 0:
        log("offline build failed; trying online")
        if subprocess.run(cmd, cwd=REPO).returncode != 0:
            raise RuntimeError("build failed: " + " ".join(cmd))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def git(*a):
    try:
        return subprocess.run(["git"] + list(a), cwd=REPO, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None


def machine_info(configs):
    cpu = None
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpu": cpu, "nproc": os.cpu_count(), "kernel": platform.release(),
        "jdks": {c["jdk"]: java_version(c["java"]) for c in configs},
        "client_java": java_version(configs[0]["client_java"]),
        "git_commit": git("rev-parse", "--short", "HEAD"), "git_dirty": bool(git("status", "--porcelain")),
        "agent_jar_sha256": sha256(AGENT_JAR)[:12], "demo_jar_sha256": sha256(DEMO_JAR)[:12],
        "bench_jar_sha256": sha256(BENCH_JAR)[:12],
    }


# --------------------------------------------------------------------------------------------
# report


def fmt(x, digits=0):
    if x is None:
        return "-"
    return ("%." + str(digits) + "f") % x


def analyse(results, clean_below):
    """Per configuration: all usable rounds, and ('clean') those where others used less than
    clean_below CPUs during both windows. The clean subset is chosen without looking at the
    variants' numbers, so it cannot favour either."""
    out = []
    for key, rounds in results.items():
        jdk, mode = key.split("/")
        entry = {"jdk": jdk, "mode": mode, "rounds_run": len(rounds), "failed_requests": failed_requests(rounds)}
        for name, keep in (("all", usable), ("clean", lambda r: usable(r) and clean(r, clean_below))):
            kept = [r for r in rounds if keep(r)]
            entry[name] = {
                "rounds": len(kept),
                "throughput": stats.compare([(r["with"]["req_per_s"], r["without"]["req_per_s"]) for r in kept]),
                "cpu_us_per_req": stats.compare([(r["with"]["server_cpu_us_per_req"],
                                                  r["without"]["server_cpu_us_per_req"]) for r in kept]),
                "foreign_cpus": stats.describe([r[v]["foreign_cpus"] for r in kept for v in VARIANTS
                                                if r[v].get("foreign_cpus") is not None]),
                "loadavg_1min": stats.describe([r[v]["loadavg_before"][0] for r in kept for v in VARIANTS]),
            }
        out.append(entry)
    return out


def usable(r):
    """A round counts when both samples were measured. A failed request does not drop it: it is
    counted by failed_requests, and one decides the verdict (see verdict)."""
    return all(v in r and r[v]["req_per_s"] for v in VARIANTS)


def failed_requests(rounds):
    """Failed requests per slot in the measured windows of every round run, {"with": n, "without": n}."""
    return {v: sum(r[v].get("failures") or 0 for r in rounds if v in r) for v in VARIANTS}


def clean(r, clean_below):
    return all(r[v].get("foreign_cpus") is not None and r[v]["foreign_cpus"] < clean_below for v in VARIANTS)


def verdict(part, failed):
    """A failed request with the agent is a failure whatever the throughput: not met. One without
    the agent leaves the run without a verdict (the machine or the method failed). Otherwise met
    or not only when the whole 95 % interval says so; else the run cannot tell."""
    if failed["with"]:
        return "**not met**: %d failed requests with the agent" % failed["with"]
    if failed["without"]:
        return "no verdict: %d failed requests without the agent" % failed["without"]
    t = part["throughput"]
    ratio, ci = t["ratio_of_medians"], t["ratio_ci95"]
    if ratio is None:
        return "-"
    if ci is None:
        return "no interval (too few rounds)"
    v = stats.interval_verdict(ci, TARGET_RATIO)
    return "**not met**" if v == "not met" else v


def summary_row(a, which):
    part = a[which]
    t, c = part["throughput"], part["cpu_us_per_req"]
    ci = t["ratio_ci95"]
    return "| %s | %s | %s | %d | %s (%s–%s) | %s (%s–%s) | **%s** (%s) | %s (%s–%s) | %s / %s (%s) | %s (%s–%s) | %s (%s–%s) | %s |" % (
        a["jdk"], a["mode"], which, part["rounds"],
        fmt(t["with"]["median"]), fmt(t["with"]["p25"]), fmt(t["with"]["p75"]),
        fmt(t["without"]["median"]), fmt(t["without"]["p25"]), fmt(t["without"]["p75"]),
        fmt(t["ratio_of_medians"], 3), "%s–%s" % (fmt(ci[0], 3), fmt(ci[1], 3)) if ci else "-",
        fmt(t["per_round_ratio"]["median"], 3), fmt(t["per_round_ratio"]["p25"], 3),
        fmt(t["per_round_ratio"]["p75"], 3),
        fmt(c["with"]["median"], 1), fmt(c["without"]["median"], 1), fmt(c["ratio_of_medians"], 3),
        fmt(part["foreign_cpus"]["median"], 2), fmt(part["foreign_cpus"]["min"], 2), fmt(part["foreign_cpus"]["max"], 2),
        fmt(part["loadavg_1min"]["median"], 1), fmt(part["loadavg_1min"]["min"], 1), fmt(part["loadavg_1min"]["max"], 1),
        verdict(part, a["failed_requests"]))


def agent_forms(results):
    """How each slot's JVM loaded an agent, over every sample (runs before 2026-11-26 14:21 UTC did
    not record it: start_server then always used -javaagent:)."""
    forms = {}
    for r in (r for rounds in results.values() for r in rounds):
        for v in VARIANTS:
            if v in r and "jvm_agent_args" in r[v]:
                forms.setdefault(v, set()).add(" ".join(r[v]["jvm_agent_args"]) or "none")
    if not forms:
        return "Agent option per slot: not recorded by this run."
    return "Agent option per slot, as its JVM was started: " + "; ".join(
        "%s: %s" % (v, ", ".join("`%s`" % f if f != "none" else "none" for f in sorted(forms[v])))
        for v in VARIANTS if v in forms) + "."


def render_markdown(meta, analysis, results):
    args = meta["args"]
    lines = ["# Agent throughput run %s" % meta["started_utc"], "",
             "Command: `%s`" % meta["command"], ""]
    if args.get("control") and args.get("control_java_args"):
        lines += ["**Control run with JVM options in the 'with' slot**: both slots ran the demo app "
                  "without start_server's agent; the 'with' slot's JVM also had `%s`." % args["control_java_args"], ""]
    elif args.get("control"):
        lines += ["**Control run (A/A)**: both slots ran the demo app *without* the agent; the "
                  "'with' column is a second copy of 'without'. The ratio shows the method's own bias "
                  "and spread.", ""]
    lines += [
             "Machine: %s, nproc %s, Linux %s; git %s%s; agent jar %s. Load average (1 min) %s at the start,"
             " %s at the end." % (meta["machine"]["cpu"], meta["machine"]["nproc"], meta["machine"]["kernel"],
                                  meta["machine"]["git_commit"], " (dirty)" if meta["machine"]["git_dirty"] else "",
                                  meta["machine"]["agent_jar_sha256"], fmt(meta["loadavg_start"][0], 2),
                                  fmt(meta["loadavg_end"][0], 2)),
             "",
             "Server JDKs: " + "; ".join("%s: %s" % kv for kv in meta["machine"]["jdks"].items())
             + ". Load generator: %s, %d connections, closed loop. Layout: %s. Per sample: fresh server, "
               "warm-up of at least %g s and %g s of server CPU, then %g s measured.%s" % (
                   meta["machine"]["client_java"], args["connections"],
                   "sequential (one variant after the other, ABBA)" if args["layout"] == "sequential"
                   else "parallel (both variants served and loaded at the same time, each by its own load generator)",
                   args["warmup"], args["warmup_cpu"], args["seconds"],
                   ("" if args.get("jit_quiet_below") is None else
                    " The window also waited until each server's JIT compiler threads had used less than %g CPUs"
                    " over %g s (at most %g s after the load began)."
                    % (args["jit_quiet_below"], args["jit_quiet_for"], args["warmup_max"]))
                   + ("" if args["quiet_below"] is None else
                   " Before each sample: waited up to %g s for the machine to be busy less than %g CPUs."
                   % (args["quiet_wait"], args["quiet_below"]))),
             "",
             agent_forms(results),
             "",
             "`clean`: the rounds in which other processes used less than %g CPUs during both windows "
             "(`others`: machine busy time minus our servers and load generators, in CPUs)." % args["clean_below"],
             "",
             "| JDK | mode | rounds | n | with agent: median req/s (IQR) | without: median req/s (IQR) "
             "| ratio of medians (95% CI) | per-round ratio: median (IQR) | server CPU µs/req with / without (ratio) "
             "| others, CPUs: median (min–max) | load avg 1 min: median (min–max) | ratio ≥ 0.99? |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for a in analysis:
        lines.append(summary_row(a, "all"))
        lines.append(summary_row(a, "clean"))
    lines += ["", "A CPU ratio above 1 means the server used more CPU per request with the agent.", ""]
    for key, rounds in results.items():
        lines += ["## %s, every round" % key, "",
                  "| round | order | with: req/s | without: req/s | ratio | with: CPU µs/req | without: CPU µs/req "
                  "| JIT CPU s in the window (with / without) | warm-up s (with / without) "
                  "| others, CPUs (with / without) | load avg before (with / without) |",
                  "|---:|---|---:|---:|---:|---:|---:|---|---|---|---|"]
        for r in rounds:
            w, wo = r.get("with"), r.get("without")
            ratio = w["req_per_s"] / wo["req_per_s"] if w and wo and w["req_per_s"] and wo["req_per_s"] else None
            lines.append("| %d | %s | %s | %s | %s | %s | %s | %s / %s | %s / %s | %s / %s | %s / %s |%s" % (
                r["round"], "/".join(r["order"]),
                fmt(w and w["req_per_s"]), fmt(wo and wo["req_per_s"]), fmt(ratio, 3),
                fmt(w and w["server_cpu_us_per_req"], 1), fmt(wo and wo["server_cpu_us_per_req"], 1),
                fmt(w and w.get("jit_cpu_s"), 2), fmt(wo and wo.get("jit_cpu_s"), 2),
                fmt(w and w.get("warmup_s"), 1), fmt(wo and wo.get("warmup_s"), 1),
                fmt(w and w.get("foreign_cpus"), 2), fmt(wo and wo.get("foreign_cpus"), 2),
                fmt(w and w["loadavg_before"][0], 1), fmt(wo and wo["loadavg_before"][0], 1),
                ("" if usable(r) else " not counted") + "".join(
                    " %d failed (%s)" % (r[v]["failures"], v) for v in VARIANTS if v in r and r[v].get("failures"))))
        lines.append("")
    return "\n".join(lines) + "\n"


def print_table(analysis):
    print("%-4s %-10s %-6s %3s %10s %10s %7s %13s %8s %9s %7s %5s" % (
        "jdk", "mode", "rounds", "n", "with req/s", "w/o req/s", "ratio", "95% CI", "pair-med", "cpu-ratio",
        "others", "load"))
    for a in analysis:
        for which in ("all", "clean"):
            part = a[which]
            t = part["throughput"]
            ci = t["ratio_ci95"]
            print("%-4s %-10s %-6s %3d %10s %10s %7s %13s %8s %9s %7s %5s" % (
                a["jdk"], a["mode"], which, part["rounds"], fmt(t["with"]["median"]), fmt(t["without"]["median"]),
                fmt(t["ratio_of_medians"], 3), "%s-%s" % (fmt(ci[0], 3), fmt(ci[1], 3)) if ci else "-",
                fmt(t["per_round_ratio"]["median"], 3), fmt(part["cpu_us_per_req"]["ratio_of_medians"], 3),
                fmt(part["foreign_cpus"]["median"], 2), fmt(part["loadavg_1min"]["median"], 1)))


def write_results(out_dir, stamp, meta, results, names=None):
    analysis = analyse(results, meta["args"]["clean_below"])
    os.makedirs(out_dir, exist_ok=True)
    # Paths relative to the repository, in the table and the JSON alike (bench/common/paths.py).
    doc = repo_relative({"meta": meta, "analysis": analysis, "rounds": results}, REPO)
    md = repo_relative(render_markdown(meta, analysis, results), REPO)
    for name in names or ("throughput-%s" % stamp, "latest"):
        with open(os.path.join(out_dir, name + ".json"), "w") as f:
            json.dump(doc, f, indent=1)
        with open(os.path.join(out_dir, name + ".md"), "w") as f:
            f.write(md)
    return analysis


# --------------------------------------------------------------------------------------------


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--jdk", choices=["17", "25", "both"], default="both", help="server JDK (default both)")
    p.add_argument("--modes", default="keepalive,close",
                   help="load modes, comma-separated: keepalive, close (default both)")
    p.add_argument("--rounds", type=int, default=8, help="rounds, each one sample of each variant (default 8)")
    p.add_argument("--seconds", type=float, default=20, help="measured seconds per sample (default 20)")
    # The demo app's throughput still climbs for ~20 s of server CPU (JIT), measured 2026-11-26.
    p.add_argument("--warmup", type=float, default=20,
                   help="at least this many seconds of load before the measured window (default 20)")
    p.add_argument("--warmup-cpu", type=float, default=20,
                   help="and at least this much server CPU time (s) since the load began (default 20)")
    p.add_argument("--jit-quiet-below", type=float, default=0.01, metavar="CPUS",
                   help="and until each server's JIT compiler threads used less than this many CPUs over "
                        "the last --jit-quiet-for s (default 0.01; 0 or less: do not wait for the JIT)")
    p.add_argument("--jit-quiet-for", type=float, default=5, metavar="S", help="see --jit-quiet-below (default 5)")
    p.add_argument("--warmup-max", type=float, default=180,
                   help="but start the window after this many seconds anyway (default 180)")
    p.add_argument("--connections", type=int, default=16,
                   help="connections of each load generator (default 16)")
    p.add_argument("--quiet-below", type=float, default=None, metavar="CPUS",
                   help="before each sample, wait until the machine (with none of our load) is busy "
                        "less than this many CPUs, at most --quiet-wait s (default: do not wait)")
    p.add_argument("--quiet-wait", type=float, default=120, help="see --quiet-below (default 120)")
    p.add_argument("--clean-below", type=float, default=0.25, metavar="CPUS",
                   help="rounds where others used less than this many CPUs during both windows are "
                        "also reported on their own (default 0.25)")
    p.add_argument("--layout", choices=["sequential", "parallel"], default="parallel",
                   help="parallel (default): both variants served and loaded at the same time, sharing "
                        "the machine alike; sequential: a round is one variant after the other (ABBA)")
    p.add_argument("--quick", action="store_true", help="smoke run: 2 rounds of 2 s after 2 s (1 s CPU), keepalive, JDK 17")
    p.add_argument("--build", choices=["auto", "always", "never"], default="auto",
                   help="build the jars when missing or older than their sources (auto), always, never")
    p.add_argument("--out", default=OUT, help="results directory (default bench/results/tmp/throughput, git-ignored)")
    p.add_argument("--keep", action="store_true", help="keep the scratch directory (server logs, load outputs)")
    p.add_argument("--pin", default="", metavar="SERVER_CPU,LOAD_CPU",
                   help="run the server on one CPU and the load generator on another (taskset), e.g. 1,0")
    p.add_argument("--with-start-server-args", default="", metavar="ARGS",
                   help="diagnosis: extra start_server options for the with-agent variant, e.g. --drain-timeout=0")
    p.add_argument("--without-java-args", default="", metavar="ARGS",
                   help="diagnosis: extra JVM options for the without variant, e.g. -javaagent:JAR=off "
                        "(an agent that only starts); the without variant then has that agent")
    p.add_argument("--control-java-args", default="", metavar="ARGS",
                   help="diagnosis, with --control: extra JVM options for the 'with' slot, e.g. "
                        "-javaagent:JAR=off (an agent that only starts, against no agent)")
    p.add_argument("--control", action="store_true",
                   help="A/A run: the 'with' slot also runs without the agent, to show the method's own "
                        "bias and spread (the ratio should be 1)")
    a = p.parse_args(argv)
    if a.pin:
        try:
            server_cpu, load_cpu = [int(x) for x in a.pin.split(",")]
        except ValueError:
            p.error("--pin takes SERVER_CPU,LOAD_CPU, e.g. 1,0")
        if shutil.which("taskset") is None:
            p.error("--pin needs taskset (util-linux)")
        PIN["server"] = ["taskset", "-c", str(server_cpu)]
        PIN["load"] = ["taskset", "-c", str(load_cpu)]
    CONTROL[0] = a.control
    if a.jit_quiet_below is not None and a.jit_quiet_below <= 0:
        a.jit_quiet_below = None
    WITH_START_SERVER_ARGS[:] = a.with_start_server_args.split()
    WITHOUT_JAVA_ARGS[:] = with_agent_jar(a.without_java_args.split())
    CONTROL_JAVA_ARGS[:] = with_agent_jar(a.control_java_args.split())
    if CONTROL_JAVA_ARGS and not a.control:
        p.error("--control-java-args is for --control runs")
    if a.quick:
        a.rounds, a.seconds, a.warmup, a.warmup_cpu, a.modes, a.jdk = 2, 2, 2, 1, "keepalive", "17"
        a.jit_quiet_below = None
    a.modes = [m.strip() for m in a.modes.split(",") if m.strip()]
    if not a.modes or any(m not in ("keepalive", "close") for m in a.modes):
        p.error("--modes takes keepalive and/or close")
    if a.rounds < 1 or a.seconds < 1 or a.warmup < 0 or a.warmup_cpu < 0 or not 1 <= a.connections <= 1000:
        p.error("--rounds >= 1, --seconds >= 1, --warmup and --warmup-cpu >= 0, --connections 1-1000")
    return a


def with_agent_jar(java_args):
    """-javaagent:JAR... (or -agentlib:instrument=JAR...) stands for the agent jar start_server ships."""
    shipped = []
    for a in java_args:
        for form in AGENT_FORMS:
            if a.startswith(form + "JAR"):
                a = form + AGENT_JAR + a[len(form + "JAR"):]
        shipped.append(a)
    return shipped


def report_again(path):
    """Writes a run's .md (and its .json with the analysis) again from its raw rounds, with this code,
    under OUT: a run the docs cite stays as it was recorded."""
    with open(path) as f:
        doc = json.load(f)
    meta = doc["meta"]
    # runs made before an option existed ran without it
    for key, default in (("clean_below", 0.25), ("quiet_below", None), ("quiet_wait", 120), ("layout", "sequential"),
                         ("jit_quiet_below", None), ("jit_quiet_for", 5)):
        meta["args"].setdefault(key, default)
    name = os.path.splitext(os.path.basename(path))[0]
    analysis = write_results(OUT, meta["started_utc"], meta, doc["rounds"], [name])
    print_table(analysis)
    log("results: %s/%s.{md,json}" % (os.path.relpath(OUT), name))
    return 0


def main(argv):
    if len(argv) == 2 and argv[0] == "--report":
        return report_again(argv[1])
    args = parse_args(argv)
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)
    reg = Registry()
    workdir = tempfile.mkdtemp(prefix="agent-throughput-")
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    results = {}
    meta = None
    status = 0
    try:
        build(args.build)
        versions = ["17", "25"] if args.jdk == "both" else [args.jdk]
        client_java = find_java("17") or shutil.which("java")
        configs = []
        for v in versions:
            java = find_java(v)
            if java is None:
                raise RuntimeError("no JDK %s found (set JAVA%s)" % (v, v))
            # a run labelled JDK 17 runs on JDK 17: checked, not assumed
            if java_major(java_version(java)) != int(v):
                raise RuntimeError("%s is not JDK %s: %s (set JAVA%s)" % (java, v, java_version(java), v))
            configs += [{"jdk": v, "java": java, "client_java": client_java, "mode": m} for m in args.modes]
        meta = {"started_utc": stamp, "command": " ".join(["python3", os.path.relpath(__file__, REPO)] + argv),
                "args": vars(args), "machine": machine_info(configs), "loadavg_start": os.getloadavg(),
                "loadavg_end": None}
        total = args.rounds * len(configs) * 2
        done = 0
        for i in range(args.rounds):
            for cfg in configs:
                key = "%s/%s" % (cfg["jdk"], cfg["mode"])
                rnd = {"round": i + 1, "order": list(stats.abba_order(i))}
                batches = [rnd["order"]] if args.layout == "parallel" else [[v] for v in rnd["order"]]
                for batch in batches:
                    tag = "r%02d-jdk%s-%s" % (i + 1, cfg["jdk"], cfg["mode"])
                    try:
                        rnd.update(measure(reg, cfg, batch, args, workdir, tag))
                    except RuntimeError as e:
                        log("%s %s: sample failed: %s" % (tag, "+".join(batch), e))
                        status = 1
                    for variant in batch:
                        done += 1
                        s = rnd.get(variant)
                        log("[%d/%d] %s-%s: %s req/s, %s µs CPU/req, JIT %s s in the window after %s s, load %.1f" % (
                            done, total, tag, variant, fmt(s and s["req_per_s"]),
                            fmt(s and s["server_cpu_us_per_req"], 1), fmt(s and s.get("jit_cpu_s"), 2),
                            fmt(s and s.get("warmup_s"), 0), os.getloadavg()[0]))
                results.setdefault(key, []).append(rnd)
    except Interrupted as e:
        log("interrupted (%s): stopping everything, writing what was measured" % e)
        status = 130
    except RuntimeError as e:
        log("error: %s" % e)
        status = 1
    finally:
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)  # a second ^C must not cut the clean-up short
        reg.stop_all()
        if args.keep:
            log("scratch directory kept: " + workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if meta is not None and results:
        meta["loadavg_end"] = os.getloadavg()
        analysis = write_results(args.out, stamp, meta, results)
        print_table(analysis)
        log("results: %s/throughput-%s.{md,json} (and latest.*)" % (os.path.relpath(args.out), stamp))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
