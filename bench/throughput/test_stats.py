"""Unit tests of stats.py: python3 -m unittest discover -s bench/throughput"""

import unittest

import stats


class PercentileTest(unittest.TestCase):

    def test_median_of_odd_and_even_counts(self):
        self.assertEqual(stats.median([3, 1, 2]), 2)
        self.assertEqual(stats.median([4, 1, 3, 2]), 2.5)

    def test_quartiles_interpolate_between_ranks(self):
        xs = [10, 20, 30, 40, 50]
        self.assertEqual(stats.percentile(xs, 25), 20)
        self.assertEqual(stats.percentile(xs, 75), 40)
        self.assertAlmostEqual(stats.percentile([1, 2], 90), 1.9)

    def test_empty_and_single(self):
        self.assertIsNone(stats.median([]))
        self.assertEqual(stats.percentile([7], 10), 7)


class RatioTest(unittest.TestCase):

    def test_ratio_of_medians_is_not_the_median_of_ratios(self):
        pairs = [(100, 100), (90, 120), (130, 100)]
        self.assertAlmostEqual(stats.ratio_of_medians([a for a, _ in pairs], [b for _, b in pairs]), 1.0)
        self.assertAlmostEqual(stats.median(stats.pair_ratios(pairs)), 1.0)
        self.assertAlmostEqual(stats.pair_ratios(pairs)[1], 0.75)

    def test_missing_members_are_left_out(self):
        self.assertEqual(stats.pair_ratios([(None, 5), (4, 0), (6, 3)]), [2.0])
        result = stats.compare([(None, 100), (99, 100), (98, 100), (101, 100)])
        self.assertEqual(result["with"]["n"], 3)
        self.assertEqual(result["without"]["n"], 4)
        self.assertAlmostEqual(result["ratio_of_medians"], 0.99)

    def test_bootstrap_interval_brackets_the_estimate_and_is_reproducible(self):
        pairs = [(1000 + i * 7 % 50, 1000 + i * 11 % 40) for i in range(12)]
        low, high = stats.bootstrap_ratio_ci(pairs)
        estimate = stats.ratio_of_medians([a for a, _ in pairs], [b for _, b in pairs])
        self.assertLessEqual(low, estimate)
        self.assertGreaterEqual(high, estimate)
        self.assertEqual(stats.bootstrap_ratio_ci(pairs), (low, high))

    def test_identical_variants_give_a_degenerate_interval_at_one(self):
        pairs = [(x, x) for x in (900, 1000, 1100, 1200)]
        self.assertEqual(stats.bootstrap_ratio_ci(pairs), (1.0, 1.0))

    def test_no_interval_from_too_few_rounds(self):
        self.assertIsNone(stats.bootstrap_ratio_ci([(1, 1), (2, 2)]))


class WindowTest(unittest.TestCase):

    def test_takes_only_buckets_wholly_inside_the_window(self):
        rows = [(1000, 5, 0), (1100, 6, 0), (1200, 7, 1), (1300, 8, 0)]
        self.assertEqual(stats.window_buckets(rows, 1050, 1250), [(1100, 6, 0)])
        self.assertEqual(stats.window_buckets(rows, 1100, 1300), [(1100, 6, 0), (1200, 7, 1)])
        self.assertEqual(stats.window_buckets(rows, 2000, 3000), [])

    def test_interpolates_cpu_between_samples(self):
        samples = [(0.0, 0), (1.0, 100), (2.0, 150)]
        self.assertEqual(stats.interpolate(samples, 0.5), 50)
        self.assertEqual(stats.interpolate(samples, 1.5), 125)
        self.assertEqual(stats.interpolate(samples, 2.0), 150)
        self.assertIsNone(stats.interpolate(samples, 2.5))
        self.assertIsNone(stats.interpolate(samples, -1))

    def test_abba_alternates_which_variant_goes_first(self):
        order = [v for i in range(4) for v in stats.abba_order(i)]
        self.assertEqual(order, ["with", "without", "without", "with", "with", "without", "without", "with"])


class PooledRunsTest(unittest.TestCase):

    def test_geometric_mean_treats_a_ratio_and_its_inverse_alike(self):
        self.assertAlmostEqual(stats.geometric_mean([0.5, 2.0]), 1.0)
        self.assertAlmostEqual(stats.geometric_mean([0.98, 0.98, 0.98]), 0.98)
        self.assertIsNone(stats.geometric_mean([]))

    def test_spread_between_runs_widens_the_interval(self):
        # the same 30 values, once as 3 runs that each sit at their own level, once as 30 runs
        runs = [[0.97] * 10, [1.0] * 10, [1.03] * 10]
        apart = stats.two_level_bootstrap_ci(runs, stats.geometric_mean)
        independent = stats.two_level_bootstrap_ci([[x] for r in runs for x in r], stats.geometric_mean)
        self.assertLess(apart[0], independent[0])
        self.assertGreater(apart[1], independent[1])

    def test_interval_brackets_the_estimate_and_is_reproducible(self):
        runs = [[0.98, 0.99, 1.01], [1.0, 1.02, 0.995, 1.005], [0.99, 0.985, 1.0]]
        low, high = stats.two_level_bootstrap_ci(runs, stats.median)
        self.assertLessEqual(low, stats.median([x for r in runs for x in r]))
        self.assertGreaterEqual(high, stats.median([x for r in runs for x in r]))
        self.assertEqual(stats.two_level_bootstrap_ci(runs, stats.median), (low, high))

    def test_no_interval_from_fewer_than_three_runs(self):
        self.assertIsNone(stats.two_level_bootstrap_ci([[1.0, 1.1], [0.9, 1.0], []], stats.median))


if __name__ == "__main__":
    unittest.main()
