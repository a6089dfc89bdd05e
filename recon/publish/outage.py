"""The outage window, derived from the data: when channel requests failed far above baseline.

Works on a few hundred per-bucket counts already aggregated by DuckDB, so it is plain Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median


@dataclass(frozen=True)
class ChannelBucket:
    """Channel requests in one time bucket and how many of them failed or timed out."""

    start: datetime
    requests: int
    failed: int


@dataclass(frozen=True)
class OutageWindow:
    start: datetime  # start of the first abnormal bucket
    end: datetime  # end of the last abnormal bucket
    requests: int
    failed: int


@dataclass(frozen=True)
class OutageAnalysis:
    windows: tuple[OutageWindow, ...]
    baseline_rate: float  # failure share of requests outside the windows (not money)


def outage_analysis(
    buckets: Sequence[ChannelBucket],
    bucket_minutes: int,
    *,
    min_failed: int = 5,
    factor: float = 4.0,
    min_rate: float = 0.2,
    max_gap_buckets: int = 1,
) -> OutageAnalysis:
    """Windows of buckets whose failures are far above the day's baseline.

    A bucket is abnormal when at least `min_failed` requests failed, at least `min_rate` of
    its requests failed, and its failures exceed `factor` times what the baseline rate
    predicts. The baseline is the median of the buckets' failure rates, so an outage shorter
    than half the day cannot hide itself by raising it. Abnormal buckets at most
    `max_gap_buckets` apart form one window. The reported `baseline_rate` is the failure share
    of all requests outside the windows.
    """
    ordered = sorted(buckets, key=lambda b: b.start)
    rates = [b.failed / b.requests for b in ordered if b.requests > 0]
    baseline = median(rates) if rates else 0.0
    abnormal = [b for b in ordered if _is_abnormal(b, baseline, min_failed, factor, min_rate)]
    width = timedelta(minutes=bucket_minutes)
    groups: list[list[ChannelBucket]] = []
    for bucket in abnormal:
        if groups and bucket.start - groups[-1][-1].start <= width * (max_gap_buckets + 1):
            groups[-1].append(bucket)
        else:
            groups.append([bucket])
    windows = []
    for group in groups:
        start, end = group[0].start, group[-1].start + width
        inside = [b for b in ordered if start <= b.start < end]
        windows.append(
            OutageWindow(
                start=start,
                end=end,
                requests=sum(b.requests for b in inside),
                failed=sum(b.failed for b in inside),
            )
        )
    outside = [b for b in ordered if not any(w.start <= b.start < w.end for w in windows)]
    return OutageAnalysis(windows=tuple(windows), baseline_rate=_rate(outside))


def _rate(buckets: Sequence[ChannelBucket]) -> float:
    requests = sum(b.requests for b in buckets)
    return sum(b.failed for b in buckets) / requests if requests else 0.0


def _is_abnormal(
    bucket: ChannelBucket, baseline: float, min_failed: int, factor: float, min_rate: float
) -> bool:
    if bucket.requests <= 0 or bucket.failed < min_failed:
        return False
    return (
        bucket.failed / bucket.requests >= min_rate
        and bucket.failed > factor * baseline * bucket.requests
    )
