"""Unit tests of pool.py: python3 -m unittest discover -s bench/throughput"""

import json
import os
import tempfile
import unittest

import pool

AGENT = "-javaagent:/opt/x/lib/server-starter-agent.jar=off"


def run_args(**overrides):
    args = {"control": False, "control_java_args": "", "without_java_args": "", "with_start_server_args": "",
            "layout": "parallel"}
    args.update(overrides)
    return args


def sample(req_per_s, cpu_us=30.0, failures=0):
    return {"req_per_s": req_per_s, "server_cpu_us_per_req": cpu_us, "failures": failures, "foreign_cpus": 0.01}


def write_run(directory, stamp, args, rounds):
    path = os.path.join(directory, "throughput-%s.json" % stamp)
    with open(path, "w") as f:
        json.dump({"meta": {"started_utc": stamp, "args": args, "machine": {"git_commit": "abcdef0123"}},
                   "rounds": rounds}, f)
    return path


class ComparisonTest(unittest.TestCase):

    def test_each_kind_of_run_is_named_by_what_its_slots_ran(self):
        self.assertEqual(pool.comparison(run_args()), ("agent", "no agent"))
        self.assertEqual(pool.comparison(run_args(control=True)), ("no agent", "no agent"))
        self.assertEqual(pool.comparison(run_args(control=True, control_java_args=AGENT)),
                         ("no agent, JVM -javaagent:JAR=off", "no agent"))
        self.assertEqual(pool.comparison(run_args(without_java_args=AGENT)),
                         ("agent", "no agent, JVM -javaagent:JAR=off"))
        self.assertEqual(pool.comparison(run_args(control=True, control_java_args="-javaagent:/tmp/x/noop-agent.jar")),
                         ("no agent, JVM -javaagent:NOOP", "no agent"))
        self.assertEqual(pool.comparison(run_args(control=True, control_java_args="-agentpath:/tmp/noop-jvmti.so")),
                         ("no agent, JVM -agentpath:NOOP_JVMTI", "no agent"))
        self.assertEqual(pool.comparison(run_args(control=True, control_java_args="-agentlib:instrument=/tmp/noop-agent.jar")),
                         ("no agent, JVM -agentlib:instrument=NOOP", "no agent"))
        self.assertEqual(pool.comparison(run_args(without_java_args="-javaagent:/tmp/noop-agent.jar")),
                         ("agent", "no agent, JVM -javaagent:NOOP"))
        injected = [{"with": {"jvm_agent_args": ["-agentlib:instrument=/x/lib/server-starter-agent.jar=drainTimeoutMs=1"]},
                     "without": {"jvm_agent_args": []}}]
        self.assertEqual(pool.comparison(run_args(), injected), ("agent as -agentlib:instrument=", "no agent"))
        self.assertEqual(pool.comparison(run_args(with_start_server_args="--drain-timeout=0")),
                         ("agent, start_server --drain-timeout=0", "no agent"))

    def test_only_agent_against_none_has_a_verdict(self):
        p = {"geometric_mean_ci95": (0.995, 1.01), "failed_requests": {"with": 0, "without": 0}}
        self.assertEqual(pool.verdict(("agent", "no agent"), p), "met")
        self.assertEqual(pool.verdict(("agent as -agentlib:instrument=", "no agent"), p), "met")
        self.assertEqual(pool.verdict(("agent", "no agent"), dict(p, geometric_mean_ci95=(0.97, 0.985))), "not met")
        self.assertTrue(pool.verdict(("agent", "no agent"), dict(p, geometric_mean_ci95=(0.985, 1.0))).startswith("not resolved"))
        self.assertTrue(pool.verdict(("no agent", "no agent"), p).startswith("(diagnosis"))

    def test_a_failed_request_decides_the_verdict_whatever_the_interval(self):
        met = (0.995, 1.01)
        self.assertEqual(pool.verdict(("agent", "no agent"), {"geometric_mean_ci95": met,
                                                              "failed_requests": {"with": 2, "without": 0}}),
                         "not met: 2 failed requests with the agent")
        self.assertEqual(pool.verdict(("agent", "no agent"), {"geometric_mean_ci95": met,
                                                              "failed_requests": {"with": 0, "without": 1}}),
                         "no verdict: 1 failed requests without the agent")


class LoadRunsTest(unittest.TestCase):

    def test_runs_are_grouped_by_comparison_and_configuration_and_rounds_with_failures_kept(self):
        with tempfile.TemporaryDirectory() as d:
            good = {"with": sample(990.0, 31.0), "without": sample(1000.0, 30.0)}
            failed = {"with": sample(500.0, failures=3), "without": sample(1000.0)}
            paths = [
                write_run(d, "20261126T110000Z", run_args(), {"25/keepalive": [good, failed], "17/close": [good]}),
                write_run(d, "20261126T100000Z", run_args(), {"25/keepalive": [good]}),
                write_run(d, "20261126T120000Z", run_args(control=True), {"25/keepalive": [good]}),
            ]
            groups = pool.load_runs(paths, "25/keepalive")
        self.assertEqual(sorted(groups), [("agent", "no agent", "parallel", "25/keepalive"),
                                          ("no agent", "no agent", "parallel", "25/keepalive")])
        runs = groups[("agent", "no agent", "parallel", "25/keepalive")]
        self.assertEqual([r["started_utc"] for r in runs], ["20261126T100000Z", "20261126T110000Z"])
        self.assertEqual([len(r["ratios"]) for r in runs], [1, 2])
        self.assertEqual([r["failed_requests"] for r in runs], [{"with": 0, "without": 0}, {"with": 3, "without": 0}])
        self.assertAlmostEqual(runs[0]["ratios"][0], 0.99)
        self.assertAlmostEqual(runs[1]["ratios"][1], 0.5)
        self.assertEqual(pool.pooled(runs)["failed_requests"], {"with": 3, "without": 0})
        self.assertAlmostEqual(runs[0]["cpu_ratios"][0], 31.0 / 30.0)

    def test_pooled_needs_three_runs_for_an_interval(self):
        none = {"with": 0, "without": 0}
        runs = [{"ratios": [0.99, 1.0], "cpu_ratios": [1.0, 1.01], "failed_requests": none},
                {"ratios": [1.01], "cpu_ratios": [0.99], "failed_requests": none}]
        p = pool.pooled(runs)
        self.assertEqual((p["runs"], p["rounds"]), (2, 3))
        self.assertIsNone(p["geometric_mean_ci95"])
        p = pool.pooled(runs + [{"ratios": [0.98, 0.985], "cpu_ratios": [1.02, 1.0], "failed_requests": none}])
        self.assertIsNotNone(p["geometric_mean_ci95"])


if __name__ == "__main__":
    unittest.main()
