import unittest

from paths import repo_relative


class RepoRelativeTest(unittest.TestCase):
    REPO = "/work/main"

    def test_paths_under_the_checkout_lose_its_prefix_wherever_they_stand(self):
        self.assertEqual(repo_relative("/work/main/bench/results/tmp/throughput", self.REPO),
                         "bench/results/tmp/throughput")
        self.assertEqual(
            repo_relative("-agentlib:instrument=/work/main/launcher/target/dist/lib/a.jar=drainTimeoutMs=30000",
                          self.REPO),
            "-agentlib:instrument=launcher/target/dist/lib/a.jar=drainTimeoutMs=30000")

    def test_the_checkout_itself_becomes_a_dot_and_a_sibling_is_left_alone(self):
        self.assertEqual(repo_relative("cd /work/main && make", self.REPO), "cd . && make")
        self.assertEqual(repo_relative("/work/main", self.REPO + "/"), ".")
        self.assertEqual(repo_relative("/work/main2/x /work/main.old", self.REPO), "/work/main2/x /work/main.old")

    def test_structures_are_walked_and_numbers_kept(self):
        doc = {"meta": {"out": "/work/main/r", "ratio": 0.988, "n": 3, "ok": True, "none": None},
               "rounds": [("/work/main/a", 1.5)], "/work/main/key": 1}
        self.assertEqual(repo_relative(doc, self.REPO),
                         {"meta": {"out": "r", "ratio": 0.988, "n": 3, "ok": True, "none": None},
                          "rounds": [["a", 1.5]], "key": 1})


if __name__ == "__main__":
    unittest.main()
