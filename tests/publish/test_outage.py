"""The outage window is found in the data: failures far above the day's baseline."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from recon.publish.outage import ChannelBucket, outage_analysis

DAY = datetime(2024, 3, 15, 0, 0)  # noqa: DTZ001 - buckets are local wall-clock times


def day(failed_at: dict[int, tuple[int, int]], requests: int = 20, failed: int = 1):
    """96 five-minute buckets from 08:00; `failed_at[i] = (requests, failed)` overrides one."""
    start = DAY + timedelta(hours=8)
    return [
        ChannelBucket(start + timedelta(minutes=5 * i), *failed_at.get(i, (requests, failed)))
        for i in range(96)
    ]


def test_a_burst_of_failures_is_one_window_from_its_first_to_last_bucket():
    analysis = outage_analysis(day({40: (100, 60), 41: (90, 50)}), 5)
    assert [(w.start, w.end) for w in analysis.windows] == [
        (DAY + timedelta(hours=11, minutes=20), DAY + timedelta(hours=11, minutes=30))
    ]
    assert (analysis.windows[0].requests, analysis.windows[0].failed) == (190, 110)


def test_the_baseline_is_measured_without_the_outage():
    analysis = outage_analysis(day({40: (100, 60)}), 5)
    assert analysis.baseline_rate == 1 / 20


def test_a_quiet_bucket_with_a_few_failures_is_not_an_outage():
    assert outage_analysis(day({3: (2, 2), 50: (4, 4)}), 5).windows == ()


def test_a_steady_failure_rate_all_day_is_not_an_outage():
    assert outage_analysis(day({}, requests=40, failed=12), 5).windows == ()


def test_abnormal_buckets_one_bucket_apart_form_one_window():
    analysis = outage_analysis(day({40: (50, 30), 42: (50, 30)}), 5)
    assert len(analysis.windows) == 1
    assert analysis.windows[0].end - analysis.windows[0].start == timedelta(minutes=15)


def test_abnormal_buckets_further_apart_are_separate_windows():
    analysis = outage_analysis(day({10: (50, 30), 60: (50, 30)}), 5)
    assert [w.start.hour for w in analysis.windows] == [8, 13]


def test_a_long_outage_does_not_hide_itself_by_raising_the_baseline():
    long_outage = {i: (20, 12) for i in range(30, 54)}  # two hours at 60% failures
    analysis = outage_analysis(day(long_outage, failed=0), 5)
    assert len(analysis.windows) == 1
    assert analysis.windows[0].end - analysis.windows[0].start == timedelta(hours=2)


def test_no_requests_means_no_window():
    assert outage_analysis([], 5).windows == ()


bucket_counts = st.lists(
    st.tuples(st.integers(0, 200), st.integers(0, 200)).map(lambda t: (max(t), min(t))),
    min_size=1,
    max_size=60,
)


@given(bucket_counts)
def test_windows_are_ordered_disjoint_and_hold_their_failures(counts):
    buckets = [
        ChannelBucket(DAY + timedelta(minutes=5 * i), requests, failed)
        for i, (requests, failed) in enumerate(counts)
    ]
    windows = outage_analysis(buckets, 5).windows
    for earlier, later in pairwise(windows):
        assert earlier.end < later.start
    for w in windows:
        assert w.start < w.end
        assert w.failed >= 5
        assert w.failed <= w.requests
    assert sum(w.failed for w in windows) <= sum(b.failed for b in buckets)


@given(st.integers(1, 200), st.integers(0, 200))
def test_the_same_rate_in_every_bucket_never_makes_a_window(requests, failed):
    failed = min(failed, requests)
    buckets = [ChannelBucket(DAY + timedelta(minutes=5 * i), requests, failed) for i in range(48)]
    assert outage_analysis(buckets, 5).windows == ()


@given(
    st.lists(st.tuples(st.integers(10, 50), st.integers(0, 5)), min_size=24, max_size=96),
    st.integers(0, 23),
    st.integers(50, 300),
)
def test_a_spike_in_a_quiet_day_is_always_inside_a_window(quiet, at, spike_requests):
    buckets = [
        ChannelBucket(DAY + timedelta(minutes=5 * i), requests, min(failed, requests // 10))
        for i, (requests, failed) in enumerate(quiet)
    ]
    spike_start = buckets[at].start
    buckets[at] = ChannelBucket(spike_start, spike_requests, spike_requests // 2)
    windows = outage_analysis(buckets, 5).windows
    assert any(w.start <= spike_start < w.end for w in windows)
