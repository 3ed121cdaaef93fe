#!/usr/bin/env python3
"""Several throughput runs analysed together: per-round ratios pooled, runs kept apart.

    python3 bench/throughput/pool.py results/throughput-A.json results/throughput-B.json ...
                                     [--config 25/keepalive] [--out results/pool-NAME.md]

One run of run.py measures its rounds within tens of minutes; two runs of the same code an hour
apart have read per-round medians 0.982 and 0.999 on this machine, further apart than either
run's interval allows. The machine's state over hours is part of the spread, and only more runs
spread over time sample it. This script takes the runs' JSON files, sorts them by what was
compared (agent against none, A/A, the diagnosis variants: from each run's own options) and by
JDK/mode, and for each comparison reports every run and the pooled per-round ratios (with /
without in one round): their geometric mean and median, each with a two-level bootstrap
interval (runs resampled, then rounds within them), and the server CPU per request likewise.

Verdict, for agent against no agent only: met when the whole 95 % interval of the geometric
mean is at or above 0.99, not met when it is wholly below, otherwise not resolved. Fewer than
three runs give no interval. Only rounds run.py counts (both samples measured) are used; a
failed request in any round of any run with the agent makes the verdict not met, one without it
leaves no verdict. Deterministic: the same files give the same report.
"""

import argparse
import json
import os
import re
import sys

import stats
from run import AGENT_FORMS, TARGET_RATIO, VARIANTS, failed_requests, fmt, usable

_, AGENTLIB_OPTION = AGENT_FORMS  # (-javaagent:, -agentlib:instrument=)
_FORM = "(" + "|".join(re.escape(form) for form in AGENT_FORMS) + ")"
AGENT_PATH = re.compile(_FORM + r"\S*?server-starter-agent\.jar")
NOOP_AGENT_PATH = re.compile(_FORM + r"\S*?noop-agent\.jar")
NOOP_JVMTI_PATH = re.compile(r"-agentpath:\S*?noop-jvmti\.so")


def shown(java_args):
    """JVM options as the docs write them: the shipped agent jar as JAR, the no-op agents
    (noop-agent/, built wherever) as NOOP and NOOP_JVMTI."""
    shown_args = AGENT_PATH.sub(r"\1JAR", java_args.strip())
    shown_args = NOOP_AGENT_PATH.sub(r"\1NOOP", shown_args)
    return NOOP_JVMTI_PATH.sub("-agentpath:NOOP_JVMTI", shown_args)


AGENTLIB = "agent as " + AGENTLIB_OPTION


def comparison(args, rounds=()):
    """(with, without): what each slot of a run ran, from the run's options and, for start_server's
    agent, the form its JVMs were started with (recorded since 2026-11-26 14:21 UTC; before, always
    -javaagent:, shown as plain "agent")."""
    if args.get("control"):
        with_ = "no agent" + (", JVM " + shown(args["control_java_args"]) if args.get("control_java_args") else "")
    else:
        agentlib = any(a.startswith(AGENTLIB_OPTION)
                       for r in rounds for a in r.get("with", {}).get("jvm_agent_args", []))
        with_ = (AGENTLIB if agentlib else "agent") + (", start_server " + args["with_start_server_args"].strip()
                                                       if args.get("with_start_server_args", "").strip() else "")
    without = "no agent" + (", JVM " + shown(args["without_java_args"]) if args.get("without_java_args", "").strip() else "")
    return with_, without


def is_agent_against_none(cmp):
    return cmp in (("agent", "no agent"), (AGENTLIB, "no agent"))


def load_runs(paths, config=None):
    """{(with, without, layout, 'jdk/mode'): [run, ...]}, each run its stamp, commit and usable rounds."""
    groups = {}
    for path in paths:
        with open(path) as f:
            doc = json.load(f)
        meta = doc["meta"]
        args = meta["args"]
        for key, rounds in sorted(doc["rounds"].items()):
            if config and key != config:
                continue
            kept = [r for r in rounds if usable(r)]
            if not kept:
                continue
            run = {
                "failed_requests": failed_requests(rounds),
                "file": os.path.basename(path),
                "started_utc": meta["started_utc"],
                "git_commit": meta.get("machine", {}).get("git_commit"),
                "ratios": [r["with"]["req_per_s"] / r["without"]["req_per_s"] for r in kept],
                "cpu_ratios": [r["with"]["server_cpu_us_per_req"] / r["without"]["server_cpu_us_per_req"]
                               for r in kept
                               if r["with"].get("server_cpu_us_per_req") and r["without"].get("server_cpu_us_per_req")],
                "foreign_cpus_max": max((r[v]["foreign_cpus"] for r in kept for v in VARIANTS
                                         if r[v].get("foreign_cpus") is not None), default=None),
            }
            group = comparison(args, kept) + (args.get("layout", "sequential"), key)
            groups.setdefault(group, []).append(run)
    for runs in groups.values():
        runs.sort(key=lambda r: r["started_utc"])
    return groups


def pooled(runs):
    ratios = [x for r in runs for x in r["ratios"]]
    cpu = [r["cpu_ratios"] for r in runs]
    return {
        "runs": len(runs),
        "rounds": len(ratios),
        "failed_requests": {v: sum(r["failed_requests"][v] for r in runs) for v in VARIANTS},
        "geometric_mean": stats.geometric_mean(ratios),
        "geometric_mean_ci95": stats.two_level_bootstrap_ci([r["ratios"] for r in runs], stats.geometric_mean),
        "median": stats.median(ratios),
        "median_ci95": stats.two_level_bootstrap_ci([r["ratios"] for r in runs], stats.median),
        "run_geometric_means": [stats.geometric_mean(r["ratios"]) for r in runs],
        "cpu_geometric_mean": stats.geometric_mean([x for c in cpu for x in c]),
        "cpu_geometric_mean_ci95": stats.two_level_bootstrap_ci(cpu, stats.geometric_mean),
    }


def verdict(cmp, p):
    if not is_agent_against_none(cmp):
        return "(diagnosis or A/A: no target)"
    failed = p["failed_requests"]
    if failed["with"]:
        return "not met: %d failed requests with the agent" % failed["with"]
    if failed["without"]:
        return "no verdict: %d failed requests without the agent" % failed["without"]
    ci = p["geometric_mean_ci95"]
    if ci is None:
        return "no interval (fewer than 3 runs)"
    return stats.interval_verdict(ci, TARGET_RATIO)


def interval(ci):
    return "%s-%s" % (fmt(ci[0], 3), fmt(ci[1], 3)) if ci else "-"


def render(groups, pools, command):
    lines = ["# Throughput runs pooled", "", "Command: `%s`" % command, "",
             "Per-round ratio: with / without, both loaded over the same window of one round. Intervals: 95 %,"
             " two-level bootstrap (runs, then rounds within each run), 4,000 resamples, fixed seed.", ""]
    for group in sorted(groups):
        with_, without, layout, key = group
        runs, p = groups[group], pools[group]
        lines += ["## %s: %s / %s (%s layout)" % (key, with_, without, layout), "",
                  "| run (UTC) | commit | rounds | per-round ratio: geometric mean | median | min-max"
                  " | CPU/request ratio (geometric mean) | others' CPU, max | failed requests (with / without) |",
                  "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |"]
        for r, run_mean in zip(runs, p["run_geometric_means"]):
            lines.append("| %s | %s | %d | %s | %s | %s-%s | %s | %s | %d / %d |" % (
                r["started_utc"], (r["git_commit"] or "-")[:7], len(r["ratios"]),
                fmt(run_mean, 3), fmt(stats.median(r["ratios"]), 3),
                fmt(min(r["ratios"]), 3), fmt(max(r["ratios"]), 3),
                fmt(stats.geometric_mean(r["cpu_ratios"]), 3), fmt(r["foreign_cpus_max"], 2),
                r["failed_requests"]["with"], r["failed_requests"]["without"]))
        lines += ["", "Pooled, %d runs, %d rounds: geometric mean **%s** (%s), median %s (%s);"
                  " CPU per request %s (%s). Verdict: **%s**." % (
                      p["runs"], p["rounds"], fmt(p["geometric_mean"], 3), interval(p["geometric_mean_ci95"]),
                      fmt(p["median"], 3), interval(p["median_ci95"]), fmt(p["cpu_geometric_mean"], 3),
                      interval(p["cpu_geometric_mean_ci95"]), verdict((with_, without), p)), ""]
    return "\n".join(lines)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", help="results/throughput-*.json of run.py")
    ap.add_argument("--config", help="only this JDK/mode, e.g. 25/keepalive")
    ap.add_argument("--out", help="also write the report to this .md file (and its .json beside it)")
    a = ap.parse_args(argv)
    try:
        groups = load_runs(a.files, a.config)
    except (OSError, ValueError, KeyError) as e:
        print("pool.py: cannot read the runs: %s" % e, file=sys.stderr)
        return 1
    if not groups:
        print("pool.py: no usable rounds in %s" % ", ".join(a.files), file=sys.stderr)
        return 1
    command = " ".join(["python3", "bench/throughput/pool.py"] + argv)
    # the bootstraps once per group, for the report and its .json alike
    pools = {g: pooled(runs) for g, runs in groups.items()}
    md = render(groups, pools, command)
    print(md)
    if a.out:
        with open(a.out, "w") as f:
            f.write(md + "\n")
        with open(os.path.splitext(a.out)[0] + ".json", "w") as f:
            json.dump({"command": command,
                       "groups": [{"with": g[0], "without": g[1], "layout": g[2], "config": g[3],
                                   "runs": groups[g], "pooled": pools[g]} for g in sorted(groups)]},
                      f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
