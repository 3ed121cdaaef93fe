"""Statistics for the agent-throughput benchmark (Python 3 standard library only).

Every round measures both variants back to back, so a round is a pair (with, without). The
numbers reported are the ratio of the two medians and, because a loaded machine moves both
members of a pair together, the median of the per-round ratios; a bootstrap over whole rounds
gives an interval for the ratio of medians.
"""

import math
import random


def percentile(xs, p):
    """Linear interpolation between closest ranks (the usual 'type 7'); None for no data."""
    s = sorted(xs)
    if not s:
        return None
    if len(s) == 1:
        return s[0]
    k = (len(s) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def median(xs):
    return percentile(xs, 50)


def describe(xs):
    """median, quartiles, extremes and count of a list of numbers."""
    if not xs:
        return {"n": 0, "median": None, "p25": None, "p75": None, "min": None, "max": None}
    return {"n": len(xs), "median": median(xs), "p25": percentile(xs, 25), "p75": percentile(xs, 75),
            "min": min(xs), "max": max(xs)}


def ratio_of_medians(a, b):
    mb = median(b)
    if not a or not mb:
        return None
    return median(a) / mb


def pair_ratios(pairs):
    """a/b for each (a, b) pair where both are measured and b is not zero."""
    return [a / b for a, b in pairs if a is not None and b]


def central_interval(estimates, level):
    """The middle `level` of bootstrap estimates (percentile interval)."""
    tail = (1 - level) / 2 * 100
    return percentile(estimates, tail), percentile(estimates, 100 - tail)


def bootstrap_ratio_ci(pairs, level=0.95, resamples=4000, seed=1):
    """Interval for median(a)/median(b), resampling whole rounds so each keeps its pairing.

    Fixed seed: the same data always gives the same interval. None when fewer than 3 pairs.
    """
    pairs = [(a, b) for a, b in pairs if a is not None and b]
    if len(pairs) < 3:
        return None
    rng = random.Random(seed)
    n = len(pairs)
    ratios = []
    for _ in range(resamples):
        sample = [pairs[rng.randrange(n)] for _ in range(n)]
        r = ratio_of_medians([a for a, _ in sample], [b for _, b in sample])
        if r is not None:
            ratios.append(r)
    return central_interval(ratios, level)


def interval_verdict(ci, target):
    """'met' only when the whole interval is at or above target, 'not met' when wholly below it."""
    if ci[0] >= target:
        return "met"
    if ci[1] < target:
        return "not met"
    return "not resolved: the interval contains %.2f" % target


def compare(pairs):
    """Everything the report says about one configuration, from its (with, without) pairs."""
    with_agent = [a for a, _ in pairs if a is not None]
    without = [b for _, b in pairs if b is not None]
    per_round = pair_ratios(pairs)
    return {
        "with": describe(with_agent),
        "without": describe(without),
        "ratio_of_medians": ratio_of_medians(with_agent, without),
        "ratio_ci95": bootstrap_ratio_ci(pairs),
        "per_round_ratio": describe(per_round),
    }


def interpolate(samples, t):
    """Value at time t from (time, value) samples sorted by time, linear between neighbours.

    Outside the sampled span: None (a window the sampling did not cover is not guessed).
    """
    if not samples or t < samples[0][0] or t > samples[-1][0]:
        return None
    for (t0, v0), (t1, v1) in zip(samples, samples[1:]):
        if t0 <= t <= t1:
            if t1 == t0:
                return v1
            return v0 + (v1 - v0) * (t - t0) / (t1 - t0)
    return samples[-1][1]


def window_buckets(timeline_rows, start_ms, end_ms, bucket_ms=100):
    """The timeline buckets that lie wholly inside [start_ms, end_ms], in order.

    timeline_rows: (epoch_ms, requests, failures) per bucket, as in the load generator's
    timeline.csv (bucketed by request start time).
    """
    return [row for row in timeline_rows if row[0] >= start_ms and row[0] + bucket_ms <= end_ms]


def abba_order(round_index):
    """Which variant runs first in a round: with, without, without, with, ... (0-based index)."""
    return ("with", "without") if round_index % 2 == 0 else ("without", "with")


def geometric_mean(xs):
    """exp(mean(log x)): the mean of ratios that treats 0.98 and 1/0.98 as equal and opposite."""
    if not xs:
        return None
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def two_level_bootstrap_ci(groups, statistic, level=0.95, resamples=4000, seed=1):
    """Interval for statistic(all values) when the values come in groups (runs) that differ.

    Resamples the groups, then the values within each chosen group, so that the spread between
    groups (a machine's state over tens of minutes) widens the interval as it should; resampling
    the values alone would treat 40 rounds from 4 runs like 40 independent rounds. Fixed seed:
    the same data always gives the same interval. None when fewer than 3 groups.
    """
    groups = [list(g) for g in groups if g]
    if len(groups) < 3:
        return None
    rng = random.Random(seed)
    k = len(groups)
    estimates = []
    for _ in range(resamples):
        sample = []
        for _ in range(k):
            g = groups[rng.randrange(k)]
            sample += [g[rng.randrange(len(g))] for _ in range(len(g))]
        estimates.append(statistic(sample))
    return central_interval(estimates, level)
