import unittest

from paths import repo_relative


class RepoRelativeTest(unittest.TestCase):
    REPO = "/srv/checkout"

    def test_paths_under_the_checkout_lose_its_prefix_wherever_they_stand(self):
        self.assertEqual(repo_relative("/srv/checkout/bench/results/tmp/throughput", self.REPO),
                         "bench/results/tmp/throughput")
        self.assertEqual(
            repo_relative("-agentlib:instrument=/srv/checkout/launcher/target/dist/lib/a.jar=drainTimeoutMs=30000",
                          self.REPO),
            "-agentlib:instrument=launcher/target/dist/lib/a.jar=drainTimeoutMs=30000")

    def test_the_checkout_itself_becomes_a_dot_and_a_sibling_is_left_alone(self):
        self.assertEqual(repo_relative("cd /srv/checkout && make", self.REPO), "cd . && make")
        self.assertEqual(repo_relative("/srv/checkout", self.REPO + "/"), ".")
        self.assertEqual(repo_relative("/srv/checkout2/x /srv/checkout.old", self.REPO), "/srv/checkout2/x /srv/checkout.old")

    def test_structures_are_walked_and_numbers_kept(self):
        doc = {"meta": {"out": "/srv/checkout/r", "ratio": 0.988, "n": 3, "ok": True, "none": None},
               "rounds": [("/srv/checkout/a", 1.5)], "/srv/checkout/key": 1}
        self.assertEqual(repo_relative(doc, self.REPO),
                         {"meta": {"out": "r", "ratio": 0.988, "n": 3, "ok": True, "none": None},
                          "rounds": [["a", 1.5]], "key": 1})


if __name__ == "__main__":
    unittest.main()
