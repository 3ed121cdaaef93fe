#!/usr/bin/env python3
"""One table from several runs of the restart harness (scripts/restart-under-load.sh).

Issue 14's proof is too long for one sitting (every server, JDK 17 and 25, 20 restarts each), so it
runs in slices, each with its own results.json. This prints the scenarios of all of them as one
Markdown table (one row per scenario: restarts done, requests, failed or resent, errors by kind,
the proxies' 5xx and retries), the in-flight checks, and the totals by JDK and route. A scenario
whose restarts did not all happen is marked: its requests count, but it proves less. With
--by-server, one row per server and route instead of one per scenario: the summary the docs show,
where a JDK that a server has not run on yet stands out.

    python3 bench/restart/combine.py [--by-server] RUN_DIR_OR_RESULTS_JSON...

Exit status 0 when every request of every scenario succeeded, nobody resent, every in-flight
check passed and every planned restart happened; 1 otherwise; 2 bad usage.
"""
import json
import os
import sys
from collections import OrderedDict


def load(paths):
    """The runs' scenarios and in-flight checks, a later run of the same scenario replacing an earlier one."""
    scenarios, in_flight = OrderedDict(), OrderedDict()
    for path in paths:
        if os.path.isdir(path):
            path = os.path.join(path, "results.json")
        with open(path) as f:
            run = json.load(f)
        for s in run.get("scenarios") or []:
            scenarios[s["id"]] = s
        for c in run.get("inFlight") or []:
            in_flight[(c["server"], c["jdk"])] = c
    return list(scenarios.values()), list(in_flight.values())


def errors(s):
    """The errors of a scenario by kind, '0' when there were none (proxies' 5xx and retries included)."""
    kinds = {k: v for k, v in (s["all"].get("byKind") or {}).items() if v}
    if s["all"].get("non2xx"):
        kinds["non-2xx"] = s["all"]["non2xx"]
    proxy = s.get("proxyLog") or {}
    for status, n in (proxy.get("serverErrors") or {}).items():
        if n:
            kinds["proxy " + status] = n
    if proxy.get("retried"):
        kinds["proxy retried"] = proxy["retried"]
    return ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) or "0"


def bad(s):
    return bool(s["failedOrResent"] or s["resent"] or s["all"]["failed"] or errors(s) != "0")


def short(s):
    return s["restartsDone"] < s["restartsPlanned"]


def table(scenarios, in_flight):
    out = ["| server | JDK | client | via | restarts | requests | failed or resent | errors by kind |",
           "|---|---|---|---|---:|---:|---:|---|"]
    for s in scenarios:
        failed = s["failedOrResent"]
        out.append(f"| {s['server']} | {s['jdk']} | {s['client']} | {s['via']} | "
                   f"{'**' if short(s) else ''}{s['restartsDone']}/{s['restartsPlanned']}{'**' if short(s) else ''} | "
                   f"{s['all']['requests']:,} | {f'**{failed:,}**' if failed else '0'} | {errors(s)} |")
    if in_flight:
        out += ["", "| in-flight check | JDK | verdict | status | TERM during the request |", "|---|---|---|---:|---|"]
        for c in in_flight:
            out.append(f"| {c['server']} | {c['jdk']} | {c['verdict']} | {c['status']} | "
                       f"{'yes' if c.get('termDuringRequest') else '**no**'} |")
    totals = OrderedDict()
    for s in scenarios:
        t = totals.setdefault((s["jdk"], s["via"] if s["via"] == "direct" else "proxies"), [0, 0, 0, 0, 0, 0])
        t[0] += 1
        t[1] += s["all"]["requests"]
        t[2] += s["failedOrResent"]
        t[3] += 1 if errors(s) != "0" else 0
        t[4] += s["restartsDone"]
        t[5] += 1 if short(s) else 0
    out += ["", "| JDK | route | scenarios | requests | failed or resent | scenarios with errors | restarts done |"
                " scenarios short of restarts |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for (jdk, via), t in totals.items():
        out.append(f"| {jdk} | {via} | {t[0]} | {t[1]:,} | {t[2]:,} | {t[3]} | {t[4]:,} | {t[5]} |")
    return "\n".join(out)


def by_server(scenarios, in_flight):
    """One row per server and route: the JDKs it ran on, scenarios, restarts, requests, failures."""
    rows = OrderedDict()
    for s in scenarios:
        r = rows.setdefault((s["server"], s["via"]), {"jdks": set(), "n": 0, "restarts": 0, "requests": 0,
                                                       "failed": 0, "errors": 0})
        r["jdks"].add(s["jdk"])
        r["n"] += 1
        r["restarts"] += s["restartsDone"]
        r["requests"] += s["all"]["requests"]
        r["failed"] += s["failedOrResent"]
        r["errors"] += 1 if bad(s) or short(s) else 0
    checks = {}
    for c in in_flight:
        checks.setdefault(c["server"], []).append(f"{c['verdict']} {c['jdk']}")
    out = ["| server | via | JDKs | scenarios | restarts | requests | failed or resent |"
           " scenarios with errors or missed restarts | in-flight check |", "|---|---|---|---:|---:|---:|---:|---:|---|"]
    for (server, via), r in rows.items():
        failed = f"**{r['failed']:,}**" if r["failed"] else "0"
        flight = ", ".join(sorted(checks.pop(server, []))) if via == "direct" else ""
        out.append(f"| {server} | {via} | {', '.join(sorted(r['jdks']))} | {r['n']} | {r['restarts']:,} | "
                   f"{r['requests']:,} | {failed} | {r['errors']} | {flight or '-'} |")
    for server, verdicts in checks.items():  # an in-flight check of a server with no scenario in these runs
        out.append(f"| {server} | direct | | 0 | 0 | 0 | 0 | 0 | {', '.join(sorted(verdicts))} |")
    return "\n".join(out)


def verdict(scenarios, in_flight):
    """Empty when the proof holds, else one line per scenario or check that spoils it."""
    lines = []
    for s in scenarios:
        if bad(s):
            lines.append(f"{s['id']}: {s['failedOrResent']} failed or resent, errors {errors(s)}")
        if short(s):
            lines.append(f"{s['id']}: {s['restartsDone']} of {s['restartsPlanned']} restarts"
                         + (f" ({s['problem'].strip()[:200]})" if s.get("problem") else ""))
    for c in in_flight:
        if c["verdict"] != "PASS":
            lines.append(f"in-flight {c['server']} JDK {c['jdk']}: {c['verdict']} ({c.get('error') or c.get('status')})")
    return lines


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr if not argv else sys.stdout)
        return 2 if not argv else 0
    summary = argv[0] == "--by-server"
    if summary:
        argv = argv[1:]
    try:
        scenarios, in_flight = load(argv)
    except (OSError, ValueError, KeyError) as e:
        print(f"combine: {e}", file=sys.stderr)
        return 2
    print(by_server(scenarios, in_flight) if summary else table(scenarios, in_flight))
    problems = verdict(scenarios, in_flight)
    print()
    print("\n".join(problems) if problems else "Every request succeeded, none resent, every restart done.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
