#!/usr/bin/env python3
"""Soak benchmark: thousands of restarts of a small child, and what they leave in start_server.

    python3 bench/soak/run.py [--restarts 10000] [--every 1000] [--scenario plain,notify]
                              [--impl ours|perl] [--out DIR] [--quick]

For each scenario, one start_server runs the whole series. Each restart is one SIGHUP, then a
wait until the status file shows the next generation alone (the new one counts as started and
the old one is reaped): restarts run back to back, never overlapping, so every HUP must give
exactly one restart. A HUP after which no new generation appears within --hup-timeout seconds is
a lost HUP; one after which the new generation appears but the old one is still listed then is a
stalled restart (the old one not reaped: the original does this now and then, until the next
signal). Both are counted, and the series goes on with another HUP.

  plain   the child is bench/soak/child.c, --interval=0: spawn, promote, TERM the old one, reap.
  notify  the same child with --wait-ready=always: start_server also creates a notify socket and a
          listener thread per generation, and the child sends READY=1 (our readiness path).

Sampled from /proc before the first restart and every --every restarts: start_server's open
descriptors, threads, VmRSS, and its children that are zombies (after a completed restart there
must be none). Verdict, per scenario: descriptors flat (every sample from the first --every on
equals that one), threads within one of each other (the JDK starts a thread per signal it delivers),
RSS growth under 1 MB from the first --every sample to the last, 0 zombies, 0 lost HUPs, 0 stalled restarts. Exit
status 0 when every scenario meets it, 1 otherwise.

Ours runs from a copy of launcher/target/dist taken at the start (with a CDS archive of its own
when the build made one). Only the Python 3 standard library is used; the child is compiled with
gcc. start_server runs in its own session and is stopped (TERM, then KILL of its group) whatever
happens; the scratch directory is removed.
Results: a table on stdout and <out>/soak-<IMPL>-<UTC stamp>.{json,md}.
"""

import argparse
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "common"))
import sessions  # noqa: E402
from paths import repo_relative  # noqa: E402

OURS = os.path.join(REPO, "launcher", "target", "dist", "bin", "start_server")
PERL = "/usr/bin/start_server"
RSS_GROWTH_LIMIT_KB = 1024
SCENARIOS = {
    "plain": ["--interval=0"],
    "notify": ["--interval=0", "--wait-ready=always"],
}


def log(message):
    print(message, file=sys.stderr, flush=True)


def sample(pid, restarts, started):
    """What start_server holds now: descriptors, threads, resident memory, zombie children."""
    with open("/proc/%d/status" % pid) as f:
        status = dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
    return {
        "restarts": restarts,
        "seconds": round(time.monotonic() - started, 3),
        "fds": len(os.listdir("/proc/%d/fd" % pid)),
        "threads": int(status["Threads"]),
        "thread_names": thread_names(pid),
        "rss_kb": int(status["VmRSS"].split()[0]),
        "zombies": len(zombie_children(pid)),
    }


def thread_names(pid):
    """{name: count} of start_server's threads (as /proc shows them, cut at 15 characters)."""
    names = {}
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, task)) as f:
                name = f.read().strip()
        except OSError:
            continue
        names[name] = names.get(name, 0) + 1
    return dict(sorted(names.items()))


def zombie_children(pid):
    zombies = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                rest = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if rest[0] == "Z" and int(rest[1]) == pid:
            zombies.append(int(entry))
    return zombies


def generations(status_file):
    """The status file as {generation: pid}; empty while it is missing."""
    try:
        with open(status_file) as f:
            text = f.read()
    except FileNotFoundError:
        return {}
    result = {}
    for line in text.splitlines():
        gen, _, pid = line.partition(":")
        if gen.isdigit() and pid.isdigit():
            result[int(gen)] = int(pid)
    return result


def await_alone(status_file, newer_than, timeout_s, server):
    """Waits until one generation newer than `newer_than` is listed alone; returns it, or None."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        gens = generations(status_file)
        if len(gens) == 1:
            (gen,) = gens
            if gen > newer_than:
                return gen
        if server.poll() is not None:
            raise RuntimeError("start_server exited with status %s" % server.returncode)
        time.sleep(0.0005)
    return None


def soak(name, executable, child, args, scratch):
    work = os.path.join(scratch, name)
    os.mkdir(work)
    status_file = os.path.join(work, "status")
    log_file = os.path.join(work, "start_server.log")
    command = [executable, "--path=" + os.path.join(work, "s.sock"), "--status-file=" + status_file,
               "--pid-file=" + os.path.join(work, "pid"), "--log-file=" + log_file]
    command += SCENARIOS[name] + ["--", child]
    log("%s: %s" % (name, " ".join(command)))
    server = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    samples, durations_ms, lost, stalled = [], [], 0, 0
    try:
        gen = await_alone(status_file, 0, 30, server)
        if gen is None:
            raise RuntimeError("generation 1 did not start; see " + log_file)
        started = time.monotonic()
        samples.append(sample(server.pid, 0, started))
        done = 0
        while done < args.restarts:
            sent = time.monotonic()
            os.kill(server.pid, signal.SIGHUP)
            new = await_alone(status_file, gen, args.hup_timeout, server)
            if new is None:
                newest = max(generations(status_file) or {gen: 0})
                if newest > gen:
                    stalled += 1
                    log("%s: HUP %d: the old generation still listed after %s s" % (name, done + 1, args.hup_timeout))
                else:
                    lost += 1
                    log("%s: HUP %d: no new generation within %s s" % (name, done + 1, args.hup_timeout))
                gen = newest
                continue
            durations_ms.append((time.monotonic() - sent) * 1000)
            gen = new
            done += 1
            if done % args.every == 0:
                samples.append(sample(server.pid, done, started))
                log("%s: %s" % (name, samples[-1]))
        elapsed = time.monotonic() - started
    finally:
        sessions.stop_session(server, grace_s=10)
    with open(log_file, errors="replace") as f:
        text = f.read()
    return {
        "scenario": name,
        "command": " ".join(command),
        "restarts": args.restarts,
        "lost_hups": lost,
        "stalled_restarts": stalled,
        "restarts_per_s": round(args.restarts / elapsed, 1),
        "restart_ms": summarize(durations_ms),
        "samples": samples,
        "log_lines_not_expected": [line for line in text.splitlines() if is_unexpected(line)][:20],
        "verdict": verdict(samples, lost, stalled, args.every),
    }


def is_unexpected(line):
    expected = ("start_server (pid:", "starting new worker", "received HUP", "new worker is now running",
                "killing old workers", "old worker", "received TERM", "worker ", "exiting",
                # the readiness directory of another start_server that was killed (kill -9) on this machine
                "start_server: removed /tmp/start_server-")
    return not line.startswith(expected)


def summarize(values):
    values = sorted(values)
    if not values:
        return {}

    def pct(p):
        return round(values[min(len(values) - 1, int(p / 100 * len(values)))], 2)
    return {"p50": pct(50), "p90": pct(90), "p99": pct(99), "max": round(values[-1], 2)}


def verdict(samples, lost, stalled, every):
    steady = [s for s in samples if s["restarts"] >= every]
    checks = {}
    if steady:
        first, last = steady[0], steady[-1]
        checks["fds flat"] = all(s["fds"] == first["fds"] for s in steady)
        # The JDK runs each signal's handler on a new thread ("SIGCHLD handler"), which a sample
        # may catch: a leak of one thread per restart, or per hundred, would show as far more.
        checks["threads flat (within 1)"] = max(s["threads"] for s in steady) - min(s["threads"] for s in steady) <= 1
        checks["RSS growth < 1 MB"] = last["rss_kb"] - first["rss_kb"] < RSS_GROWTH_LIMIT_KB
    checks["0 zombies"] = all(s["zombies"] == 0 for s in samples)
    checks["0 lost HUPs"] = lost == 0
    checks["0 stalled restarts"] = stalled == 0
    return checks


def compile_child(scratch):
    binary = os.path.join(scratch, "soak_child")
    subprocess.run(["gcc", "-O2", "-o", binary, os.path.join(HERE, "child.c")], check=True)
    return binary


def markdown(results, args, stamp):
    lines = ["# Soak: %d restarts per scenario (%s, %s)" % (args.restarts, args.impl, stamp), "",
             "Command: `python3 bench/soak/run.py %s`" % " ".join(sys.argv[1:]), ""]
    for r in results:
        lines += ["## %s" % r["scenario"], "", "`%s`" % r["command"], "",
                  "%d restarts, %.1f restarts/s, restart (HUP to the new generation alone) p50 %s ms, p99 %s ms, "
                  "max %s ms; lost HUPs: %d; stalled restarts: %d" % (
                      r["restarts"], r["restarts_per_s"], r["restart_ms"].get("p50"), r["restart_ms"].get("p99"),
                      r["restart_ms"].get("max"), r["lost_hups"], r["stalled_restarts"]),
                  "", "| restarts | seconds | fds | threads | RSS kB | zombies |", "|---:|---:|---:|---:|---:|---:|"]
        for s in r["samples"]:
            lines.append("| %d | %.1f | %d | %d | %d | %d |" % (s["restarts"], s["seconds"], s["fds"], s["threads"],
                                                             s["rss_kb"], s["zombies"]))
        varying = sorted({n for s in r["samples"] for n in s["thread_names"]
                          if len({t["thread_names"].get(n, 0) for t in r["samples"]}) > 1})
        if varying:
            lines += ["", "Threads whose count varied between samples: " + ", ".join(
                "%s (%s)" % (n, "/".join(str(s["thread_names"].get(n, 0)) for s in r["samples"])) for n in varying)]
        lines += ["", "Verdict: " + ", ".join("%s %s" % (k, "met" if v else "NOT met") for k, v in r["verdict"].items())]
        if r["log_lines_not_expected"]:
            lines += ["", "Unexpected log lines: " + "; ".join(r["log_lines_not_expected"])]
        lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--restarts", type=int, default=10000)
    parser.add_argument("--every", type=int, default=1000, help="sample every this many restarts")
    parser.add_argument("--scenario", default="plain,notify", help="comma-separated: " + ", ".join(SCENARIOS))
    parser.add_argument("--impl", choices=["ours", "perl"], default="ours")
    parser.add_argument("--hup-timeout", type=float, default=10.0)
    parser.add_argument("--out", default=os.path.join(REPO, "bench", "results", "tmp"))
    parser.add_argument("--quick", action="store_true", help="300 restarts, sampled every 100")
    args = parser.parse_args()
    if args.quick:
        args.restarts, args.every = 300, 100
    scenarios = [s for s in args.scenario.split(",") if s]
    if args.impl == "perl":
        scenarios = [s for s in scenarios if s == "plain"]  # the original has no --wait-ready
    executable = OURS if args.impl == "ours" else PERL
    if not os.access(executable, os.X_OK):
        sys.exit("no start_server at %s (build it: mvn -q -B -pl launcher -am -DskipTests package)" % executable)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    scratch = tempfile.mkdtemp(prefix="soak-")
    try:
        child = compile_child(scratch)
        if args.impl == "ours":
            # A frozen copy: a rebuild during the run (mvn package rewrites the jar) must not change
            # or break the start_server under test.
            dist = os.path.dirname(os.path.dirname(OURS))
            shutil.copytree(dist, os.path.join(scratch, "dist"), symlinks=True)
            executable = os.path.join(scratch, "dist", "bin", "start_server")
            if os.path.exists(os.path.join(dist, "lib", "start_server.jsa")):
                # The build's CDS archive fits only its own location: make the copy's, as a user
                # who unpacks the distribution elsewhere does (else the run is without it, +3 MB RSS).
                subprocess.run([executable, "--make-cds-archive"], check=True, stdout=subprocess.DEVNULL)
        results = [soak(name, executable, child, args, scratch) for name in scenarios]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report = markdown(results, args, stamp)
    print(report)
    os.makedirs(args.out, exist_ok=True)
    base = os.path.join(args.out, "soak-%s-%s" % (args.impl, stamp))
    with open(base + ".json", "w") as f:
        json.dump(repo_relative({"stamp": stamp, "impl": args.impl, "argv": sys.argv[1:], "results": results}, REPO),
                  f, indent=1)
    with open(base + ".md", "w") as f:
        f.write(repo_relative(report, REPO) + "\n")
    log("wrote %s.{json,md}" % base)
    return 0 if all(all(r["verdict"].values()) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
