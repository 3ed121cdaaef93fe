#!/usr/bin/env python3
"""CPU cost of the agent's hooks on httpserver's per-request dispatcher path, with and without it.

    python3 bench/throughput/hooks.py [--jdk 17|25|both] [--rounds N] [--warmup S] [--seconds S]

Runs DispatchLoop.java (java's source-file mode) under start_server, with the agent (injected
by start_server, the loop's bind adopts start_server's socket) and without (--java-agent=off, the
loop binds its own port), a fresh JVM each time, in ABBA rounds as run.py does. The loop repeats
what com.sun.net.httpserver's dispatcher thread does per keep-alive request and reports its own
thread's CPU time per iteration, a number other processes on the machine disturb much less than
throughput. Results: a table on stdout and bench/results/tmp/throughput/hooks-<UTC>.{md,json}. Every start_server is
stopped with its whole process group after each sample and on any exit.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time

import run
import stats

LOOP = os.path.join(run.HERE, "DispatchLoop.java")
RESULT = re.compile(r"dispatch-loop: ns_per_iteration=([0-9.]+) iterations=(\d+)")


def sample(reg, variant, java, args, workdir, tag):
    port = run.pick_port()
    argv = [run.START_SERVER, "--port=127.0.0.1:%d" % (port if variant == "with" else run.pick_port())]
    if variant == "without":
        argv.append("--java-agent=off")
    argv += ["--", java, LOOP, str(port), "%g" % args.warmup, "%g" % args.seconds]
    g = reg.start(argv, os.path.join(workdir, tag + ".log"), workdir)
    try:
        deadline = time.monotonic() + args.warmup + args.seconds + 120
        while time.monotonic() < deadline:
            if g.exited():
                raise RuntimeError("start_server exited:\n" + g.log_tail())
            with open(g.log_path, errors="replace") as f:
                text = f.read()
            m = RESULT.search(text)
            if m:
                adopted = "start_server-agent: adopted inherited socket" in text
                if adopted != (variant == "with") or ("start_server-agent:" in text) != (variant == "with"):
                    raise RuntimeError("variant %s, but the agent's lines say otherwise:\n%s" % (variant, g.log_tail()))
                return {"variant": variant, "ns_per_iteration": float(m.group(1)), "iterations": int(m.group(2)),
                        "loadavg_before": None}
            time.sleep(0.2)
        raise RuntimeError("no result within the deadline:\n" + g.log_tail())
    finally:
        reg.stop(g)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--jdk", choices=["17", "25", "both"], default="both")
    p.add_argument("--rounds", type=int, default=10)
    p.add_argument("--warmup", type=float, default=3, help="seconds of loop before measuring (default 3)")
    p.add_argument("--seconds", type=float, default=3, help="seconds measured (default 3)")
    p.add_argument("--out", default=run.OUT)
    p.add_argument("--build", choices=["auto", "always", "never"], default="auto")
    args = p.parse_args(argv)
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, run.on_signal)
    reg = run.Registry()
    workdir = tempfile.mkdtemp(prefix="agent-hooks-")
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    results = {}
    status = 0
    try:
        run.build(args.build)
        jdks = {}
        for v in (["17", "25"] if args.jdk == "both" else [args.jdk]):
            jdks[v] = run.find_java(v)
            if jdks[v] is None:
                raise RuntimeError("no JDK %s found (set JAVA%s)" % (v, v))
        load_start = os.getloadavg()
        for i in range(args.rounds):
            for v, java in jdks.items():
                rnd = {"round": i + 1, "order": list(stats.abba_order(i))}
                for variant in rnd["order"]:
                    load = os.getloadavg()
                    try:
                        rnd[variant] = sample(reg, variant, java, args, workdir, "r%02d-jdk%s-%s" % (i + 1, v, variant))
                        rnd[variant]["loadavg_before"] = load
                        run.log("round %d JDK %s %s: %.1f ns/iteration (load %.1f)" % (
                            i + 1, v, variant, rnd[variant]["ns_per_iteration"], load[0]))
                    except RuntimeError as e:
                        run.log("round %d JDK %s %s failed: %s" % (i + 1, v, variant, e))
                        status = 1
                results.setdefault(v, []).append(rnd)
    except run.Interrupted as e:
        run.log("interrupted (%s)" % e)
        status = 130
    except RuntimeError as e:
        run.log("error: %s" % e)
        status = 1
    finally:
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        reg.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)
    if not results:
        return status
    lines = ["# Agent hooks on the dispatcher path, run %s" % stamp, "",
             "Command: `python3 bench/throughput/hooks.py %s`; load average (1 min) %.2f at the start, %.2f at "
             "the end; git %s. Thread CPU ns per iteration of DispatchLoop.java (register(OP_READ), cancel, "
             "selectNow, configureBlocking x2), %g s measured after %g s, fresh JVM per sample, ABBA rounds."
             % (" ".join(argv), load_start[0], os.getloadavg()[0], run.git("rev-parse", "--short", "HEAD"),
                args.seconds, args.warmup), "",
             "| JDK | rounds | with agent: median ns (IQR) | without: median ns (IQR) | with / without: ratio of medians (95% CI) | per-round ratio: median (IQR) |",
             "|---|---:|---:|---:|---:|---:|"]
    summary = {}
    for v, rounds in results.items():
        pairs = [(r["with"]["ns_per_iteration"], r["without"]["ns_per_iteration"]) for r in rounds
                 if "with" in r and "without" in r]
        c = stats.compare(pairs)
        summary[v] = c
        ci = c["ratio_ci95"]
        lines.append("| %s | %d | %.1f (%.1f–%.1f) | %.1f (%.1f–%.1f) | **%.4f** (%s) | %.4f (%.4f–%.4f) |" % (
            v, len(pairs), c["with"]["median"], c["with"]["p25"], c["with"]["p75"],
            c["without"]["median"], c["without"]["p25"], c["without"]["p75"], c["ratio_of_medians"],
            "%.4f–%.4f" % ci if ci else "-", c["per_round_ratio"]["median"], c["per_round_ratio"]["p25"],
            c["per_round_ratio"]["p75"]))
    lines += ["", "A ratio above 1 means the loop cost more CPU with the agent.", ""]
    md = "\n".join(lines) + "\n"
    print(md)
    os.makedirs(args.out, exist_ok=True)
    for name in ("hooks-%s" % stamp, "hooks-latest"):
        with open(os.path.join(args.out, name + ".md"), "w") as f:
            f.write(run.repo_relative(md, run.REPO))
        with open(os.path.join(args.out, name + ".json"), "w") as f:
            json.dump(run.repo_relative({"args": vars(args), "summary": summary, "rounds": results}, run.REPO), f,
                      indent=1)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
