import io
import json
import os
import tempfile
import unittest
from contextlib import redirect_stdout

import combine


def scenario(sid, requests=1000, failed=0, resent=0, done=20, planned=20, by_kind=None, non2xx=0, proxy=None):
    s = {"id": sid, "server": sid.split("-jdk")[0], "jdk": sid.split("-jdk")[1][:2], "client": "wrk keep-alive",
         "via": "nginx" if proxy is not None else "direct", "restartsPlanned": planned, "restartsDone": done,
         "resent": resent, "failedOrResent": failed + resent, "problem": "",
         "all": {"requests": requests, "failed": failed, "non2xx": non2xx, "byKind": by_kind or {}}}
    if proxy is not None:
        s["proxyLog"] = proxy
    return s


class CombineTest(unittest.TestCase):

    def run_on(self, *runs, options=()):
        with tempfile.TemporaryDirectory() as d:
            paths = []
            for i, run in enumerate(runs):
                os.mkdir(os.path.join(d, str(i)))
                with open(os.path.join(d, str(i), "results.json"), "w") as f:
                    json.dump(run, f)
                paths.append(os.path.join(d, str(i)))
            out = io.StringIO()
            with redirect_stdout(out):
                rc = combine.main(list(options) + paths)
            return rc, out.getvalue()

    def test_a_clean_proof_passes_and_totals_by_jdk(self):
        rc, out = self.run_on({"scenarios": [scenario("jetty-jdk17-x"), scenario("jetty-jdk25-x", requests=500)]},
                              {"scenarios": [scenario("tomcat-jdk17-x", requests=2000)],
                               "inFlight": [{"server": "jetty", "jdk": "17", "verdict": "PASS", "status": 200,
                                             "termDuringRequest": True}]})
        self.assertEqual(0, rc, out)
        self.assertIn("| 17 | direct | 2 | 3,000 | 0 | 0 | 40 | 0 |", out)
        self.assertIn("| 25 | direct | 1 | 500 | 0 | 0 | 20 | 0 |", out)
        self.assertIn("Every request succeeded", out)

    def test_a_later_run_of_a_scenario_replaces_the_earlier_one(self):
        rc, out = self.run_on({"scenarios": [scenario("jetty-jdk17-x", failed=3)]},
                              {"scenarios": [scenario("jetty-jdk17-x")]})
        self.assertEqual(0, rc, out)
        self.assertIn("| 17 | direct | 1 | 1,000 | 0 |", out)

    def test_each_kind_of_failure_spoils_the_proof(self):
        cases = {"failed": scenario("a-jdk17-x", failed=2, by_kind={"read": 2}),
                 "resent": scenario("a-jdk17-x", resent=1),
                 "non-2xx": scenario("a-jdk17-x", failed=4, non2xx=4),
                 "short of restarts": scenario("a-jdk17-x", done=19),
                 "proxy 502": scenario("a-jdk17-x", proxy={"retried": 0, "serverErrors": {"502": 1}}),
                 "proxy retry": scenario("a-jdk17-x", proxy={"retried": 2, "serverErrors": {}})}
        for name, s in cases.items():
            with self.subTest(name):
                rc, out = self.run_on({"scenarios": [s]})
                self.assertEqual(1, rc, out)
                self.assertIn("a-jdk17-x: ", out)
        rc, out = self.run_on({"scenarios": [], "inFlight": [{"server": "vertx", "jdk": "17", "verdict": "FAIL",
                                                              "status": None, "error": "no response"}]})
        self.assertEqual(1, rc)
        self.assertIn("in-flight vertx JDK 17: FAIL (no response)", out)

    def test_by_server_sums_each_server_and_route_and_shows_its_jdks(self):
        flight = {"server": "jetty", "jdk": "17", "verdict": "PASS", "status": 200, "termDuringRequest": True}
        rc, out = self.run_on({"scenarios": [scenario("jetty-jdk17-x"), scenario("jetty-jdk25-x", requests=500),
                                             scenario("tomcat-jdk25-x", proxy={"retried": 0, "serverErrors": {}}),
                                             scenario("tomcat-jdk25-y", failed=2)],
                               "inFlight": [flight]}, options=["--by-server"])
        self.assertEqual(1, rc, out)
        self.assertIn("| jetty | direct | 17, 25 | 2 | 40 | 1,500 | 0 | 0 | PASS 17 |", out)
        self.assertIn("| tomcat | nginx | 25 | 1 | 20 | 1,000 | 0 | 0 | - |", out)
        self.assertIn("| tomcat | direct | 25 | 1 | 20 | 1,000 | **2** | 1 | - |", out)
        self.assertIn("tomcat-jdk25-y: 2 failed or resent", out)

    def test_a_missing_run_is_one_line_and_exit_2(self):
        self.assertEqual(2, combine.main(["/nonexistent/run"]))


if __name__ == "__main__":
    unittest.main()
