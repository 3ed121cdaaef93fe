"""Unit tests of run.py: the warm-up rule, the record of how each JVM loaded an agent, and the verdict.
   python3 -m unittest discover -s bench/throughput"""

import json
import os
import tempfile
import unittest

import run

T = run.CLK_TCK


class JitQuietTest(unittest.TestCase):

    def test_busy_is_the_compiler_cpu_over_the_last_span(self):
        # a sample every 0.5 s; 0.1 CPU of compiling until t=10, nothing after
        samples = [(t / 2.0, min(t / 2.0, 10.0) * 0.1 * T) for t in range(0, 31)]
        self.assertAlmostEqual(run.jit_busy(samples, 8.0, 5), 0.1)
        self.assertAlmostEqual(run.jit_busy(samples, 15.0, 5), 0.0)
        self.assertAlmostEqual(run.jit_busy(samples, 12.5, 5), 0.1 * 2.5 / 5)

    def test_no_answer_before_the_samples_cover_the_span(self):
        samples = [(100.0 + t / 2.0, 0) for t in range(0, 6)]
        self.assertIsNone(run.jit_busy(samples, 102.5, 5))
        self.assertIsNone(run.jit_busy([], 102.5, 5))
        self.assertEqual(run.jit_busy(samples + [(105.0, 0)], 105.0, 5), 0.0)

    def test_a_retired_compiler_thread_does_not_count_as_negative_work(self):
        samples = [(0.0, 50), (1.0, 60), (2.0, 20), (3.0, 20), (4.0, 30), (5.0, 30)]
        self.assertAlmostEqual(run.jit_busy(samples, 5.0, 5), 20 / T / 5.0)
        self.assertEqual(run.jit_cpu_between(samples, 0.0, 5.0), round(20 / T, 2))

    def test_rule_waits_for_every_condition_unless_switched_off(self):
        class Args:
            jit_quiet_below, jit_quiet_for = 0.01, 5
        busy = [(t / 2.0, t * T) for t in range(0, 21)]
        quiet = [(t / 2.0, 7) for t in range(0, 21)]
        self.assertFalse(run.jit_quiet(busy, 10.0, Args))
        self.assertTrue(run.jit_quiet(quiet, 10.0, Args))
        Args.jit_quiet_below = None
        self.assertTrue(run.jit_quiet(busy, 10.0, Args))

    def test_reads_nothing_for_a_gone_process_and_no_compiler_threads_in_python(self):
        self.assertIsNone(run.jit_ticks(2 ** 22 + 12345))
        self.assertEqual(run.jit_ticks(os.getpid()), 0)


class AgentFormTest(unittest.TestCase):

    def test_both_forms_start_server_uses_count_as_an_agent(self):
        self.assertTrue(run.is_java_agent("-javaagent:/x/server-starter-agent.jar=quiet"))
        self.assertTrue(run.is_java_agent("-agentlib:instrument=/x/server-starter-agent.jar"))
        self.assertFalse(run.is_java_agent("-agentlib:jdwp=transport=dt_socket"))
        self.assertFalse(run.is_java_agent("-Xmx64m"))

    def test_the_report_names_each_slots_form_or_says_it_was_not_recorded(self):
        sample = lambda args: {"jvm_agent_args": args}
        recorded = {"25/keepalive": [{"with": sample(["-agentlib:instrument=/a.jar"]), "without": sample([])}]}
        self.assertEqual(run.agent_forms(recorded), "Agent option per slot, as its JVM was started: "
                                                    "with: `-agentlib:instrument=/a.jar`; without: none.")
        self.assertEqual(run.agent_forms({"25/keepalive": [{"with": {}, "without": {}}]}),
                         "Agent option per slot: not recorded by this run.")



class JavaMajorTest(unittest.TestCase):

    def test_reads_the_major_version_of_old_and_new_version_lines(self):
        self.assertEqual(run.java_major('openjdk version "17.0.15" 2025-04-15 / OpenJDK Runtime Environment'), 17)
        self.assertEqual(run.java_major('openjdk version "25" 2025-09-16 LTS'), 25)
        self.assertEqual(run.java_major('java version "1.8.0_402"'), 8)
        self.assertIsNone(run.java_major(None))


class VerdictTest(unittest.TestCase):

    @staticmethod
    def sample(req_per_s, failures=0):
        return {"req_per_s": req_per_s, "failures": failures}

    def test_a_round_with_failed_requests_still_counts_and_is_counted(self):
        rounds = [{"with": self.sample(990.0, failures=2), "without": self.sample(1000.0)},
                  {"with": self.sample(995.0), "without": self.sample(1000.0, failures=1)},
                  {"without": self.sample(1000.0)}]
        self.assertEqual([run.usable(r) for r in rounds], [True, True, False])
        self.assertEqual(run.failed_requests(rounds), {"with": 2, "without": 1})

    def test_a_failed_request_decides_the_verdict_whatever_the_interval(self):
        met = {"throughput": {"ratio_of_medians": 1.0, "ratio_ci95": (0.995, 1.005)}}
        self.assertEqual(run.verdict(met, {"with": 0, "without": 0}), "met")
        self.assertEqual(run.verdict(met, {"with": 3, "without": 0}), "**not met**: 3 failed requests with the agent")
        self.assertEqual(run.verdict(met, {"with": 0, "without": 1}), "no verdict: 1 failed requests without the agent")
        unresolved = {"throughput": {"ratio_of_medians": 0.99, "ratio_ci95": (0.98, 1.0)}}
        self.assertTrue(run.verdict(unresolved, {"with": 0, "without": 0}).startswith("not resolved"))


class RecordedPathsTest(unittest.TestCase):

    def test_a_run_records_paths_relative_to_the_repository_and_its_numbers_as_measured(self):
        with open(os.path.join(run.HERE, "results", "latest.json")) as f:
            doc = json.load(f)
        meta = doc["meta"]
        meta["args"]["out"] = os.path.join(run.REPO, "bench", "results", "tmp", "throughput")
        key = next(iter(doc["rounds"]))
        doc["rounds"][key][0]["with"]["jvm_agent_args"] = ["-agentlib:instrument=%s=drainTimeoutMs=30000" % run.AGENT_JAR]
        with tempfile.TemporaryDirectory() as out:
            run.write_results(out, meta["started_utc"], meta, doc["rounds"], ["run"])
            with open(os.path.join(out, "run.json")) as f:
                written = f.read()
            with open(os.path.join(out, "run.md")) as f:
                table = f.read()
        self.assertNotIn(run.REPO, written + table)
        recorded = json.loads(written)
        self.assertEqual(recorded["meta"]["args"]["out"], "bench/results/tmp/throughput")
        self.assertIn("`-agentlib:instrument=launcher/target/dist/lib/server-starter-agent.jar=drainTimeoutMs=30000`",
                      table)
        self.assertEqual(recorded["rounds"][key][0]["with"]["req_per_s"], doc["rounds"][key][0]["with"]["req_per_s"])
        self.assertEqual(recorded["analysis"], json.loads(json.dumps(run.analyse(doc["rounds"], meta["args"]["clean_below"]))))


if __name__ == "__main__":
    unittest.main()
